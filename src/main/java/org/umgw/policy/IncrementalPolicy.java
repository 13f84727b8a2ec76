package org.umgw.policy;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.model.ContentsDelta;
import org.umgw.model.ContentsIndex;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.rules.DirectoryValidator;
import org.umgw.rules.Rules;

/**
 * {@link TrustPolicy} for a directory followed change by change: the same decision, in O(change)
 * while the directory is whole, which is how a provider's directory is nearly all the time.
 *
 * <p>When the last decision served the directory as it was (no rule broken, no unreadable entry)
 * and the change brings no unreadable entry, the directory after the change is whole exactly when
 * the change breaks no rule around it. So the rules are re-checked on the change's neighbourhood
 * only, the way {@code RuleGuard} judges a write on the embedded directory: {@link
 * DirectoryValidator} runs over the changed objects, the gateways on their addresses, the hunt
 * groups of the changed gateways and of the dial plans they touch (their siblings), the dial plans
 * and gateways those link, and the gateways of SIP URI dial plans that allow outcalls (kept as an
 * index). Whole: the directory is served as it is, and what changed in it is what changed in what
 * is served. Anything else (a rule broken, an unreadable entry, a directory that was not whole
 * before, a delivery without a tracked delta) goes through {@link TrustPolicy#decide} over the
 * whole directory, as before, so fail-closed never depends on the shortcut: a revocation is served
 * at once on either path.
 *
 * <p>Not thread-safe: the service's worker owns it.
 */
public final class IncrementalPolicy {
  /**
   * One decision and what it changed in what is served.
   *
   * @param servedDelta from what was served before to {@code decision.served()}
   * @param incremental whether the decision was reached on the change's neighbourhood only
   */
  public record Outcome(
      TrustPolicy.Decision decision, ContentsDelta servedDelta, boolean incremental) {}

  private final TrustPolicy policy;
  private final ContentsIndex directory = new ContentsIndex();

  /** Gateways that allow outcalls and serve a SIP URI dial plan (the rule allows one). */
  private final Set<String> sipUriOutcalls = new HashSet<>();

  private TrustPolicy.Decision last;

  public IncrementalPolicy(DirectoryLayout layout) {
    this.policy = new TrustPolicy(requireNonNull(layout, "layout == null"));
  }

  /**
   * Decides what to serve from {@code read}.
   *
   * @param delta what changed since the read of the previous call, or {@code null} when unknown
   *     (start-up, full refresh, a feed without deltas): then everything is decided again
   * @param served what is served now, or {@code null} at start-up
   */
  public Outcome decide(DirectoryRead read, ContentsDelta delta, DirectoryContents served) {
    TrustPolicy.Decision before = last;
    boolean tracked = delta != null && before != null;
    if (tracked) {
      directory.apply(delta);
    } else {
      directory.reset(read.contents());
      sipUriOutcalls.clear();
      read.contents().gateways().forEach(g -> updateSipUri(g.name()));
    }
    if (tracked
        && before.whole()
        && before.served() == served
        && read.problems().isEmpty()
        && wholeAround(delta)) {
      DirectoryContents now = read.contents();
      last = new TrustPolicy.Decision(now, now, List.of(), List.of());
      return new Outcome(last, delta, true);
    }
    last = policy.decide(read, served);
    ContentsDelta servedDelta =
        ContentsDelta.between(served == null ? DirectoryContents.empty() : served, last.served());
    return new Outcome(last, servedDelta, false);
  }

  /** The latest decision, or {@code null} before the first. */
  public TrustPolicy.Decision last() {
    return last;
  }

  /**
   * Whether the directory breaks no rule around {@code delta}, given that it broke none before.
   * Every violation the change could create involves a changed object's rule inputs, all of which
   * the neighbourhood holds; a violation found there is one of the directory's (the neighbourhood
   * only ever undercounts, and only for dial plans the change did not touch).
   */
  private boolean wholeAround(ContentsDelta delta) {
    Set<String> core = new HashSet<>();
    Set<String> touchedPlans = new HashSet<>();
    for (ContentsDelta.Change<Gateway> c : delta.gateways()) {
      addIf(core, c.before() == null ? null : c.before().name());
      addIf(core, c.after() == null ? null : c.after().name());
    }
    for (ContentsDelta.Change<HuntGroup> c : delta.huntGroups()) {
      for (HuntGroup h : new HuntGroup[] {c.before(), c.after()}) {
        if (h != null) {
          core.add(h.gateway());
          touchedPlans.add(h.dialPlan());
        }
      }
    }
    for (ContentsDelta.Change<DialPlan> c : delta.dialPlans()) {
      for (DialPlan d : new DialPlan[] {c.before(), c.after()}) {
        if (d != null) {
          touchedPlans.add(d.name());
          directory.linking(d.name()).forEach(h -> core.add(h.gateway()));
        }
      }
    }
    core.forEach(this::updateSipUri);
    if (sipUriOutcalls.size() > 1) {
      return false; // SIP_URI_SINGLE_OUTCALLS_GATEWAY
    }
    Map<String, Gateway> gateways = new HashMap<>();
    Map<String, HuntGroup> groups = new HashMap<>();
    for (String name : core) {
      Gateway g = directory.gateway(name);
      if (g != null) {
        directory.atAddress(g.address().text()).forEach(o -> gateways.put(o.name(), o));
      }
      addGroups(groups, directory.huntGroupsOf(name).values());
    }
    for (String plan : touchedPlans) {
      addGroups(groups, directory.linking(plan));
    }
    for (String name : sipUriOutcalls) {
      addGroups(groups, directory.huntGroupsOf(name).values());
    }
    Map<String, DialPlan> plans = new HashMap<>();
    for (HuntGroup h : groups.values()) {
      Gateway g = directory.gateway(h.gateway());
      if (g != null) {
        gateways.put(g.name(), g);
      }
      DialPlan dp = directory.dialPlan(h.dialPlan());
      if (dp != null) {
        plans.put(dp.name(), dp);
      }
    }
    for (String plan : touchedPlans) {
      DialPlan dp = directory.dialPlan(plan);
      if (dp != null) {
        plans.put(dp.name(), dp);
      }
    }
    DirectoryContents neighbourhood =
        new DirectoryContents(
            List.copyOf(plans.values()),
            List.copyOf(gateways.values()),
            List.copyOf(groups.values()),
            List.of());
    return DirectoryValidator.validate(neighbourhood).isEmpty();
  }

  private void updateSipUri(String gateway) {
    Gateway g = directory.gateway(gateway);
    boolean member = false;
    if (g != null && g.outcallsAllowed()) {
      for (HuntGroup h : directory.huntGroupsOf(gateway).values()) {
        DialPlan dp = directory.dialPlan(h.dialPlan());
        if (dp != null && Rules.isSipUri(dp)) {
          member = true;
          break;
        }
      }
    }
    if (member) {
      sipUriOutcalls.add(gateway);
    } else {
      sipUriOutcalls.remove(gateway);
    }
  }

  private static void addGroups(Map<String, HuntGroup> into, Collection<HuntGroup> groups) {
    for (HuntGroup h : groups) {
      into.put(ContentsDelta.huntGroupKey(h), h);
    }
  }

  private static void addIf(Set<String> set, String value) {
    if (value != null) {
      set.add(value);
    }
  }
}
