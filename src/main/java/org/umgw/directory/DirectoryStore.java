package org.umgw.directory;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmServer;
import org.umgw.model.UmgwException;
import org.umgw.rules.RuleViolation;
import org.umgw.rules.RuleViolationException;
import org.umgw.rules.Rules;

/**
 * Creates, reads, updates and deletes gateways, hunt groups, dial plans and servers in LDAP,
 * enforcing the rules on every write.
 *
 * <pre>{@code
 * DirectoryStore store = new DirectoryStore(pool, DirectoryLayout.of("dc=umgw,dc=example"));
 * store.init();
 * store.createDialPlan(DialPlan.of("DP1", UriType.TelExtn, 5));
 * store.createGateway(Gateway.builder("gw1", "192.0.2.10").build(), "DP1");
 * DirectoryRead all = store.readAll();
 * }</pre>
 *
 * <p>Each write first reads what the rules need (targeted searches, never the whole directory) and
 * hands it to {@link Rules}, the same functions the validator applies to the whole directory; a
 * write that would break a rule throws {@link RuleViolationException} and writes nothing. Filters
 * and DNs are built only through UnboundID's escaping.
 */
public final class DirectoryStore {
  private final LdapOps ldap;
  private final DirectoryLayout layout;
  private final EntryMapper mapper;
  private final Neighbours neighbours;

  public DirectoryStore(LDAPConnectionPool pool, DirectoryLayout layout) {
    this.ldap = new LdapOps(requireNonNull(pool, "pool == null"));
    this.layout = requireNonNull(layout, "layout == null");
    this.mapper = new EntryMapper(layout);
    this.neighbours = new Neighbours(this, ldap, layout);
  }

  public DirectoryLayout layout() {
    return layout;
  }

  public EntryMapper mapper() {
    return mapper;
  }

  public LDAPConnectionPool pool() {
    return ldap.pool();
  }

  // ---------------------------------------------------------------- containers

  /**
   * Creates the base entry (when it is a {@code dc}, {@code o} or {@code ou}) and the three
   * containers, skipping those that exist.
   *
   * @return the DNs created, empty when everything was there
   */
  public List<DN> init() {
    List<DN> created = new ArrayList<>();
    if (ldap.get(layout.base(), null) == null) {
      ldap.add(layout.baseEntry(), null);
      created.add(layout.base());
    }
    for (Entry container : layout.containerEntries()) {
      DN dn = DirectoryLayout.dnOf(container);
      if (ldap.get(dn, null) == null) {
        ldap.add(container, null);
        created.add(dn);
      }
    }
    return created;
  }

  // ---------------------------------------------------------------- whole directory

  /**
   * Reads every object under the base with the Simple Paged Results control. Entries that do not
   * map, and hunt groups of gateways that do not, come back as problems; the rest as objects,
   * sorted by name. Entries are mapped by a few threads while the next pages arrive, and no more
   * raw entries are held than a few batches (ParallelRead).
   */
  public DirectoryRead readAll() {
    try (ParallelRead read = new ParallelRead(mapper)) {
      ldap.pagedSearch(layout.base(), EntryMapper.ANY_OBJECT, read::accept, EntryMapper.ATTRIBUTES);
      return read.finish();
    }
  }

  // ---------------------------------------------------------------- gateways

  public Optional<Gateway> gateway(String name) {
    Entry e = ldap.get(layout.gateway(name), ObjectRef.gateway(name));
    return e == null ? Optional.empty() : Optional.of(mapper.gateway(e));
  }

  /**
   * @throws ObjectNotFoundException when there is no gateway {@code name}
   */
  public Gateway requireGateway(String name) {
    return gateway(name).orElseThrow(() -> new ObjectNotFoundException(ObjectRef.gateway(name)));
  }

  public Loaded<Gateway> gateways() {
    return ldap.list(layout.gateways(), EntryMapper.OC_GATEWAY, SearchScope.ONE, mapper::gateway);
  }

