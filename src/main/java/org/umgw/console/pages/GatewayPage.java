package org.umgw.console.pages;

import java.util.List;
import java.util.Locale;
import org.umgw.console.auth.Session;
import org.umgw.console.live.LiveState;
import org.umgw.health.HealthReport;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.trust.Peer;

/**
 * One gateway: its properties, resolved addresses, probe history chart and events, and (logged in)
 * the edit forms. Every form works without JavaScript; the ones that drop calls lead to a
 * confirmation page first.
 */
public final class GatewayPage {
  private GatewayPage() {}

  public static Html body(
      Index index,
      Gateway g,
      HealthReport report,
      LiveState live,
      Session session,
      boolean canEdit) {
    Html h = new Html(16_384);
    h.open("section", "aria-labelledby", "props-h");
    h.el("h2", "Properties", "id", "props-h");
    h.open("dl", "class", "props");
    prop(h, "Address", g.address().text());
    prop(h, "Port", g.port() == 0 ? "0 (transport default)" : String.valueOf(g.port()));
    prop(h, "IP address family", g.ipAddressFamily().name());
    prop(h, "Status", g.status().name());
    prop(h, "Outcalls allowed", String.valueOf(g.outcallsAllowed()));
    prop(
        h, "Message waiting indicator allowed", String.valueOf(g.messageWaitingIndicatorAllowed()));
    prop(h, "Simulator", String.valueOf(g.simulator()));
    prop(h, "Delayed source party info", String.valueOf(g.delayedSourcePartyInfoEnabled()));
    prop(h, "Description", g.description() == null ? "" : g.description());
    h.open("dt").text("Health").close("dt").open("dd");
    Health.of(report).cell(h, g.name());
    h.close("dd");
    h.open("dt").text("Hunt groups").close("dt").open("dd");
    List<HuntGroup> hgs = index.huntGroups(g.name());
    if (hgs.isEmpty()) {
      h.el("span", "none: no call is accepted from this gateway (9104)", "class", "warn");
    }
    for (HuntGroup hg : hgs) {
      h.open("div").text(hg.name() + " → ");
      if (hg.dialPlan() != null) {
        h.link(Pager.dialPlanHref(hg.dialPlan()), hg.dialPlan());
      }
      h.text(
          hg.pilotIdentifier() == null || hg.pilotIdentifier().isEmpty()
              ? " (catch-all)"
              : " (pilot " + hg.pilotIdentifier() + ")");
      h.close("div");
    }
    h.close("dd").close("dl").close("section");

    h.open("section", "aria-labelledby", "addr-h");
    h.el("h2", "Resolved addresses", "id", "addr-h");
    List<Peer> peers = index.peers(g.name());
    if (peers.isEmpty()) {
      h.el(
          "p",
          g.status() == GatewayStatus.Disabled
              ? "None trusted: the gateway is Disabled."
              : "None: the address resolves to nothing (1194) or is refused.",
          "class",
          "warn");
    } else {
      h.open("ul");
      for (Peer p : peers) {
        h.open("li")
            .text(
                p.addressText()
                    + " · "
                    + p.transport()
                    + "/"
                    + p.port()
                    + (p.stale() ? " · stale" : ""));
        if (p.members().size() > 1) {
          h.text(" ")
              .el(
                  "span",
                  "1175 shared with "
                      + String.join(
                          ", ",
                          p.members().stream()
                              .map(m -> m.name())
                              .filter(n -> !n.equalsIgnoreCase(g.name()))
                              .toList()),
                  "class",
                  "badge warn");
        }
        h.close("li");
      }
      h.close("ul");
    }
    h.close("section");

    h.open("section", "aria-labelledby", "probe-h");
    h.el("h2", "Probe history", "id", "probe-h");
    ProbeChart.render(h, live.history(g.name()));
    h.close("section");

    h.open("section", "aria-labelledby", "ev-h");
    h.el("h2", "Events", "id", "ev-h");
    EventsPage.table(h, live.eventsOf(g.name(), 50), "Events about " + g.name());
    h.close("section");

    if (canEdit) {
      editForms(h, g, session);
    } else {
      h.open("p", "class", "muted")
          .text("Log in to change this gateway. ")
          .link("/login", "Log in")
          .close("p");
    }
    return h;
  }

  private static void prop(Html h, String name, String value) {
    h.el("dt", name).el("dd", value);
  }

  private static void editForms(Html h, Gateway g, Session s) {
    h.open("section", "aria-labelledby", "edit-h", "class", "edits");
    h.el("h2", "Change", "id", "edit-h");

    h.open("form", "method", "post", "action", "/gateway/enable", "class", "inline");
    hidden(h, s, g.name());
    h.el(
        "button",
        "Enable",
        "type",
        "submit",
        "disabled",
        g.status() == GatewayStatus.Enabled ? "" : null);
    h.close("form");

    h.open("form", "method", "post", "action", "/gateway/disable");
    hidden(h, s, g.name());
    h.open("fieldset").el("legend", "Disable");
    radio(h, "mode", "NoNewCalls", "Refuse new calls, let current calls finish (NoNewCalls)", true);
    radio(h, "mode", "Disabled", "Drop calls in progress now (Disabled)", false);
    h.el("button", "Disable", "type", "submit");
    h.close("fieldset").close("form");

    h.open("form", "method", "post", "action", "/gateway/set");
    hidden(h, s, g.name());
    h.open("fieldset").el("legend", "Settings");
    Forms.portField(h, g.port());
    bool(h, "outcalls", "Outcalls allowed", g.outcallsAllowed());
    bool(h, "mwi", "Message waiting indicator allowed", g.messageWaitingIndicatorAllowed());
    bool(h, "simulator", "Simulator", g.simulator());
    h.el("button", "Save", "type", "submit");
    h.close("fieldset").close("form");

    h.open("form", "method", "post", "action", "/gateway/remove");
    hidden(h, s, g.name());
    h.el("button", "Remove gateway…", "type", "submit", "class", "danger");
    h.close("form");
    h.close("section");
  }

  static void hidden(Html h, Session s, String name) {
    Layout.csrf(h, s);
    h.empty("input", "type", "hidden", "name", "name", "value", name);
  }

  private static void radio(Html h, String name, String value, String label, boolean checked) {
    String id = name + "-" + value.toLowerCase(Locale.ROOT);
    h.open("div", "class", "choice");
    h.empty(
        "input",
        "type",
        "radio",
        "id",
        id,
        "name",
        name,
        "value",
        value,
        "checked",
        checked ? "" : null);
    h.el("label", label, "for", id);
    h.close("div");
  }

  private static void bool(Html h, String name, String label, boolean value) {
    h.open("div", "class", "field").el("label", label, "for", name);
    h.open("select", "id", name, "name", name);
    h.el("option", "true", "value", "true", "selected", value ? "" : null);
    h.el("option", "false", "value", "false", "selected", value ? null : "");
    h.close("select").close("div");
  }
}
