package org.umgw.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.umgw.health.HealthReport;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;

/**
 * A gateway of the directory that {@code probe --once} did not probe, and why. Only trusted peers
 * are probed (a gateway linked to a dial plan by a hunt group, not Disabled, with an address), so a
 * gateway a user added without a hunt group would otherwise be missing from the table with no word
 * on why; this names it and the reason.
 *
 * @param gateway the gateway's name
 * @param reason why it was not probed, and what would make it probed
 */
record NotProbed(String gateway, String reason) {

  /**
   * The gateways of {@code all} (everything read) missing from {@code report}, in directory order.
   *
   * @param served what the trust policy served (a gateway a broken rule implicates is held back)
   */
  static List<NotProbed> of(DirectoryContents all, DirectoryContents served, HealthReport report) {
    Set<String> probed = new HashSet<>();
    report.gateways().forEach(g -> probed.add(g.name()));
    Set<String> servedGateways = new HashSet<>();
    served.gateways().forEach(g -> servedGateways.add(g.name()));
    Set<String> plans = new HashSet<>();
    all.dialPlans().stream().map(DialPlan::name).forEach(plans::add);
    Map<String, Boolean> linked = new LinkedHashMap<>(); // gateway -> a hunt group to a dial plan
    for (HuntGroup h : all.huntGroups()) {
      linked.merge(h.gateway(), plans.contains(h.dialPlan()), Boolean::logicalOr);
    }
    List<NotProbed> out = new ArrayList<>();
    for (Gateway g : all.gateways()) {
      if (probed.contains(g.name())) {
        continue;
      }
      String reason;
      if (!linked.containsKey(g.name())) {
        reason =
            "no hunt group, so it is not a trusted peer and takes no calls (add one: umgw huntgroup"
                + " new NAME --gateway \""
                + g.name()
                + "\" --dial-plan DP)";
      } else if (!linked.get(g.name())) {
        reason = "none of its hunt groups links an existing dial plan, so it is not a trusted peer";
      } else if (g.status() == GatewayStatus.Disabled) {
        reason = "Disabled (umgw gateway enable \"" + g.name() + "\" to take calls and be probed)";
      } else if (!servedGateways.contains(g.name())) {
        reason = "held back by a broken rule (event 9201 above; umgw validate says how to fix it)";
      } else {
        reason = "its address " + g.address().text() + " gave no usable IP (see the events above)";
      }
      out.add(new NotProbed(g.name(), reason));
    }
    return out;
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gateway", gateway);
    m.put("reason", reason);
    return m;
  }

  @Override
  public String toString() {
    return "not probed: " + gateway + ": " + reason;
  }
}