  /**
   * New-UMIPGateway: creates {@code g} and, when {@code dialPlan} is not {@code null}, its "Default
   * Hunt Group" linked to that dial plan.
   *
   * @throws ObjectExistsException when a gateway of that name exists
   * @throws ObjectNotFoundException when the dial plan does not exist
   * @throws RuleViolationException when the gateway would break a rule
   */
  public Gateway createGateway(Gateway g, String dialPlan) {
    if (gateway(g.name()).isPresent()) {
      throw new ObjectExistsException(g.ref());
    }
    List<RuleViolation> violations =
        new ArrayList<>(Rules.addressHeldBy(g, neighbours.withAddress(g)));
    HuntGroup defaultGroup = null;
    if (dialPlan != null) {
      DialPlan dp = requireDialPlan(dialPlan);
      defaultGroup = HuntGroup.defaultFor(g.name(), dp.name());
      violations.addAll(neighbours.linkViolations(g, dp));
    }
    RuleViolationException.throwIfAny(violations);
    ldap.add(mapper.toEntry(g), g.ref());
    // Check-then-act: another writer may have taken the address between the check and the add.
    List<RuleViolation> raced = Rules.addressHeldBy(g, neighbours.withAddress(g));
    if (!raced.isEmpty()) {
      RuleViolationException refused = new RuleViolationException(raced);
      ldap.deleteQuietly(layout.gateway(g.name()), g.ref(), refused);
      throw refused;
    }
    if (defaultGroup != null) {
      try {
        ldap.add(mapper.toEntry(defaultGroup), defaultGroup.ref());
      } catch (RuntimeException e) {
        ldap.deleteQuietly(layout.gateway(g.name()), g.ref(), e);
        throw e;
      }
    }
    return g;
  }

  /**
   * Set-UMIPGateway: applies {@code change} to the stored gateway and writes the attributes that
   * changed. An entry with unreadable values (written past umgw, say by an LDAP browser) can still
   * be changed: each unreadable attribute the change sets is replaced, the others are left as they
   * are (an unreadable status is never turned into Enabled by a change of port).
   *
   * @throws ObjectNotFoundException when there is no gateway {@code name}
   * @throws EntryMappingException when the entry is wrong as a whole (not a value a change sets)
   * @throws RuleViolationException when the changed gateway would break a rule
   */
  public Gateway updateGateway(String name, UnaryOperator<Gateway> change) {
    Entry entry = requireGatewayEntry(name);
    EntryMapper.Repairable<Gateway> read = mapper.gatewayForRepair(entry, false);
    Gateway before = read.object();
    Gateway after = change.apply(before);
    if (!after.name().equals(before.name())) {
      throw new UmgwException(before.ref() + ": cn cannot be changed by an update");
    }
    Set<String> repaired =
        repaired(
            read,
            after,
            () -> mapper.gatewayForRepair(entry, true).object(),
            change,
            mapper::toEntry);
    List<RuleViolation> violations = new ArrayList<>();
    boolean addressChanged =
        !after.address().equals(before.address()) || repaired.contains(EntryMapper.ADDRESS);
    if (addressChanged) {
      violations.addAll(Rules.addressHeldBy(after, neighbours.withAddress(after)));
    }
    if (addressChanged || after.port() != before.port() || repaired.contains(EntryMapper.PORT)) {
      for (DialPlan dp : neighbours.dialPlansOf(name)) {
        violations.addAll(Rules.securedTransport(after, dp));
      }
    }
    if (after.outcallsAllowed()
        && (!before.outcallsAllowed() || repaired.contains(EntryMapper.OUTCALLS))) {
      violations.addAll(neighbours.sipUriOutcallsWith(after));
    }
    RuleViolationException.throwIfAny(violations);
    // Diffed against the address as stored, so a browser's spelling is replaced by the canonical.
    Entry beforeEntry = mapper.toEntry(before);
    String storedAddress = entry.getAttributeValue(EntryMapper.ADDRESS);
    if (storedAddress != null && !read.unreadable().contains(EntryMapper.ADDRESS)) {
      beforeEntry.setAttribute(EntryMapper.ADDRESS, storedAddress);
    }
    Entry afterEntry = mapper.toEntry(after);
    ldap.writeRepairing(beforeEntry, afterEntry, read.unreadable(), repaired, after.ref());
    if (addressChanged) {
      // Check-then-act, as in createGateway: undo this change if another writer took the address.
      List<RuleViolation> raced = Rules.addressHeldBy(after, neighbours.withAddress(after));
      if (!raced.isEmpty()) {
        RuleViolationException refused = new RuleViolationException(raced);
        try {
          ldap.modify(
              DirectoryLayout.dnOf(afterEntry),
              Entry.diff(afterEntry, beforeEntry, true, false, true),
              after.ref());
        } catch (RuntimeException e) {
          refused.addSuppressed(e);
        }
        throw refused;
      }
    }
    return after;
  }

  /**
   * Enable-UMIPGateway. When the stored status is unreadable it is replaced by Enabled; the
   * transition rule (already enabled) applies only to a readable status.
   *
   * @throws RuleViolationException when the gateway is already Enabled
   */
  public Gateway enableGateway(String name) {
    return setStatus(name, Rules::enable, g -> g.withStatus(GatewayStatus.Enabled));
  }

