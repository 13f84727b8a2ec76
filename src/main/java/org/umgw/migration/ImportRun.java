package org.umgw.migration;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryStore;
import org.umgw.migration.ObjectOutcome.Outcome;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.InvalidValueException;
import org.umgw.model.ObjectKind;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmgwException;
import org.umgw.rules.RuleViolation;
import org.umgw.rules.RuleViolationException;

/**
 * One pass of an import over one store: maps every record, then writes dial plans, gateways and
 * hunt groups in that order (a hunt group needs both ends), keeping each object's outcome in source
 * order.
 */
final class ImportRun {
  private static final Logger LOG = LoggerFactory.getLogger(ImportRun.class);

  private final DirectoryStore store;
  private final ExchangeMapper mapper = new ExchangeMapper();

  /** Imported dial plans and gateways by Exchange DN, to resolve the hunt groups' links. */
  private final Map<DN, String> dialPlans = new HashMap<>();

  private final Map<DN, String> gateways = new HashMap<>();

  /** Dial plans and gateways in the export that were not imported. */
  private final Set<DN> notImported = new HashSet<>();

  ImportRun(DirectoryStore store) {
    this.store = store;
  }

  ImportReport apply(List<SourceRecord> records, boolean dryRun) {
    ObjectOutcome[] outcomes = new ObjectOutcome[records.size()];
    Mapped[] mapped = new Mapped[records.size()];
    Map<DN, String> firstSeen = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      SourceRecord r = records.get(i);
      if (r instanceof SourceRecord.Unreadable u) {
        outcomes[i] =
            ObjectOutcome.refused(
                u.where(), null, null, List.of(new Problem(null, null, u.reason())));
      } else if (r instanceof SourceRecord.OtherChange c) {
        outcomes[i] =
            ObjectOutcome.ignored(c.dn(), "changetype: " + c.changeType() + " (not an object)");
      } else {
        Mapped m = mapper.map(((SourceRecord.Found) r).entry());
        DN dn = parse(m.dn());
        String earlier = dn == null ? null : firstSeen.putIfAbsent(dn, m.dn());
        if (earlier != null && !(m instanceof Mapped.Ignored)) {
          m =
              new Mapped.Refused(
                  m.dn(),
                  ExchangeMapper.kindOf(((SourceRecord.Found) r).entry()),
                  null,
                  List.of(new Problem("dn", m.dn(), "appears more than once in the export")));
        }
        mapped[i] = m;
        if (m instanceof Mapped.Ignored ignored) {
          outcomes[i] = ObjectOutcome.ignored(m.dn(), ignored.reason());
        } else if (m instanceof Mapped.Refused refused) {
          outcomes[i] =
              ObjectOutcome.refused(m.dn(), refused.kind(), refused.name(), refused.problems());
          if (dn != null && earlier == null) {
            notImported.add(dn);
          }
        }
      }
    }
    for (int i = 0; i < mapped.length; i++) {
      if (mapped[i] instanceof Mapped.DialPlanEntry d) {
        outcomes[i] = record(d.parsed(), dialPlans, dialPlan(d));
      }
    }
    for (int i = 0; i < mapped.length; i++) {
      if (mapped[i] instanceof Mapped.GatewayEntry g) {
        outcomes[i] = record(g.parsed(), gateways, gateway(g));
      }
    }
    for (int i = 0; i < mapped.length; i++) {
      if (mapped[i] instanceof Mapped.HuntGroupEntry h) {
        outcomes[i] = huntGroup(h);
      }
    }
    return new ImportReport(dryRun, List.of(outcomes));
  }

  private ObjectOutcome record(DN parsed, Map<DN, String> imported, ObjectOutcome o) {
    if (o.outcome() == Outcome.REFUSED) {
      notImported.add(parsed);
    } else {
      imported.put(parsed, o.name());
    }
    return o;
  }

  // ---------------------------------------------------------------- the three kinds

  private ObjectOutcome dialPlan(Mapped.DialPlanEntry m) {
    DialPlan want = m.dialPlan();
    return write(
        m.dn(),
        ObjectKind.DIAL_PLAN,
        want.name(),
        () -> {
          Optional<DialPlan> have = store.dialPlan(want.name());
          if (have.isEmpty()) {
            store.createDialPlan(want);
            return created(m.dn(), ObjectKind.DIAL_PLAN, want.name());
          }
          DialPlan h = have.get();
          List<Problem> kept = new ArrayList<>();
          if (h.uriType() != want.uriType()) {
            kept.add(
                new Problem(
                    ExchangeTable.URI_TYPE,
                    code(ExchangeTable.URI_TYPE_VALUES, want.uriType()),
                    "umgw's dial plan is "
                        + h.uriType()
                        + ", and the URI type cannot change after creation"));
          }
          if (h.numberOfDigitsInExtension() != want.numberOfDigitsInExtension()) {
            kept.add(
                new Problem(
                    ExchangeTable.DIGITS,
                    Integer.toString(want.numberOfDigitsInExtension()),
                    "umgw's dial plan has "
                        + h.numberOfDigitsInExtension()
                        + ", and the number of digits cannot change after creation"));
          }
          // LDAP keeps no order among values: the same numbers in another order are no change.
          List<String> numbers =
              Set.copyOf(h.accessTelephoneNumbers())
                      .equals(Set.copyOf(want.accessTelephoneNumbers()))
                  ? h.accessTelephoneNumbers()
                  : want.accessTelephoneNumbers();
          DialPlan target =
              new DialPlan(
                  h.name(),
                  h.uriType(),
                  h.numberOfDigitsInExtension(),
                  want.voipSecurity(),
                  want.countryOrRegionCode(),
                  numbers,
                  h.description());
          if (target.equals(h)) {
            return outcome(
                m.dn(), ObjectKind.DIAL_PLAN, want.name(), Outcome.UNCHANGED, List.of(), kept);
          }
          store.updateDialPlan(h.name(), before -> target);
          return outcome(
              m.dn(),
              ObjectKind.DIAL_PLAN,
              want.name(),
              Outcome.UPDATED,
              EntryDiff.lines(store.mapper().toEntry(h), store.mapper().toEntry(target)),
              kept);
        });
  }

  private ObjectOutcome gateway(Mapped.GatewayEntry m) {
    Gateway want = m.gateway();
    return write(
        m.dn(),
        ObjectKind.GATEWAY,
        want.name(),
        () -> {
          Optional<Gateway> have = store.gateway(want.name());
          if (have.isEmpty()) {
            store.createGateway(want, null);
            return created(m.dn(), ObjectKind.GATEWAY, want.name());
          }
          Gateway h = have.get();
          // Exchange has no description: the one given in umgw stays.
          Gateway target = want.toBuilder().description(h.description()).build();
          if (target.equals(h)) {
            return outcome(
                m.dn(), ObjectKind.GATEWAY, want.name(), Outcome.UNCHANGED, List.of(), List.of());
          }
          store.updateGateway(h.name(), before -> target);
          return outcome(
              m.dn(),
              ObjectKind.GATEWAY,
              want.name(),
              Outcome.UPDATED,
              EntryDiff.lines(store.mapper().toEntry(h), store.mapper().toEntry(target)),
              List.of());
        });
  }

  private ObjectOutcome huntGroup(Mapped.HuntGroupEntry m) {
    String gatewayName = ExchangeMapper.rdnValue(m.gatewayDn());
    String ref = gatewayName + "/" + m.name();
    return write(
        m.dn(),
        ObjectKind.HUNT_GROUP,
        ref,
        () -> {
          String gateway = resolveGateway(m);
          String dialPlan = resolveDialPlan(m);
          Optional<HuntGroup> have = store.huntGroup(gateway, m.name());
          if (have.isEmpty()) {
            store.createHuntGroup(new HuntGroup(gateway, m.name(), dialPlan, m.pilot(), null));
            return created(m.dn(), ObjectKind.HUNT_GROUP, ref);
          }
          HuntGroup h = have.get();
          HuntGroup target = new HuntGroup(gateway, m.name(), dialPlan, m.pilot(), h.description());
          if (target.equals(h)) {
            return outcome(
                m.dn(), ObjectKind.HUNT_GROUP, ref, Outcome.UNCHANGED, List.of(), List.of());
          }
          // Hunt groups are never modified, as in Exchange: replaced, and restored on refusal.
          store.removeHuntGroup(gateway, m.name());
          try {
            store.createHuntGroup(target);
          } catch (UmgwException refused) {
            try {
              store.createHuntGroup(h);
            } catch (UmgwException restore) {
              refused.addSuppressed(restore);
            }
            throw refused;
          }
          return outcome(
              m.dn(),
              ObjectKind.HUNT_GROUP,
              ref,
              Outcome.UPDATED,
              EntryDiff.lines(store.mapper().toEntry(h), store.mapper().toEntry(target)),
              List.of());
        });
  }

  /** The hunt group's gateway: its parent entry, imported now or already in umgw. */
  private String resolveGateway(Mapped.HuntGroupEntry m) {
    String name = gateways.get(m.gatewayDn());
    if (name != null) {
      return name;
    }
    if (notImported.contains(m.gatewayDn())) {
      throw new Refusal(
          new Problem("dn", m.gatewayDn().toString(), "its UM IP gateway was not imported"));
    }
    String fromRdn = ExchangeMapper.rdnValue(m.gatewayDn());
    if (store.gateway(fromRdn).isEmpty()) {
      throw new Refusal(
          new Problem(
              "dn",
              m.gatewayDn().toString(),
              "its parent is no UM IP gateway of the export, and umgw has no "
                  + ObjectRef.gateway(fromRdn)));
    }
    return fromRdn;
  }

  /** The hunt group's dial plan: imported now, or (not in the export) already in umgw by name. */
  private String resolveDialPlan(Mapped.HuntGroupEntry m) {
    String name = dialPlans.get(m.dialPlanDn());
    if (name != null) {
      return name;
    }
    if (notImported.contains(m.dialPlanDn())) {
      throw new Refusal(
          new Problem(
              ExchangeTable.DIAL_PLAN_LINK, m.dialPlanLink(), "the dial plan was not imported"));
    }
    String fromRdn = ExchangeMapper.rdnValue(m.dialPlanDn());
    if (store.dialPlan(fromRdn).isEmpty()) {
      throw new Refusal(
          new Problem(
              ExchangeTable.DIAL_PLAN_LINK,
              m.dialPlanLink(),
              "the dial plan is not in the export, and umgw has no "
                  + ObjectRef.dialPlan(fromRdn)
                  + ": export it too, or create it first"));
    }
    return fromRdn;
  }

  // ---------------------------------------------------------------- outcomes

  /** Runs one object's write; a refusal of any kind becomes its outcome, never the batch's. */
  private ObjectOutcome write(
      String dn, ObjectKind kind, String name, Supplier<ObjectOutcome> work) {
    try {
      return work.get();
    } catch (Refusal r) {
      return ObjectOutcome.refused(dn, kind, name, List.of(r.problem));
    } catch (RuleViolationException e) {
      List<Problem> problems = new ArrayList<>();
      for (RuleViolation v : e.violations()) {
        boolean self = v.object().kind() == kind && v.object().name().equals(name);
        problems.add(
            new Problem(
                ExchangeTable.exchangeAttribute(v.attribute()).orElse(v.attribute()),
                v.value(),
                (self ? "" : v.object() + ": ") + v.message()));
      }
      return ObjectOutcome.refused(dn, kind, name, problems);
    } catch (InvalidValueException e) {
      return ObjectOutcome.refused(
          dn,
          kind,
          name,
          List.of(
              new Problem(
                  ExchangeTable.exchangeAttribute(e.attribute()).orElse(e.attribute()),
                  e.value(),
                  e.reason())));
    } catch (UmgwException e) {
      LOG.debug("{} refused", dn, e);
      return ObjectOutcome.refused(
          dn, kind, name, List.of(new Problem(null, null, e.getMessage())));
    }
  }

  private static ObjectOutcome created(String dn, ObjectKind kind, String name) {
    return outcome(dn, kind, name, Outcome.CREATED, List.of(), List.of());
  }

  private static ObjectOutcome outcome(
      String dn,
      ObjectKind kind,
      String name,
      Outcome outcome,
      List<String> changes,
      List<Problem> kept) {
    return new ObjectOutcome(dn, kind, name, outcome, changes, List.of(), kept);
  }

  private static <T> String code(Map<Integer, T> table, T value) {
    return table.entrySet().stream()
        .filter(e -> e.getValue().equals(value))
        .map(e -> e.getKey() + " (" + value + ")")
        .findFirst()
        .orElse(String.valueOf(value));
  }

  /** The DN, or {@code null} when it does not parse (the mapper has refused that entry). */
  private static DN parse(String dn) {
    try {
      return new DN(dn);
    } catch (LDAPException e) {
      LOG.debug("{} is not a DN: {}", dn, e.getMessage());
      return null;
    }
  }

  /** A hunt group whose link cannot be resolved: refused with this problem. */
  private static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Refusal(Problem problem) {
      super(problem.toString(), null, false, false);
      this.problem = problem;
    }
  }
}
