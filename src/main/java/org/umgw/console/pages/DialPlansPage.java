package org.umgw.console.pages;

import java.util.LinkedHashSet;
import java.util.Set;
import org.umgw.model.DialPlan;
import org.umgw.model.HuntGroup;

/**
 * Dial plans: URI type, VoIP security, and their gateways with Exchange's limit of 200 gateways a
 * dial plan as a gauge ({@code meter}: amber from 160, red at 200).
 */
public final class DialPlansPage {
  /** Exchange's limit of gateways linked to one dial plan. */
  static final int GATEWAY_LIMIT = 200;

  /** Gateways named on this page per dial plan; the rest are a link away (the gateways page). */
  static final int SHOWN = 20;

  private DialPlansPage() {}

  public static Html body(Index index) {
    Html h = new Html(16_384);
    if (index.dialPlans.isEmpty()) {
      h.el("p", "No dial plans.", "class", "muted");
    }
    for (DialPlan dp : index.dialPlans.values()) {
      Set<String> gateways = new LinkedHashSet<>();
      for (HuntGroup hg : index.huntGroupsOfDialPlan(dp.name())) {
        gateways.add(hg.gateway());
      }
      String id = Pager.dialPlanId(dp.name());
      h.open("section", "class", "card", "id", id, "aria-labelledby", id + "-h");
      h.el("h2", dp.name(), "id", id + "-h");
      h.open("dl", "class", "props");
      h.el("dt", "URI type").el("dd", dp.uriType().name());
      h.el("dt", "VoIP security").el("dd", dp.voipSecurity().name());
      h.el("dt", "Extension digits").el("dd", dp.numberOfDigitsInExtension());
      h.open("dt").open("label", "for", id + "-gauge").text("Gateways").close("label").close("dt");
      h.open("dd");
      h.open(
          "meter",
          "id",
          id + "-gauge",
          "min",
          "0",
          "max",
          String.valueOf(GATEWAY_LIMIT),
          "low",
          "160",
          "high",
          "199",
          "optimum",
          "0",
          "value",
          String.valueOf(gateways.size()));
      h.text(gateways.size() + " of " + GATEWAY_LIMIT);
      h.close("meter");
      h.text(" " + gateways.size() + " of " + GATEWAY_LIMIT);
      h.close("dd");
      h.close("dl");
      if (!gateways.isEmpty()) {
        h.open("ul", "class", "inline-list", "aria-label", "Gateways of " + dp.name());
        int shown = 0;
        for (String g : gateways) {
          if (shown++ == SHOWN) {
            break;
          }
          h.open("li").link(Pager.gatewayHref(g), g).close("li");
        }
        h.close("ul");
        if (gateways.size() > SHOWN) {
          h.open("p")
              .link(
                  Pager.dialPlanGatewaysHref(dp.name()),
                  "All " + gateways.size() + " gateways of " + dp.name() + " →")
              .close("p");
        }
      }
      h.close("section");
    }
    return h;
  }
}