  /**
   * Disable-UMIPGateway: Disabled with {@code immediate}, NoNewCalls without. Only {@code umStatus}
   * is written, so a gateway can be cut off whatever else is unreadable in its entry; an unreadable
   * status is replaced without the transition rules.
   *
   * @throws RuleViolationException when the gateway is already in or past that state
   */
  public Gateway disableGateway(String name, boolean immediate) {
    GatewayStatus target = immediate ? GatewayStatus.Disabled : GatewayStatus.NoNewCalls;
    return setStatus(name, g -> Rules.disable(g, immediate), g -> g.withStatus(target));
  }

  private Gateway setStatus(
      String name, UnaryOperator<Gateway> transition, UnaryOperator<Gateway> overwrite) {
    EntryMapper.Repairable<Gateway> read =
        mapper.gatewayForRepair(requireGatewayEntry(name), false);
    Gateway after =
        read.unreadable().contains(EntryMapper.STATUS)
            ? overwrite.apply(read.object())
            : transition.apply(read.object());
    ldap.modify(
        layout.gateway(name),
        List.of(
            new Modification(ModificationType.REPLACE, EntryMapper.STATUS, after.status().name())),
        after.ref());
    return after;
  }

  private Entry requireGatewayEntry(String name) {
    Entry e = ldap.get(layout.gateway(name), ObjectRef.gateway(name));
    if (e == null) {
      throw new ObjectNotFoundException(ObjectRef.gateway(name));
    }
    return e;
  }

  /**
   * The unreadable attributes {@code change} sets: applied to the stand-ins of {@code read} and to
   * the other stand-ins ({@code alternative}), it gives the same values only where it set them.
   */
  private static <T> Set<String> repaired(
      EntryMapper.Repairable<T> read,
      T after,
      Supplier<T> alternative,
      UnaryOperator<T> change,
      Function<T, Entry> toEntry) {
    if (read.unreadable().isEmpty()) {
      return Set.of();
    }
    Entry one = toEntry.apply(after);
    Entry other = toEntry.apply(change.apply(alternative.get()));
    Set<String> set = new TreeSet<>();
    for (String attribute : read.unreadable()) {
      if (java.util.Objects.equals(one.getAttribute(attribute), other.getAttribute(attribute))) {
        set.add(attribute);
      }
    }
    return set;
  }

  /**
   * Remove-UMIPGateway: deletes the gateway's hunt groups, then the gateway.
   *
   * @throws ObjectNotFoundException when there is no gateway {@code name}
   */
  public void removeGateway(String name) {
    DN dn = layout.gateway(name);
    ObjectRef ref = ObjectRef.gateway(name);
    if (ldap.get(dn, ref) == null) {
      throw new ObjectNotFoundException(ref);
    }
    for (DN child : ldap.descendants(dn)) {
      ldap.delete(child, ref);
    }
    ldap.delete(dn, ref);
  }

  // ---------------------------------------------------------------- hunt groups

  public Loaded<HuntGroup> huntGroups() {
    return ldap.list(
        layout.gateways(), EntryMapper.OC_HUNT_GROUP, SearchScope.SUB, mapper::huntGroup);
  }

  /**
   * @throws ObjectNotFoundException when there is no gateway {@code gateway}
   */
  public Loaded<HuntGroup> huntGroups(String gateway) {
    requireGatewayEntry(gateway);
    return ldap.list(
        layout.gateway(gateway), EntryMapper.OC_HUNT_GROUP, SearchScope.ONE, mapper::huntGroup);
  }

  public Optional<HuntGroup> huntGroup(String gateway, String name) {
    Entry e = ldap.get(layout.huntGroup(gateway, name), ObjectRef.huntGroup(gateway, name));
    return e == null ? Optional.empty() : Optional.of(mapper.huntGroup(e));
  }

  /**
   * @throws ObjectNotFoundException when the gateway or the dial plan does not exist
   * @throws ObjectExistsException when the gateway has a hunt group of that name
   * @throws RuleViolationException when the link would break a rule
   */
  public HuntGroup createHuntGroup(HuntGroup h) {
    Gateway g = requireGateway(h.gateway());
    DialPlan dp = requireDialPlan(h.dialPlan());
    if (huntGroup(h.gateway(), h.name()).isPresent()) {
      throw new ObjectExistsException(h.ref());
    }
    List<RuleViolation> violations =
        new ArrayList<>(Rules.pilotUnique(h, huntGroups(h.gateway()).objects()));
    violations.addAll(neighbours.linkViolations(g, dp));
    RuleViolationException.throwIfAny(violations);
    ldap.add(mapper.toEntry(h), h.ref());
    return h;
  }

  /**
   * @throws ObjectNotFoundException when there is no such hunt group
   */
  public void removeHuntGroup(String gateway, String name) {
    ldap.delete(layout.huntGroup(gateway, name), ObjectRef.huntGroup(gateway, name));
  }

