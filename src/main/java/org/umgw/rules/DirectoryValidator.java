package org.umgw.rules;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;

/**
 * Every rule over a whole directory, as {@code umgw validate} reports it. One broken rule never
 * hides another: all violations come back, sorted by object.
 */
public final class DirectoryValidator {
  private DirectoryValidator() {}

  public static List<RuleViolation> validate(DirectoryContents d) {
    Map<String, Gateway> gateways = index(d.gateways(), Gateway::name);
    Map<String, DialPlan> dialPlans = index(d.dialPlans(), DialPlan::name);
    Map<String, List<HuntGroup>> byGateway =
        d.huntGroups().stream().collect(Collectors.groupingBy(HuntGroup::gateway));
    List<RuleViolation> out = new ArrayList<>();

    Map<String, List<Gateway>> byAddress =
        d.gateways().stream().collect(Collectors.groupingBy(g -> g.address().text()));
    for (Gateway g : d.gateways()) {
      out.addAll(Rules.addressUnique(g, byAddress.get(g.address().text())));
    }

    Set<Gateway> sipUriGateways = new LinkedHashSet<>();
    for (HuntGroup h : d.huntGroups()) {
      Gateway g = gateways.get(h.gateway());
      if (g == null) {
        out.add(
            new RuleViolation(
                Rule.GATEWAY_EXISTS, h.ref(), null, null, "its UM IP gateway does not exist"));
        continue;
      }
      out.addAll(Rules.pilotUnique(h, byGateway.getOrDefault(h.gateway(), List.of())));
      Optional<DialPlan> dp = Optional.ofNullable(dialPlans.get(h.dialPlan()));
      Rules.dialPlanExists(h, dp).ifPresent(out::add);
      if (dp.isPresent()) {
        out.addAll(Rules.securedTransport(g, dp.get()));
        if (Rules.isSipUri(dp.get())) {
          sipUriGateways.add(g);
        }
      }
    }
    // The gateways of every dial plan in one pass (per dial plan, a scan of every hunt group made
    // the validation of 1,000 dial plans and 100,000 hunt groups quadratic).
    Map<String, Set<String>> gatewaysByPlan = new java.util.HashMap<>();
    for (HuntGroup h : d.huntGroups()) {
      gatewaysByPlan.computeIfAbsent(h.dialPlan(), k -> new java.util.TreeSet<>()).add(h.gateway());
    }
    for (DialPlan dp : d.dialPlans()) {
      Rules.dialPlanCapacity(dp, gatewaysByPlan.getOrDefault(dp.name(), Set.of()))
          .ifPresent(out::add);
    }
    out.addAll(Rules.sipUriOutcalls(sipUriGateways));

    return out.stream()
        .distinct()
        .sorted(
            Comparator.comparing((RuleViolation v) -> v.object().kind())
                .thenComparing(v -> v.object().name())
                .thenComparing(RuleViolation::rule)
                .thenComparing(RuleViolation::message))
        .toList();
  }

  private static <T> Map<String, T> index(List<T> items, Function<T, String> key) {
    Map<String, T> map = new LinkedHashMap<>();
    for (T item : items) {
      map.putIfAbsent(key.apply(item), item);
    }
    return map;
  }
}
