package org.umgw.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.rules.RuleViolation;
import org.umgw.rules.Rules;

/**
 * What the rules need to know about a write's neighbourhood, read from the directory by targeted
 * searches (never the whole directory): the gateways of a dial plan, the gateways on an address,
 * the SIP URI dial plans' gateways. {@link DirectoryStore} asks before each write.
 */
final class Neighbours {
  private static final Logger LOG = LoggerFactory.getLogger(Neighbours.class);

  private final DirectoryStore store;
  private final LdapOps ldap;
  private final DirectoryLayout layout;

  Neighbours(DirectoryStore store, LdapOps ldap, DirectoryLayout layout) {
    this.store = store;
    this.ldap = ldap;
    this.layout = layout;
  }

  /** Rules that linking {@code g} to {@code dp} must satisfy (hunt group or default group). */
  List<RuleViolation> linkViolations(Gateway g, DialPlan dp) {
    List<RuleViolation> out = new ArrayList<>(Rules.securedTransport(g, dp));
    Set<String> gateways = new TreeSet<>(gatewaysOf(dp.name()));
    gateways.add(g.name());
    Rules.dialPlanCapacity(dp, gateways).ifPresent(out::add);
    if (Rules.isSipUri(dp) && g.outcallsAllowed()) {
      out.addAll(sipUriOutcallsWith(g));
    }
    return out;
  }

  /** SIP URI outcalls violations concerning {@code g} if it served the SIP URI dial plans. */
  List<RuleViolation> sipUriOutcallsWith(Gateway g) {
    List<String> sipUriPlans = new ArrayList<>();
    Filter filter =
        Filter.createANDFilter(
            Filter.createEqualityFilter("objectClass", EntryMapper.OC_DIAL_PLAN),
            Filter.createEqualityFilter(EntryMapper.URI_TYPE, UriType.SipName.name()));
    for (SearchResultEntry e : ldap.search(layout.dialPlans(), SearchScope.ONE, filter, "1.1")) {
      DirectoryLayout.cnOf(DirectoryLayout.dnOf(e)).ifPresent(sipUriPlans::add);
    }
    Set<String> names = new TreeSet<>();
    for (SearchResultEntry e : linkingHuntGroups(sipUriPlans, "1.1")) {
      DirectoryLayout.cnOf(DirectoryLayout.dnOf(e).getParent()).ifPresent(names::add);
    }
    names.remove(g.name());
    Map<String, Gateway> serving = new LinkedHashMap<>();
    for (Gateway other : gatewaysNamed(names)) {
      serving.put(other.name(), other);
    }
    serving.put(g.name(), g);
    return Rules.sipUriOutcalls(serving.values()).stream()
        .filter(v -> v.object().equals(g.ref()))
        .toList();
  }

  /**
   * Names of the gateways whose address, in canonical form, is {@code g}'s, whatever spelling is
   * stored (see {@link AddressMatch}). Only the address is read, so a gateway whose other values
   * are unreadable still holds its address.
   */
  List<String> withAddress(Gateway g) {
    List<String> out = new ArrayList<>();
    for (SearchResultEntry e :
        ldap.search(
            layout.gateways(),
            SearchScope.ONE,
            AddressMatch.candidates(g.address()),
            "cn",
            EntryMapper.ADDRESS)) {
      if (AddressMatch.holds(e, g.address())) {
        DirectoryLayout.cnOf(DirectoryLayout.dnOf(e)).ifPresent(out::add);
      }
    }
    return out;
  }

  /** Names of the gateways of {@code dialPlan}: parents of the hunt groups linking to it. */
  Set<String> gatewaysOf(String dialPlan) {
    Set<String> names = new TreeSet<>();
    for (SearchResultEntry e : linkingHuntGroups(List.of(dialPlan), "1.1")) {
      DirectoryLayout.cnOf(DirectoryLayout.dnOf(e).getParent()).ifPresent(names::add);
    }
    return names;
  }

  List<DialPlan> dialPlansOf(String gateway) {
    Set<String> names = new TreeSet<>();
    for (HuntGroup h : store.huntGroups(gateway).objects()) {
      names.add(h.dialPlan());
    }
    List<DialPlan> out = new ArrayList<>();
    for (String name : names) {
      store.dialPlan(name).ifPresent(out::add);
    }
    return out;
  }

  List<Gateway> gatewaysNamed(Collection<String> names) {
    List<Gateway> out = new ArrayList<>();
    for (String name : names) {
      try {
        store.gateway(name).ifPresent(out::add);
      } catch (EntryMappingException malformed) {
        // Reported by the validator; a malformed gateway takes no part in rules.
        LOG.debug("rule input: {}", malformed.getMessage());
      }
    }
    return out;
  }

  List<SearchResultEntry> linkingHuntGroups(Collection<String> dialPlans, String attr) {
    if (dialPlans.isEmpty()) {
      return List.of();
    }
    List<Filter> links = new ArrayList<>();
    for (String dp : dialPlans) {
      links.add(
          Filter.createEqualityFilter(EntryMapper.DIAL_PLAN_LINK, layout.dialPlan(dp).toString()));
    }
    Filter filter =
        Filter.createANDFilter(
            Filter.createEqualityFilter("objectClass", EntryMapper.OC_HUNT_GROUP),
            links.size() == 1 ? links.get(0) : Filter.createORFilter(links));
    return ldap.search(layout.gateways(), SearchScope.SUB, filter, attr);
  }
}
