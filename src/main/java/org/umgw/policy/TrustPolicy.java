package org.umgw.policy;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntrySalvage;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmServer;
import org.umgw.rules.DirectoryValidator;
import org.umgw.rules.RuleViolation;

/**
 * What may be served from one directory state: the single place where umgw decides how a directory
 * that breaks a rule, or holds unreadable entries, is trusted. The live service, {@code watch},
 * {@code probe} and the export all serve what {@link #decide} returns.
 *
 * <pre>{@code
 * TrustPolicy policy = new TrustPolicy(layout);
 * TrustPolicy.Decision d = policy.decide(read, servedBefore);   // servedBefore null at start-up
 * peers.update(d.served());
 * d.events(clock.instant()).forEach(events::onEvent);           // 9201 for what is held back
 * }</pre>
 *
 * <p>The policy fails closed. Revocation is never held back: whatever else is broken, a gateway
 * that is disabled, set to NoNewCalls, removed, re-addressed or loses its hunt groups is served so
 * at once. A change that breaks a rule holds back only itself and only where applying it would
 * widen trust: each object a violation implicates is served as the <em>meet</em> of its previous
 * served version and its new one, the most that both allow (see {@link #meet(Gateway, Gateway)});
 * an object not served before has nothing to meet and stays out, as if just added. Unreadable
 * entries go through {@link EntrySalvage} first. Which objects a rule implicates:
 *
 * <ul>
 *   <li>unique address: every gateway on the address;
 *   <li>secured dial plans need an FQDN and port 5061: the gateway and its hunt groups to secured
 *       dial plans;
 *   <li>unique pilot: the hunt groups sharing it;
 *   <li>200 gateways per dial plan: every hunt group linking to the dial plan;
 *   <li>one outcalls gateway for SIP URI dial plans: only the outcalls flag of those gateways;
 *   <li>a hunt group whose dial plan does not exist: nothing (it routes no call either way).
 * </ul>
 */
public final class TrustPolicy {
  /**
   * A violation and what it holds back.
   *
   * @param heldBack the objects served in a narrower form than the directory has them (or not at
   *     all), each with what is served instead; empty when serving the directory widens no trust
   */
  public record Finding(RuleViolation violation, List<String> heldBack) {
    public Finding {
      requireNonNull(violation, "violation == null");
      heldBack = List.copyOf(heldBack);
    }

    /**
     * {@code rule ADDRESS_UNIQUE: UM IP gateway "b": umAddress "x": already ...; held back: ...},
     * naming at most five held-back objects.
     */
    @Override
    public String toString() {
      String held =
          heldBack.isEmpty()
              ? "nothing held back (serving it widens no trust)"
              : "held back: "
                  + String.join("; ", heldBack.subList(0, Math.min(5, heldBack.size())))
                  + (heldBack.size() > 5 ? "; and " + (heldBack.size() - 5) + " more" : "");
      return "rule " + violation.rule() + ": " + violation + "; " + held;
    }
  }

  /**
   * The outcome for one directory state.
   *
   * @param served what to serve
   * @param directory the directory as read, with its unreadable entries salvaged
   * @param findings every rule the directory breaks, with what each holds back
   * @param salvaged every entry that does not map, with what is served in its place
   */
  public record Decision(
      DirectoryContents served,
      DirectoryContents directory,
      List<Finding> findings,
      List<EntrySalvage.Outcome> salvaged) {
    public Decision {
      requireNonNull(served, "served == null");
      requireNonNull(directory, "directory == null");
      findings = List.copyOf(findings);
      salvaged = List.copyOf(salvaged);
    }

    /** No rule broken, no unreadable entry: the directory is served as it is. */
    public boolean whole() {
      return findings.isEmpty() && salvaged.isEmpty();
    }

    public List<RuleViolation> violations() {
      return findings.stream().map(Finding::violation).toList();
    }

    /**
     * Event 9201 for each unreadable entry and each broken rule, naming the object, the rule or
     * attribute, the value, and what is served instead.
     */
    public List<Event> events(Instant now) {
      List<Event> out = new ArrayList<>();
      for (EntrySalvage.Outcome o : salvaged) {
        out.add(
            Event.of(
                EventId.DIRECTORY_REJECTED,
                now,
                "Directory entry " + o.problem() + ": " + o.action(),
                "dn",
                o.problem().dn(),
                "attribute",
                String.valueOf(o.problem().attribute()),
                "value",
                String.valueOf(o.problem().value()),
                "served",
                o.action()));
      }
      for (Finding f : findings) {
        RuleViolation v = f.violation();
        out.add(
            Event.of(
                EventId.DIRECTORY_REJECTED,
                now,
                f.toString(),
                "object",
                v.object().toString(),
                "rule",
                v.rule().name(),
                "attribute",
                String.valueOf(v.attribute()),
                "value",
                String.valueOf(v.value()),
                "heldBack",
                f.heldBack()));
      }
      return out;
    }
  }

