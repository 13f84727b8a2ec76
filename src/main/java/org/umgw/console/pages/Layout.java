package org.umgw.console.pages;

import org.umgw.console.auth.Session;
import org.umgw.service.TrustService;

/**
 * The frame of every page: landmarks (header with the main navigation, main, footer), a skip link,
 * the user box with the log-out form, the one-time message, and the service's status line. The only
 * script is the external {@code /static/console.js} (the events page's live stream), so the
 * Content-Security-Policy can forbid inline script.
 */
public final class Layout {
  private Layout() {}

  private static final java.time.format.DateTimeFormatter FOOTER_TIME =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
          .withZone(java.time.ZoneOffset.UTC);

  /** The sections of the main navigation: path, label. */
  private static final String[][] NAV = {
    {"/peers", "Trusted peers"},
    {"/gateways", "Gateways"},
    {"/dial-plans", "Dial plans"},
    {"/events", "Events"},
  };

  /**
   * @param current the navigation path this page belongs to (marked {@code aria-current})
   * @param session the visitor's session (may be {@code null}: no log-out form then)
   * @param directory which directory the service follows, for the status line
   */
  public static String page(
      String title,
      String current,
      Session session,
      TrustService service,
      String directory,
      Html body) {
    Html h = new Html(body.toString().length() + 4096);
    h.doctype().open("html", "lang", "en").open("head");
    h.empty("meta", "charset", "utf-8");
    h.empty("meta", "name", "viewport", "content", "width=device-width, initial-scale=1");
    h.empty("meta", "name", "color-scheme", "content", "light dark");
    h.el("title", title + " · umgw console");
    h.empty("link", "rel", "stylesheet", "href", "/static/console.css");
    h.el("script", "", "src", "/static/console.js", "defer", "");
    h.close("head").open("body");
    h.link("#main", "Skip to content", "class", "skip");
    h.open("header", "class", "top");
    h.el("span", "umgw", "class", "brand");
    h.open("nav", "aria-label", "Main").open("ul");
    for (String[] n : NAV) {
      h.open("li")
          .link(n[0], n[1], "aria-current", n[0].equals(current) ? "page" : null)
          .close("li");
    }
    h.close("ul").close("nav");
    user(h, session);
    h.close("header");
    h.open("main", "id", "main", "tabindex", "-1");
    h.el("h1", title);
    if (session != null) {
      Session.Flash f = session.takeFlash();
      if (f != null) {
        h.el(
            "p",
            f.message(),
            "class",
            f.error() ? "flash error" : "flash ok",
            "role",
            f.error() ? "alert" : "status");
      }
    }
    h.add(body);
    h.close("main");
    h.open("footer");
    if (service != null) {
      TrustService.Status st = service.status();
      h.text(
          directory
              + (st.connected()
                  ? " · following" + (st.feed() == null ? "" : " (" + st.feed() + ")")
                  : " · not connected: serving the " + st.source() + " copy")
              + " · snapshot of "
              + FOOTER_TIME.format(service.snapshot().builtAt()));
      if (st.rejection() != null) {
        h.el("p", "The directory breaks a rule: " + st.rejection(), "class", "warn");
      }
    }
    h.close("footer");
    h.close("body").close("html");
    return h.toString();
  }

  private static void user(Html h, Session session) {
    h.open("div", "class", "user");
    if (session != null && session.loggedIn()) {
      h.el("span", session.userDn(), "class", "dn", "title", "Logged in as");
      h.open("form", "method", "post", "action", "/logout");
      csrf(h, session);
      h.el("button", "Log out", "type", "submit");
      h.close("form");
    } else {
      h.el("span", "Read-only", "class", "dn");
      h.link("/login", "Log in");
    }
    h.close("div");
  }

  /** The hidden CSRF field every form carries. */
  public static void csrf(Html h, Session session) {
    h.empty("input", "type", "hidden", "name", "csrf", "value", session.csrfToken());
  }
}
