package org.umgw.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.EntryValidator;
import com.unboundid.ldap.sdk.schema.Schema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.umgw.directory.AddressMatch;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntryMappingException;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayAddress;
import org.umgw.model.HuntGroup;
import org.umgw.model.ObjectKind;
import org.umgw.model.UriType;
import org.umgw.rules.DirectoryValidator;
import org.umgw.rules.Rule;
import org.umgw.rules.RuleViolation;
import org.umgw.rules.Rules;
import org.umgw.schema.ValueConstraint;

/**
 * Refuses a write to the embedded directory that would break a umgw rule, with {@code
 * constraintViolation} (19) and the rule's message, so an LDAP browser user learns at once.
 *
 * <p>Three checks, in order: every value the write sets must be in its attribute's value set or
 * range ({@link ValueConstraint}, the same table slapd's overlays are generated from); an object
 * entry must still map to a record (for example an IP literal agreeing with the family), unless it
 * did not map before either (a repair in progress is not blocked by what it has not reached yet);
 * and the write must not add a rule violation. Removing a dial plan that hunt groups link to is
 * {@link Rule#DIAL_PLAN_IN_USE}; changing a dial plan's URI type or digits is {@link
 * Rule#IMMUTABLE_ATTRIBUTE}.
 *
 * <p>Rules are checked on a neighbourhood, not the whole directory: the objects the write touches,
 * the gateways holding their addresses (in any spelling), the hunt groups of the touched gateways
 * and of the touched dial plans, the dial plans and gateways those hunt groups link, and, when a
 * SIP URI dial plan is among them, every SIP URI dial plan with its hunt groups and gateways. The
 * validator runs over that neighbourhood before and after the write; a violation is new when its
 * rule, object, attribute and value were not there before (for capacity: when the count grows). So
 * a directory that already breaks a rule still takes the writes that do not make it worse,
 * including the repairs; and the cost per write stays a few indexed searches, whatever the size of
 * the directory.
 *
 * <p>Called under the journal's write lock, so the state read is the state the write applies to.
 */
