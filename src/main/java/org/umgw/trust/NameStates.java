package org.umgw.trust;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.dns.NameResolver;
import org.umgw.dns.Resolution;
import org.umgw.trust.NameAnswers.NameState;

/**
 * The names {@link TrustedPeers} keeps resolved, on its loop thread: each needed name's state (into
 * which {@link NameAnswers} folds every answer) and its next lookup, every answer as a persistent
 * map the snapshots share, the names re-resolved since the last build, and the address changes the
 * next 1424 event reports.
 */
final class NameStates {
  private static final Logger LOG = LoggerFactory.getLogger(NameStates.class);

  private final NameResolver resolver;
  private final NameAnswers answers;
  private final ScheduledExecutorService loop;
  private final Clock clock;
  private final Runnable rebuildSoon;

  private final Map<NameKey, NameState> states = new HashMap<>();
  private PMap<NameKey, ResolvedName> resolved = HashTreePMap.empty();
  private Set<NameKey> reResolved = new HashSet<>();
  private Map<String, List<String>> addressChanges = new LinkedHashMap<>();

  /**
   * @param loop the one thread everything here runs on, and schedules lookups on
   * @param rebuildSoon asks for an incremental build after a re-resolution changed a name
   */
  NameStates(
      NameResolver resolver,
      NameAnswers answers,
      ScheduledExecutorService loop,
      Clock clock,
      Runnable rebuildSoon) {
    this.resolver = resolver;
    this.answers = answers;
    this.loop = loop;
    this.clock = clock;
    this.rebuildSoon = rebuildSoon;
  }

  /**
   * Needs exactly {@code wanted} (a whole directory's names): forgets the others.
   *
   * @return the names new here, to resolve
   */
  List<NameKey> adopt(Set<NameKey> wanted) {
    List<NameKey> added = new ArrayList<>();
    for (NameKey key : wanted) {
      if (!states.containsKey(key)) {
        states.put(key, new NameState(key));
        added.add(key);
      }
    }
    for (NameKey key : new ArrayList<>(states.keySet())) {
      if (!wanted.contains(key)) {
        NameState gone = states.remove(key);
        if (gone.next != null) {
          gone.next.cancel(false);
        }
      }
    }
    return added;
  }

  /**
   * Takes the names a staged change made needed or no longer needed; the others keep their state.
   *
   * @return the names new here, to resolve
   */
  List<NameKey> stage(TrustIndex.NameChanges names) {
    for (NameKey key : names.removed()) {
      NameState gone = states.remove(key);
      if (gone != null && gone.next != null) {
        gone.next.cancel(false);
      }
      resolved = resolved.minus(key);
    }
    List<NameKey> fresh = new ArrayList<>();
    for (NameKey key : names.added()) {
      if (!states.containsKey(key)) {
        NameState s = new NameState(key);
        states.put(key, s);
        resolved = resolved.plus(key, s.resolved());
        fresh.add(key);
      }
    }
    return fresh;
  }

  /** Folds the answers of a first resolution in (names no longer needed meanwhile are skipped). */
  void answered(Map<NameKey, Resolution> given) {
    for (Map.Entry<NameKey, Resolution> e : given.entrySet()) {
      NameState state = states.get(e.getKey());
      if (state != null && apply(state, e.getValue())) {
        reResolved.add(state.key);
      }
    }
  }

  /**
   * Takes the saved addresses, each marked stale since {@code resolvedAt}, and re-resolves every
   * name at once.
   */
  void restore(Map<NameKey, ResolvedName> saved, Instant resolvedAt) {
    for (NameState s : states.values()) {
      ResolvedName r = saved.get(s.key);
      // A copy saved by an older version may hold what the check now refuses.
      List<InetAddress> kept =
          r == null ? List.of() : answers.usable(s, r.addresses(), clock.instant());
      if (!kept.isEmpty()) {
        s.addresses = kept;
        s.stale = true;
        s.lastSuccess = resolvedAt;
      }
      if (s.next != null) {
        s.next.cancel(false);
      }
      NameKey key = s.key;
      s.next = loop.schedule(() -> refresh(key), 0, TimeUnit.MILLISECONDS);
    }
  }

  /** Every answer, as the snapshots share it. */
  PMap<NameKey, ResolvedName> resolved() {
    return resolved;
  }

  /** Every answer, collected afresh for a full build, which makes the re-resolved names moot. */
  PMap<NameKey, ResolvedName> resolvedAfresh() {
    Map<NameKey, ResolvedName> all = new HashMap<>();
    for (NameState s : states.values()) {
      all.put(s.key, s.resolved());
    }
    resolved = HashTreePMap.from(all);
    reResolved = new HashSet<>();
    return resolved;
  }

  /** The names whose answers changed since the last call, for an incremental build. */
  Set<NameKey> takeReResolved() {
    Set<NameKey> taken = reResolved;
    reResolved = new HashSet<>();
    return taken;
  }

  /** The address changes by name since the last call ({@code +added}, {@code -removed}). */
  Map<String, List<String>> takeAddressChanges() {
    Map<String, List<String>> taken = addressChanges;
    addressChanges = new LinkedHashMap<>();
    return taken;
  }

  /** Re-resolves one name when its time comes; the answer is applied on the loop. */
  private void refresh(NameKey key) {
    NameState state = states.get(key);
    if (state == null) {
      return;
    }
    resolver
        .resolve(key.name(), key.family())
        .whenComplete(
            (r, e) ->
                execute(
                    () -> {
                      NameState current = states.get(key);
                      if (current != state) {
                        return;
                      }
                      Resolution answer =
                          r != null
                              ? r
                              : new Resolution.Failure(key.name(), String.valueOf(e), false);
                      if (apply(state, answer)) {
                        reResolved.add(key);
                        rebuildSoon.run();
                      }
                    }));
  }

  /**
   * Folds one answer into a name's state ({@link NameAnswers}), schedules the next lookup, and
   * keeps the persistent answers and the 1424 details current.
   *
   * @return whether the name's addresses or staleness changed
   */
  private boolean apply(NameState s, Resolution answer) {
    NameAnswers.Folded f = answers.fold(s, answer);
    s.next = loop.schedule(() -> refresh(s.key), f.nextLookup().toMillis(), TimeUnit.MILLISECONDS);
    if (f.addressChange() != null) {
      addressChanges.put(s.key.name(), f.addressChange());
    }
    if (f.changed() && states.get(s.key) == s) {
      resolved = resolved.plus(s.key, s.resolved());
    }
    return f.changed();
  }

  private void execute(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException closed) {
      LOG.debug("a DNS answer arrived after close; dropped");
    }
  }
}
