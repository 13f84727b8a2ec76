package org.umgw.console.pages;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.umgw.health.HealthReport;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;

/**
 * Gateways, 50 a page in name order: status, health (Up/Degraded/Down with the last code and
 * round-trip time), hunt groups and dial plans. A page costs its 50 rows whatever the directory
 * holds (the sorted list and the lookups are {@link Index}'s, built once per snapshot).
 */
public final class GatewaysPage {
  private GatewaysPage() {}

  /**
   * @param filter part of a name or address, or null
   * @param dialPlan only the gateways of this dial plan (through their hunt groups), or null
   */
  public static Html body(
      Index index,
      HealthReport report,
      String filter,
      String dialPlan,
      String pageParam,
      boolean canEdit) {
    String q = filter == null ? "" : filter.strip();
    List<Gateway> shown = index.gateways;
    if (!q.isEmpty()) {
      String lq = q.toLowerCase(Locale.ROOT);
      shown = new ArrayList<>();
      for (int i = 0; i < index.gateways.size(); i++) {
        if (index.searchKeys.get(i).contains(lq)) {
          shown.add(index.gateways.get(i));
        }
      }
    }
    String dp = dialPlan == null || dialPlan.isBlank() ? null : dialPlan.strip();
    if (dp != null) {
      Set<String> members = new java.util.HashSet<>();
      index.huntGroupsOfDialPlan(dp).forEach(hg -> members.add(Index.key(hg.gateway())));
      shown = shown.stream().filter(g -> members.contains(Index.key(g.name()))).toList();
    }
    Health health = Health.of(report);
    Pager pager = Pager.of(pageParam, shown.size(), Pager.DEFAULT_SIZE);
    Html h = new Html(32_768);
    Forms.filterBox(h, "/gateways", q, "name or address");
    if (dp != null) {
      h.empty("input", "type", "hidden", "name", "dp", "value", dp);
    }
    h.el("button", "Filter", "type", "submit");
    h.close("form");
    if (canEdit) {
      h.open("p").link("/gateway/new", "New gateway", "class", "button").close("p");
    }
    h.open("div", "class", "scroll");
    h.open("table", "class", "gateways stack");
    h.el(
        "caption",
        "UM IP gateways"
            + (dp == null ? "" : " of dial plan " + dp)
            + (q.isEmpty() ? "" : " matching \"" + q + "\""));
    h.open("thead").open("tr");
    for (String c :
        new String[] {"Name", "Address", "Status", "Health", "Hunt groups", "Dial plans"}) {
      h.el("th", c, "scope", "col");
    }
    h.close("tr").close("thead").open("tbody");
    for (Gateway g : pager.slice(shown)) {
      h.open("tr", "class", index.sharesAddress(g.name()) ? "collision" : null);
      h.open("th", "scope", "row").link(Pager.gatewayHref(g.name()), g.name());
      if (index.sharesAddress(g.name())) {
        h.text(" ").el("span", "1175", "class", "badge warn", "title", "shares its IP (1175)");
      }
      h.close("th");
      h.open("td", "data-label", "Address")
          .text(g.address().text() + (g.port() == 0 ? "" : ":" + g.port()));
      if (index.unresolved(g.address().isFqdn() ? g.address().text() : null)) {
        h.text(" ").el("span", "1194", "class", "badge error", "title", "resolves to nothing");
      }
      h.close("td");
      h.el(
          "td",
          g.status().name(),
          "class",
          "status " + g.status().name().toLowerCase(Locale.ROOT),
          "data-label",
          "Status");
      h.open("td", "data-label", "Health");
      health.cell(h, g.name());
      h.close("td");
      List<HuntGroup> hgs = index.huntGroups(g.name());
      Set<String> plans = new LinkedHashSet<>();
      h.open("td", "data-label", "Hunt groups");
      for (int i = 0; i < hgs.size(); i++) {
        HuntGroup hg = hgs.get(i);
        h.text(
            (i > 0 ? ", " : "")
                + hg.name()
                + (hg.pilotIdentifier() == null || hg.pilotIdentifier().isEmpty()
                    ? ""
                    : " (" + hg.pilotIdentifier() + ")"));
        if (hg.dialPlan() != null) {
          plans.add(hg.dialPlan());
        }
      }
      h.close("td").open("td", "data-label", "Dial plans");
      int i = 0;
      for (String plan : plans) {
        h.text(i++ > 0 ? ", " : "").link(Pager.dialPlanHref(plan), plan);
      }
      h.close("td").close("tr");
    }
    h.close("tbody").close("table").close("div");
    pager.links(h, "/gateways", q, dp, "gateways");
    return h;
  }
}