  // ---------------------------------------------------------------- dial plans

  public Optional<DialPlan> dialPlan(String name) {
    Entry e = ldap.get(layout.dialPlan(name), ObjectRef.dialPlan(name));
    return e == null ? Optional.empty() : Optional.of(mapper.dialPlan(e));
  }

  /**
   * @throws ObjectNotFoundException when there is no dial plan {@code name}
   */
  public DialPlan requireDialPlan(String name) {
    return dialPlan(name).orElseThrow(() -> new ObjectNotFoundException(ObjectRef.dialPlan(name)));
  }

  public Loaded<DialPlan> dialPlans() {
    return ldap.list(
        layout.dialPlans(), EntryMapper.OC_DIAL_PLAN, SearchScope.ONE, mapper::dialPlan);
  }

  /**
   * @throws ObjectExistsException when a dial plan of that name exists
   */
  public DialPlan createDialPlan(DialPlan dp) {
    if (dialPlan(dp.name()).isPresent()) {
      throw new ObjectExistsException(dp.ref());
    }
    ldap.add(mapper.toEntry(dp), dp.ref());
    return dp;
  }

  /**
   * Set-UMDialPlan.
   *
   * @throws RuleViolationException when the URI type or digits change, or when a change to a
   *     secured VoIP security level would leave gateways without an FQDN or port 5061
   */
  public DialPlan updateDialPlan(String name, UnaryOperator<DialPlan> change) {
    Entry entry = ldap.get(layout.dialPlan(name), ObjectRef.dialPlan(name));
    if (entry == null) {
      throw new ObjectNotFoundException(ObjectRef.dialPlan(name));
    }
    EntryMapper.Repairable<DialPlan> read = mapper.dialPlanForRepair(entry, false);
    DialPlan before = read.object();
    DialPlan after = change.apply(before);
    if (!after.name().equals(before.name())) {
      throw new UmgwException(before.ref() + ": cn cannot be changed by an update");
    }
    Set<String> repaired =
        repaired(
            read,
            after,
            () -> mapper.dialPlanForRepair(entry, true).object(),
            change,
            mapper::toEntry);
    // An unreadable URI type or digit count has no value to keep: setting it is a repair.
    List<RuleViolation> violations = new ArrayList<>();
    for (RuleViolation v : Rules.immutable(before, after)) {
      if (!read.unreadable().contains(v.attribute())) {
        violations.add(v);
      }
    }
    if (after.voipSecurity() != before.voipSecurity() || repaired.contains(EntryMapper.SECURITY)) {
      for (Gateway g : neighbours.gatewaysNamed(neighbours.gatewaysOf(name))) {
        violations.addAll(Rules.securedTransport(g, after));
      }
    }
    RuleViolationException.throwIfAny(violations);
    ldap.writeRepairing(
        mapper.toEntry(before), mapper.toEntry(after), read.unreadable(), repaired, after.ref());
    return after;
  }

  /**
   * @throws ObjectNotFoundException when there is no dial plan {@code name}
   * @throws RuleViolationException while hunt groups link to it
   */
  public void removeDialPlan(String name) {
    DialPlan dp = requireDialPlan(name);
    List<HuntGroup> linking = new ArrayList<>();
    for (SearchResultEntry e : neighbours.linkingHuntGroups(List.of(name), "1.1")) {
      DN dn = DirectoryLayout.dnOf(e);
      linking.add(
          new HuntGroup(
              DirectoryLayout.cnOf(dn.getParent()).orElse("?"),
              DirectoryLayout.cnOf(dn).orElse(dn.getRDNString()),
              name,
              "",
              null));
    }
    Rules.dialPlanRemoval(dp, linking)
        .ifPresent(
            v -> {
              throw new RuleViolationException(v);
            });
    ldap.delete(layout.dialPlan(name), dp.ref());
  }

  // ---------------------------------------------------------------- servers

  public Optional<UmServer> server(String name) {
    Entry e = ldap.get(layout.server(name), ObjectRef.server(name));
    return e == null ? Optional.empty() : Optional.of(mapper.server(e));
  }

  public Loaded<UmServer> servers() {
    return ldap.list(layout.servers(), EntryMapper.OC_SERVER, SearchScope.ONE, mapper::server);
  }

  /**
   * @throws ObjectExistsException when a server of that name exists
   */
  public UmServer createServer(UmServer s) {
    if (server(s.name()).isPresent()) {
      throw new ObjectExistsException(s.ref());
    }
    ldap.add(mapper.toEntry(s), s.ref());
    return s;
  }

  /**
   * @throws ObjectNotFoundException when there is no server {@code name}
   */
  public void removeServer(String name) {
    ldap.delete(layout.server(name), ObjectRef.server(name));
  }
}