  private static final String OUTCALLS = "outcalls of ";

  private final EntrySalvage salvage;

  public TrustPolicy(DirectoryLayout layout) {
    this.salvage = new EntrySalvage(new EntryMapper(requireNonNull(layout, "layout == null")));
  }

  /**
   * Decides what to serve from {@code read}.
   *
   * @param served what was served before, or {@code null} at start-up (then every object a
   *     violation implicates is held back, as if it had just been added)
   */
  public Decision decide(DirectoryRead read, DirectoryContents served) {
    DirectoryContents before = served == null ? DirectoryContents.empty() : served;
    List<EntrySalvage.Outcome> salvaged = salvage.salvage(read, before);
    DirectoryContents directory = withSalvaged(read.contents(), salvaged);
    List<RuleViolation> violations = DirectoryValidator.validate(directory);
    if (violations.isEmpty()) {
      return new Decision(directory, directory, List.of(), salvaged);
    }

    Map<String, HuntGroup> huntGroups = new HashMap<>();
    directory.huntGroups().forEach(h -> huntGroups.put(h.ref().name(), h));
    Map<String, DialPlan> dialPlans = new HashMap<>();
    directory.dialPlans().forEach(d -> dialPlans.put(d.name(), d));
    Map<String, Gateway> gatewaysBefore = new HashMap<>();
    before.gateways().forEach(g -> gatewaysBefore.put(g.name(), g));
    Map<String, HuntGroup> groupsBefore = new HashMap<>();
    before.huntGroups().forEach(h -> groupsBefore.put(h.ref().name(), h));

    // Which objects each violation implicates, and how.
    Map<RuleViolation, List<ObjectRef>> implicated = new HashMap<>();
    Set<String> wholeGateways = new HashSet<>();
    Set<String> outcallGateways = new HashSet<>();
    Set<String> wholeGroups = new HashSet<>();
    for (RuleViolation v : violations) {
      List<ObjectRef> refs = new ArrayList<>();
      String name = v.object().name();
      switch (v.rule()) {
        case ADDRESS_UNIQUE -> refs.add(ObjectRef.gateway(name));
        case SECURED_NEEDS_FQDN, SECURED_NEEDS_TLS_PORT -> {
          refs.add(ObjectRef.gateway(name));
          for (HuntGroup h : directory.huntGroups()) {
            DialPlan dp = dialPlans.get(h.dialPlan());
            if (h.gateway().equals(name) && dp != null && dp.voipSecurity().usesTls()) {
              refs.add(h.ref());
            }
          }
        }
        case PILOT_UNIQUE -> refs.add(v.object());
        case DIAL_PLAN_CAPACITY ->
            directory.huntGroups().stream()
                .filter(h -> h.dialPlan().equals(name))
                .forEach(h -> refs.add(h.ref()));
        case SIP_URI_SINGLE_OUTCALLS_GATEWAY -> outcallGateways.add(name);
        default -> {
          // Inert: a hunt group without its dial plan or gateway routes no call.
        }
      }
      implicated.put(v, refs);
      for (ObjectRef r : refs) {
        switch (r.kind()) {
          case GATEWAY -> wholeGateways.add(r.name());
          case HUNT_GROUP -> wholeGroups.add(r.name());
          default -> {}
        }
      }
    }

    Map<String, String> heldBack = new HashMap<>();
    List<Gateway> gateways = new ArrayList<>();
    Set<String> servedGateways = new HashSet<>();
    for (Gateway g : directory.gateways()) {
      Gateway s = g;
      Gateway prior = gatewaysBefore.get(g.name());
      if (wholeGateways.contains(g.name())) {
        s = meet(prior, g);
      }
      if (s != null && outcallGateways.contains(g.name()) && s.outcallsAllowed()) {
        boolean allowed = prior != null && prior.outcallsAllowed();
        if (!allowed) {
          s = s.toBuilder().outcallsAllowed(false).build();
          heldBack.put(OUTCALLS + g.name(), g.ref() + " is served with outcalls off");
        }
      }
      if (s == null) {
        heldBack.put(g.ref().toString(), g.ref() + " is not trusted until this is fixed");
        continue;
      }
      if (!s.equals(g) && wholeGateways.contains(g.name())) {
        heldBack.put(g.ref().toString(), describe(g, s));
      }
      gateways.add(s);
      servedGateways.add(s.name());
    }
    List<HuntGroup> groups = new ArrayList<>();
    for (HuntGroup h : directory.huntGroups()) {
      if (!servedGateways.contains(h.gateway())) {
        continue;
      }
      HuntGroup s = h;
      if (wholeGroups.contains(h.ref().name())) {
        s = meet(groupsBefore.get(h.ref().name()), h);
      }
      if (s == null) {
        heldBack.put(h.ref().toString(), h.ref() + " routes no call until this is fixed");
        continue;
      }
      groups.add(s);
    }

    List<Finding> findings = new ArrayList<>();
    for (RuleViolation v : violations) {
      List<String> held = new ArrayList<>();
      for (ObjectRef r : implicated.get(v)) {
        String what = heldBack.get(r.toString());
        if (what != null) {
          held.add(what);
        }
      }
      if (v.rule() == org.umgw.rules.Rule.SIP_URI_SINGLE_OUTCALLS_GATEWAY) {
        String what = heldBack.get(OUTCALLS + v.object().name());
        if (what != null) {
          held.add(what);
        }
      }
      findings.add(new Finding(v, held));
    }
    DirectoryContents out =
        new DirectoryContents(directory.dialPlans(), gateways, groups, directory.servers());
    return new Decision(out, directory, findings, salvaged);
  }

