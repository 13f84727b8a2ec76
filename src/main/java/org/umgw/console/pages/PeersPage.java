package org.umgw.console.pages;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.umgw.events.Event;
import org.umgw.export.Renderer;
import org.umgw.trust.Peer;
import org.umgw.trust.PeerMember;
import org.umgw.trust.TrustSnapshot;

/**
 * Trusted peers: every address with its gateways, servers, names, status, transport and stale flag,
 * the data of {@code trust-list show --format json}; addresses shared by several names (event 1175)
 * and names that resolve to nothing (1194) are highlighted. The filter is a GET form.
 */
public final class PeersPage {
  private PeersPage() {}

  public static Html body(Index index, String filter, String pageParam) {
    TrustSnapshot snap = index.snapshot;
    String q = filter == null ? "" : filter.strip();
    List<Peer> shown = snap.peers();
    if (!q.isEmpty()) {
      String lq = q.toLowerCase(Locale.ROOT);
      shown = new ArrayList<>();
      for (int i = 0; i < snap.peers().size(); i++) {
        if (index.peerSearchKeys.get(i).contains(lq)) {
          shown.add(snap.peers().get(i));
        }
      }
    }
    Html h = new Html(16_384);
    Forms.filterBox(h, "/peers", q, "address, gateway, server or name");
    h.el("button", "Filter", "type", "submit");
    h.close("form");
    h.open("p", "class", "summary");
    h.text(
        snap.peers().size()
            + " trusted addresses; "
            + snap.duplicates().size()
            + " shared by several names (1175); "
            + index.unresolved.size()
            + " names resolve to nothing (1194). ");
    h.link("/peers.json", "The same as JSON");
    h.close("p");
    if (!index.unresolved.isEmpty()) {
      h.open("section", "aria-labelledby", "unresolved-h", "class", "problem");
      h.el("h2", "Names that resolve to nothing (1194)", "id", "unresolved-h");
      h.open("ul");
      index.unresolved.forEach(
          n -> h.open("li").el("span", "1194", "class", "badge error").text(" " + n).close("li"));
      h.close("ul").close("section");
    }
    Pager pager = Pager.of(pageParam, shown.size(), 100);
    h.open("div", "class", "scroll");
    h.open("table", "class", "peers stack");
    h.el("caption", "Trusted peers" + (q.isEmpty() ? "" : " matching \"" + q + "\""));
    h.open("thead").open("tr");
    for (String c :
        new String[] {
          "Address", "Port", "Transport", "Status", "Gateways and servers", "Names", "Stale"
        }) {
      h.el("th", c, "scope", "col");
    }
    h.close("tr").close("thead").open("tbody");
    for (Peer p : pager.slice(shown)) {
      boolean shared = p.members().size() > 1;
      h.open("tr", "class", shared ? "collision" : null);
      h.open("th", "scope", "row").text(p.addressText());
      if (shared) {
        h.text(" ")
            .el(
                "span",
                "1175 shared",
                "class",
                "badge warn",
                "title",
                "Event 1175: this IP is reached by several names");
      }
      h.close("th");
      h.el("td", p.port(), "data-label", "Port")
          .el("td", p.transport().name(), "data-label", "Transport")
          .el("td", p.status().name(), "data-label", "Status");
      h.open("td", "data-label", "Gateways and servers").open("ul", "class", "plain");
      for (PeerMember m : p.members()) {
        h.open("li");
        if (m.kind() == PeerMember.Kind.GATEWAY) {
          h.link(Pager.gatewayHref(m.name()), m.name());
          h.text(" [" + m.status() + " " + m.transport() + "/" + m.port() + "]");
        } else {
          h.text(m.name() + " [server]");
        }
        h.close("li");
      }
      h.close("ul").close("td");
      h.el("td", String.join(", ", p.fqdns()), "data-label", "Names");
      h.el(
          "td",
          p.stale() ? "stale" : "",
          "class",
          p.stale() ? "warn" : null,
          "data-label",
          "Stale");
      h.close("tr");
    }
    h.close("tbody").close("table").close("div");
    pager.links(h, "/peers", q, "addresses");
    return h;
  }

  /** What the filter looks in: address, member names and DNS names, lower case. */
  static String searchKey(Peer p) {
    StringBuilder b = new StringBuilder(p.addressText());
    p.members().forEach(m -> b.append('\u0000').append(m.name()));
    p.fqdns().forEach(f -> b.append('\u0000').append(f));
    return b.toString().toLowerCase(Locale.ROOT);
  }

  /** The document of {@code trust-list show --format json}. */
  public static Map<String, Object> json(TrustSnapshot snap) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("generatedAt", snap.builtAt().toString());
    doc.put("peers", snap.peers().stream().map(Renderer::view).toList());
    doc.put("events", snap.duplicates().stream().map(Event::toMap).toList());
    return doc;
  }
}