final class RuleGuard {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RuleGuard.class);

  private final InMemoryDirectoryServer server;
  private final DirectoryLayout layout;
  private final EntryMapper mapper;
  private final Schema schema;
  private final EntryValidator schemaValidator;
  private final SyntaxCheck syntax;

  RuleGuard(InMemoryDirectoryServer server, DirectoryLayout layout, Schema schema) {
    this.server = server;
    this.layout = layout;
    this.mapper = new EntryMapper(layout);
    this.schema = schema;
    this.schemaValidator = new EntryValidator(schema);
    this.syntax = new SyntaxCheck(schema);
    // The server adds "top" itself; only what it would refuse is left to it.
    schemaValidator.setCheckMissingSuperiorObjectClasses(false);
  }

  /**
   * @throws LDAPException constraintViolation naming the entry, attribute, value and rule
   */
  void checkAdd(Entry entry) throws LDAPException {
    DN dn = entry.getParsedDN();
    List<String[]> touched = new ArrayList<>();
    for (Attribute a : entry.getAttributes()) {
      for (String v : a.getValues()) {
        touched.add(new String[] {a.getName(), v});
      }
    }
    Map<DN, Entry> changes = new LinkedHashMap<>();
    changes.put(dn, entry);
    check(dn, touched, changes);
  }

  void checkModify(String dnText, List<Modification> modifications) throws LDAPException {
    DN dn = new DN(dnText);
    Entry before = get(dn);
    if (before == null) {
      return; // the server answers noSuchObject
    }
    Entry after;
    try {
      after = Entry.applyModifications(before, true, modifications);
    } catch (LDAPException e) {
      return; // the server refuses it with its own reason
    }
    List<String[]> touched = new ArrayList<>();
    for (Modification m : modifications) {
      if (m.getModificationType() == ModificationType.ADD
          || m.getModificationType() == ModificationType.REPLACE) {
        for (String v : m.getValues()) {
          touched.add(new String[] {m.getAttributeName(), v});
        }
      }
    }
    Map<DN, Entry> changes = new LinkedHashMap<>();
    changes.put(dn, after);
    check(dn, touched, changes);
  }

  void checkDelete(String dnText) throws LDAPException {
    DN dn = new DN(dnText);
    Map<DN, Entry> changes = new LinkedHashMap<>();
    changes.put(dn, null);
    check(dn, List.of(), changes);
  }

  void checkModifyDN(String dnText, String newRdn, boolean deleteOldRdn, String newSuperior)
      throws LDAPException {
    DN dn = new DN(dnText);
    Entry entry = get(dn);
    if (entry == null) {
      return;
    }
    RDN rdn = new RDN(newRdn);
    DN parent = newSuperior == null ? dn.getParent() : new DN(newSuperior);
    DN renamed = new DN(rdn, parent);
    Map<DN, Entry> changes = new LinkedHashMap<>();
    List<Entry> subtree = new ArrayList<>(search(new View(Map.of()), dn, SearchScope.SUB, null));
    for (Entry e : subtree) {
      DN old = e.getParsedDN();
      changes.put(old, null);
    }
    for (Entry e : subtree) {
      DN old = e.getParsedDN();
      Entry moved = e.duplicate();
      if (old.equals(dn)) {
        moved.setDN(renamed);
        if (deleteOldRdn) {
          for (int i = 0; i < dn.getRDN().getAttributeNames().length; i++) {
            moved.removeAttributeValue(
                dn.getRDN().getAttributeNames()[i], dn.getRDN().getAttributeValues()[i]);
          }
        }
        for (int i = 0; i < rdn.getAttributeNames().length; i++) {
          moved.addAttribute(rdn.getAttributeNames()[i], rdn.getAttributeValues()[i]);
        }
      } else {
        RDN[] rdns = old.getRDNs();
        int depth = rdns.length - dn.getRDNs().length;
        DN rebased = renamed;
        for (int i = depth - 1; i >= 0; i--) {
          rebased = new DN(rdns[i], rebased);
        }
        moved.setDN(rebased);
      }
      changes.put(moved.getParsedDN(), moved);
    }
    check(dn, List.of(), changes);
  }

  // ---------------------------------------------------------------- the checks

  private void check(DN target, List<String[]> touchedValues, Map<DN, Entry> changes)
      throws LDAPException {
    for (Entry e : changes.values()) {
      if (e != null && !schemaValidator.entryIsValid(e, new ArrayList<>())) {
        syntax.check(e); // a syntax error is 21 with a clean message
        return; // anything else the server refuses with its own result code (65)
      }
    }
    for (String[] av : touchedValues) {
      Optional<String> problem = ValueConstraint.check(av[0], av[1]);
      if (problem.isPresent()) {
        throw refused(target + ": " + av[0] + " \"" + av[1] + "\": " + problem.get());
      }
    }
    View before = new View(Map.of());
    View after = new View(changes);
    for (Map.Entry<DN, Entry> c : changes.entrySet()) {
      Entry now = get(c.getKey());
      if (c.getValue() != null && EntryMapper.kindOf(c.getValue()).isPresent()) {
        Optional<String> problem = mappingProblem(c.getValue());
        if (problem.isPresent() && (now == null || mappingProblem(now).isEmpty())) {
          throw refused(problem.get());
        }
      }
      if (now != null && EntryMapper.kindOf(now).orElse(null) == ObjectKind.DIAL_PLAN) {
        checkDialPlanChange(now, c.getValue(), after);
      }
    }
    List<RuleViolation> added = newViolations(changes.keySet(), before, after);
    if (!added.isEmpty()) {
      StringBuilder message = new StringBuilder();
      for (RuleViolation v : added) {
        message.append(message.length() == 0 ? "" : "; ").append(v);
      }
      throw refused(message.toString());
    }
  }

  /** Removal (or rename) while linked, and the attributes that cannot change. */
  private void checkDialPlanChange(Entry now, Entry next, View after) throws LDAPException {
    DialPlan dp;
    try {
      dp = mapper.dialPlan(now);
    } catch (EntryMappingException e) {
      return;
    }
    if (next == null) {
      List<HuntGroup> linking = new ArrayList<>();
      for (Entry h : linking(after, now.getParsedDN())) {
        DN hdn = h.getParsedDN();
        linking.add(
            new HuntGroup(
                cn(hdn.getParent()).orElse("?"), cn(hdn).orElse("?"), dp.name(), "", null));
      }
      Optional<RuleViolation> inUse = Rules.dialPlanRemoval(dp, linking);
      if (inUse.isPresent()) {
        throw refused(inUse.get().toString());
      }
      return;
    }
    try {
      List<RuleViolation> immutable = Rules.immutable(dp, mapper.dialPlan(next));
      if (!immutable.isEmpty()) {
        throw refused(immutable.get(0).toString());
      }
    } catch (EntryMappingException e) {
      // Refused above as a mapping problem, or unreadable before too.
    }
  }

  private Optional<String> mappingProblem(Entry e) {
    try {
      switch (EntryMapper.kindOf(e).orElseThrow()) {
        case GATEWAY -> mapper.gateway(e);
        case HUNT_GROUP -> mapper.huntGroup(e);
        case DIAL_PLAN -> mapper.dialPlan(e);
        case SERVER -> mapper.server(e);
      }
      return Optional.empty();
    } catch (EntryMappingException ex) {
      return Optional.of(ex.problem().toString());
    }
  }

  private List<RuleViolation> newViolations(Set<DN> changed, View before, View after)
      throws LDAPException {
    Set<DN> scope = new LinkedHashSet<>();
    neighbourhood(changed, before, scope);
    neighbourhood(changed, after, scope);
    DirectoryContents was = contents(scope, before);
    DirectoryContents will = contents(scope, after);
    List<RuleViolation> old = DirectoryValidator.validate(was);
    Set<List<Object>> oldKeys = new java.util.HashSet<>();
    for (RuleViolation v : old) {
      oldKeys.add(key(v));
    }
    List<RuleViolation> out = new ArrayList<>();
    for (RuleViolation v : DirectoryValidator.validate(will)) {
      if (v.rule() == Rule.DIAL_PLAN_CAPACITY) {
        String dp = v.object().name();
        if (Rules.gatewaysOf(dp, will.huntGroups()).size()
            > Math.max(
                Rules.MAX_GATEWAYS_PER_DIAL_PLAN, Rules.gatewaysOf(dp, was.huntGroups()).size())) {
          out.add(v);
        }
      } else if (!oldKeys.contains(key(v))) {
        out.add(v);
      }
    }
    return out;
  }

  private static List<Object> key(RuleViolation v) {
    return java.util.Arrays.asList(v.rule(), v.object(), v.attribute(), v.value());
  }

  /**
   * Adds to {@code scope} the DNs of the objects the rules need to judge a change of {@code
   * changed}.
   */
  private void neighbourhood(Set<DN> changed, View view, Set<DN> scope) throws LDAPException {
    Set<String> gateways = new LinkedHashSet<>();
    Set<String> dialPlans = new LinkedHashSet<>();
    for (DN dn : changed) {
      if (isChildOf(dn, layout.gateways())) {
        cn(dn).ifPresent(gateways::add);
      } else if (dn.getParent() != null && isChildOf(dn.getParent(), layout.gateways())) {
        cn(dn.getParent()).ifPresent(gateways::add);
        Entry h = view.get(dn);
        if (h != null) {
          linkTarget(h).ifPresent(dialPlans::add);
        }
      } else if (isChildOf(dn, layout.dialPlans())) {
        cn(dn).ifPresent(dialPlans::add);
      }
    }
    Set<DN> huntGroups = new LinkedHashSet<>();
    for (String g : gateways) {
      DN gdn = layout.gateway(g);
      scope.add(gdn);
      Entry e = view.get(gdn);
      if (e != null) {
        Optional<GatewayAddress> address =
            AddressMatch.canonical(e.getAttributeValue(EntryMapper.ADDRESS));
        if (address.isPresent()) {
          for (Entry holder :
              search(
                  view,
                  layout.gateways(),
                  SearchScope.ONE,
                  AddressMatch.candidates(address.get()))) {
            if (AddressMatch.holds(holder, address.get())) {
              scope.add(holder.getParsedDN());
            }
          }
        }
      }
      for (Entry h : search(view, gdn, SearchScope.ONE, huntGroupFilter())) {
        huntGroups.add(h.getParsedDN());
        linkTarget(h).ifPresent(dialPlans::add);
      }
    }
    boolean sipUri = false;
    for (String dp : new ArrayList<>(dialPlans)) {
      Entry d = view.get(layout.dialPlan(dp));
      sipUri |=
          d != null
              && UriType.SipName.name().equalsIgnoreCase(d.getAttributeValue(EntryMapper.URI_TYPE));
      for (Entry h : linking(view, layout.dialPlan(dp))) {
        huntGroups.add(h.getParsedDN());
      }
    }
    if (sipUri) {
      Filter sip =
          Filter.createANDFilter(
              Filter.createEqualityFilter("objectClass", EntryMapper.OC_DIAL_PLAN),
              Filter.createEqualityFilter(EntryMapper.URI_TYPE, UriType.SipName.name()));
      for (Entry d : search(view, layout.dialPlans(), SearchScope.ONE, sip)) {
        cn(d.getParsedDN()).ifPresent(dialPlans::add);
        for (Entry h : linking(view, d.getParsedDN())) {
          huntGroups.add(h.getParsedDN());
        }
      }
    }
    for (DN h : huntGroups) {
      scope.add(h);
      scope.add(h.getParent());
      Entry e = view.get(h);
      if (e != null) {
        linkTarget(e).ifPresent(dialPlans::add);
      }
    }
    for (String dp : dialPlans) {
      scope.add(layout.dialPlan(dp));
    }
  }

  private DirectoryContents contents(Set<DN> scope, View view) throws LDAPException {
    List<DialPlan> dialPlans = new ArrayList<>();
    List<Gateway> gateways = new ArrayList<>();
    List<HuntGroup> huntGroups = new ArrayList<>();
    for (DN dn : scope) {
      Entry e = view.get(dn);
      if (e == null) {
        continue;
      }
      try {
        switch (EntryMapper.kindOf(e).orElse(ObjectKind.SERVER)) {
          case GATEWAY -> gateways.add(mapper.gateway(e));
          case HUNT_GROUP -> huntGroups.add(mapper.huntGroup(e));
          case DIAL_PLAN -> dialPlans.add(mapper.dialPlan(e));
          case SERVER -> {}
        }
      } catch (EntryMappingException unreadable) {
        // An unreadable entry takes no part in the rules, as in the validator (which reports it).
        LOG.debug("rule check leaves out {}: {}", dn, unreadable.getMessage());
      }
    }
    return new DirectoryContents(dialPlans, gateways, huntGroups, List.of());
  }

  // ---------------------------------------------------------------- reads

  /** The directory as it is ({@code overrides} empty) or as it would be after the write. */
  private final class View {
    private final Map<DN, Entry> overrides;

    View(Map<DN, Entry> overrides) {
      this.overrides = new HashMap<>(overrides);
    }

    Entry get(DN dn) throws LDAPException {
      return overrides.containsKey(dn) ? overrides.get(dn) : RuleGuard.this.get(dn);
    }
  }

  private Entry get(DN dn) throws LDAPException {
    return server.getEntry(dn.toString());
  }

  private List<Entry> search(View view, DN base, SearchScope scope, Filter filter)
      throws LDAPException {
    Filter f = filter == null ? Filter.createPresenceFilter("objectClass") : filter;
    List<Entry> out = new ArrayList<>();
    List<SearchResultEntry> found;
    try {
      found = server.search(base.toString(), scope, f).getSearchEntries();
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
        found = List.of();
      } else {
        throw e;
      }
    }
    for (SearchResultEntry e : found) {
      if (!view.overrides.containsKey(e.getParsedDN())) {
        out.add(e);
      }
    }
    for (Map.Entry<DN, Entry> o : view.overrides.entrySet()) {
      Entry e = o.getValue();
      if (e != null && inScope(o.getKey(), base, scope) && f.matchesEntry(e, schema)) {
        out.add(e);
      }
    }
    return out;
  }

  private List<Entry> linking(View view, DN dialPlan) throws LDAPException {
    Filter f =
        Filter.createANDFilter(
            huntGroupFilter(),
            Filter.createEqualityFilter(EntryMapper.DIAL_PLAN_LINK, dialPlan.toString()));
    return search(view, layout.gateways(), SearchScope.SUB, f);
  }

  private static Filter huntGroupFilter() {
    return Filter.createEqualityFilter("objectClass", EntryMapper.OC_HUNT_GROUP);
  }

  private Optional<String> linkTarget(Entry huntGroup) {
    String link = huntGroup.getAttributeValue(EntryMapper.DIAL_PLAN_LINK);
    if (link == null || !DN.isValidDN(link)) {
      return Optional.empty();
    }
    try {
      return layout.dialPlanName(new DN(link));
    } catch (LDAPException e) {
      return Optional.empty();
    }
  }

  private static boolean inScope(DN dn, DN base, SearchScope scope) {
    if (scope == SearchScope.BASE) {
      return dn.equals(base);
    }
    if (scope == SearchScope.ONE) {
      return Objects.equals(dn.getParent(), base);
    }
    return dn.isDescendantOf(base, true);
  }

  private static boolean isChildOf(DN dn, DN container) {
    return Objects.equals(dn.getParent(), container);
  }

  private static Optional<String> cn(DN dn) {
    RDN rdn = dn == null ? null : dn.getRDN();
    if (rdn == null
        || rdn.getAttributeNames().length != 1
        || !rdn.getAttributeNames()[0].equalsIgnoreCase("cn")) {
      return Optional.empty();
    }
    return Optional.of(rdn.getAttributeValues()[0]);
  }

  private static LDAPException refused(String message) {
    return new LDAPException(ResultCode.CONSTRAINT_VIOLATION, message);
  }
}
