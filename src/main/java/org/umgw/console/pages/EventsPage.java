package org.umgw.console.pages;

import java.util.List;
import java.util.Map;
import org.umgw.console.live.LiveState;
import org.umgw.events.Event;

/**
 * The recent events, newest first. With JavaScript, {@code console.js} adds new ones as they come
 * (server-sent events from {@code /events/stream}, resuming after the last sequence number shown);
 * without it, the refresh link reloads the page.
 */
public final class EventsPage {
  /** Seconds are enough on a page; the full instant is in the {@code time} element. */
  private static final java.time.format.DateTimeFormatter TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
          .withZone(java.time.ZoneOffset.UTC);

  private EventsPage() {}

  public static Html body(LiveState live, int limit) {
    Html h = new Html(32_768);
    List<LiveState.Logged> events = live.events(limit);
    long newest = events.isEmpty() ? 0 : events.get(0).seq();
    h.open("p", "class", "summary");
    h.text("The latest " + events.size() + " events (the console keeps " + limit + "). ");
    h.link("/events", "Refresh");
    h.el("span", "", "id", "live-status", "role", "status", "class", "muted");
    h.close("p");
    table(h, events, "Recent events", "events-body", String.valueOf(newest));
    return h;
  }

  static void table(Html h, List<LiveState.Logged> events, String caption) {
    table(h, events, caption, null, null);
  }

  private static void table(
      Html h, List<LiveState.Logged> events, String caption, String bodyId, String after) {
    if (events.isEmpty() && bodyId == null) {
      h.el("p", "No events.", "class", "muted");
      return;
    }
    h.open("div", "class", "scroll");
    h.open("table", "class", "events stack");
    h.el("caption", caption);
    h.open("thead").open("tr");
    for (String c : new String[] {"Time", "Event", "Level", "Message"}) {
      h.el("th", c, "scope", "col");
    }
    h.close("tr").close("thead");
    h.open("tbody", "id", bodyId, "data-after", after);
    for (LiveState.Logged l : events) {
      row(h, l.event());
    }
    h.close("tbody").close("table").close("div");
  }

  static void row(Html h, Event e) {
    String level = e.level().name().toLowerCase(java.util.Locale.ROOT);
    h.open("tr", "class", "level-" + level);
    h.open("td", "data-label", "Time")
        .el("time", TIME.format(e.time()), "datetime", e.time().toString())
        .close("td");
    h.open("th", "scope", "row").el("span", e.id(), "class", "badge " + level).close("th");
    h.el("td", e.level().name(), "data-label", "Level");
    h.open("td", "data-label", "Message").text(e.message());
    if (!e.details().isEmpty()) {
      h.open("details").el("summary", "Details").open("dl", "class", "props");
      for (Map.Entry<String, Object> d : e.details().entrySet()) {
        h.el("dt", d.getKey()).el("dd", String.valueOf(d.getValue()));
      }
      h.close("dl").close("details");
    }
    h.close("td").close("tr");
  }

  /** One event as the live stream sends it: the row's text fields (the script builds the row). */
  public static Map<String, Object> streamed(LiveState.Logged l) {
    Event e = l.event();
    return Map.of(
        "seq", l.seq(),
        "time", TIME.format(e.time()),
        "id", e.id(),
        "level", e.level().name(),
        "message", e.message());
  }
}