  /**
   * The most that both versions of a gateway allow: nothing when either is absent; the earlier
   * version Disabled when the address moved or the families share no address (neither place can be
   * trusted); else the new version with the stricter status, the narrower family, and each
   * permission only if both allow it.
   */
  static Gateway meet(Gateway before, Gateway now) {
    if (before == null || now == null) {
      return null;
    }
    IpAddressFamily family = meet(before.ipAddressFamily(), now.ipAddressFamily());
    if (!before.address().equals(now.address()) || family == null) {
      return before.status() == GatewayStatus.Disabled
          ? before
          : before.withStatus(GatewayStatus.Disabled);
    }
    return now.toBuilder()
        .ipAddressFamily(family)
        .status(stricter(before.status(), now.status()))
        .outcallsAllowed(before.outcallsAllowed() && now.outcallsAllowed())
        .messageWaitingIndicatorAllowed(
            before.messageWaitingIndicatorAllowed() && now.messageWaitingIndicatorAllowed())
        .simulator(before.simulator() || now.simulator())
        .delayedSourcePartyInfoEnabled(
            before.delayedSourcePartyInfoEnabled() && now.delayedSourcePartyInfoEnabled())
        .build();
  }

  /** A hunt group is kept only unchanged (hunt groups are replaced, never modified). */
  static HuntGroup meet(HuntGroup before, HuntGroup now) {
    if (before == null
        || now == null
        || !before.dialPlan().equals(now.dialPlan())
        || !before.pilotKey().equals(now.pilotKey())) {
      return null;
    }
    return now;
  }

  private static IpAddressFamily meet(IpAddressFamily a, IpAddressFamily b) {
    if (a == b) {
      return a;
    }
    if (a == IpAddressFamily.Any) {
      return b;
    }
    if (b == IpAddressFamily.Any) {
      return a;
    }
    return null;
  }

  private static GatewayStatus stricter(GatewayStatus a, GatewayStatus b) {
    return rank(a) <= rank(b) ? a : b;
  }

  private static int rank(GatewayStatus s) {
    return switch (s) {
      case Disabled -> 0;
      case NoNewCalls -> 1;
      case Enabled -> 2;
    };
  }

  private static String describe(Gateway now, Gateway served) {
    if (!served.address().equals(now.address())) {
      return now.ref()
          + " is served Disabled at its previous address "
          + served.address().text()
          + " until this is fixed";
    }
    if (served.status() != now.status()) {
      return now.ref() + " is served " + served.status() + " until this is fixed";
    }
    return now.ref() + " keeps its previous, narrower settings until this is fixed";
  }

  private static DirectoryContents withSalvaged(
      DirectoryContents contents, List<EntrySalvage.Outcome> salvaged) {
    if (salvaged.isEmpty()) {
      return contents;
    }
    List<DialPlan> dialPlans = new ArrayList<>(contents.dialPlans());
    List<Gateway> gateways = new ArrayList<>(contents.gateways());
    List<HuntGroup> huntGroups = new ArrayList<>(contents.huntGroups());
    List<UmServer> servers = new ArrayList<>(contents.servers());
    for (EntrySalvage.Outcome o : salvaged) {
      if (o.object() instanceof DialPlan x) {
        dialPlans.add(x);
      } else if (o.object() instanceof Gateway x) {
        gateways.add(x);
      } else if (o.object() instanceof HuntGroup x) {
        huntGroups.add(x);
      } else if (o.object() instanceof UmServer x) {
        servers.add(x);
      }
    }
    dialPlans.sort(java.util.Comparator.comparing(DialPlan::name));
    gateways.sort(java.util.Comparator.comparing(Gateway::name));
    huntGroups.sort(
        java.util.Comparator.comparing(HuntGroup::gateway).thenComparing(HuntGroup::name));
    servers.sort(java.util.Comparator.comparing(UmServer::name));
    return new DirectoryContents(dialPlans, gateways, huntGroups, servers);
  }
}
