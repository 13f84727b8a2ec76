package org.umgw.trust;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.umgw.dns.NameResolver;
import org.umgw.dns.Resolution;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;
import org.umgw.events.RefusalLog;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayAddress;
import org.umgw.model.UmgwException;

/**
 * The trusted SIP peers, kept current: resolves every gateway and server name, re-resolves each
 * when its TTL runs out, and swaps in a new {@link TrustSnapshot} only when an address changed.
 *
 * <pre>{@code
 * try (TrustedPeers peers = new TrustedPeers(resolver, TrustedPeers.Options.defaults(),
 *     Clock.systemUTC(), events)) {
 *   peers.update(store.readAll().contents());   // first load: waits for DNS
 *   Optional<Peer> p = peers.lookup(source);     // any thread, never blocks
 * }
 * }</pre>
 *
 * <p>DNS failure policy: a name with no address (NXDOMAIN, no data, DNSSEC bogus) gives none and
 * raises event 1194; a lookup that fails (SERVFAIL, timeout) keeps the name's last known addresses,
 * marked stale (event 9101), until {@link Options#maxStale()} has passed since the last good answer
 * (then event 9102 and they are dropped); a name that never resolved gives none. Every swap raises
 * event 1424 with what was added and removed. An answer (DNS or hosts file) passes the same check
 * as a literal address ({@link GatewayAddress#checkPeerAddress}): {@code 0.0.0.0}, {@code ::},
 * multicast, broadcast and IPv4-mapped addresses are left out with event 9105, once per change.
 *
 * <p>All state lives on one scheduler thread; readers only read a volatile snapshot. The parts:
 * {@link NameStates} (each name's state and next lookup; {@link NameAnswers} folds the answers),
 * {@link TrustIndex} (the snapshots, in full or by change) and {@link PeerChanges} (1175, 1424 and
 * the listeners).
 */
public final class TrustedPeers implements AutoCloseable {
  /**
   * Timing of re-resolution.
   *
   * @param minTtl shortest wait before re-resolving, whatever the record's TTL
   * @param maxTtl longest wait before re-resolving, whatever the record's TTL
   * @param maxStale how long last known addresses survive failing lookups
   * @param failureRetry wait before retrying a failed lookup
   */
  public record Options(
      Duration minTtl, Duration maxTtl, Duration maxStale, Duration failureRetry) {
    public Options {
      requireNonNull(minTtl, "minTtl == null");
      requireNonNull(maxTtl, "maxTtl == null");
      requireNonNull(maxStale, "maxStale == null");
      requireNonNull(failureRetry, "failureRetry == null");
      if (minTtl.isNegative() || maxTtl.compareTo(minTtl) < 0) {
        throw new IllegalArgumentException(
            "TTL clamp must satisfy 0 <= min <= max, not " + minTtl + ".." + maxTtl);
      }
    }

    /** 5 s to 1 h between lookups, 24 h of staleness, retries every 30 s. */
    public static Options defaults() {
      return new Options(
          Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofHours(24), Duration.ofSeconds(30));
    }
  }

  /** A published change of the trusted list. */
  public record Change(TrustSnapshot before, TrustSnapshot after, Event event) {}

  /** Notified after each swap, on the refresh thread. */
  @FunctionalInterface
  public interface ChangeListener {
    void onChange(Change change);
  }

  private static final Duration REBUILD_DELAY = Duration.ofMillis(20);

  /**
   * Detail key of event 1194 when the name gave no address because DNS did not answer (timeout,
   * SERVFAIL), as opposed to answering that it has none: a one-shot export treats the former as a
   * failure.
   */
  public static final String LOOKUP_FAILED = "lookupFailed";

  private final NameResolver resolver;
  private final Options options;
  private final Clock clock;
  private final EventListener events;
  private final RefusalLog refusals;
  private final ScheduledExecutorService loop;
  private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
  private DirectoryContents contents = DirectoryContents.empty();
  private ScheduledFuture<?> pendingRebuild;
  private volatile TrustSnapshot snapshot;

  // Loop thread: the incremental build state, and every name's state and answer.
  private final TrustIndex index;
  private final NameStates names;

  public TrustedPeers(NameResolver resolver, Options options, Clock clock, EventListener events) {
    this.resolver = requireNonNull(resolver, "resolver == null");
    this.options = requireNonNull(options, "options == null");
    this.clock = requireNonNull(clock, "clock == null");
    this.events = requireNonNull(events, "events == null");
    this.refusals = new RefusalLog(events, clock);
    this.index = new TrustIndex(clock.instant());
    this.snapshot = index.current();
    this.loop =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("umgw-trust-refresh").setDaemon(true).build());
    this.names =
        new NameStates(
            resolver, new NameAnswers(options, clock, events), loop, clock, this::rebuildSoon);
  }

  // ---------------------------------------------------------------- reads (any thread)

  /** The current snapshot; never {@code null}, never blocks. */
  public TrustSnapshot snapshot() {
    return snapshot;
  }

  /** The peer of {@code source}; allocation-free. */
  public Optional<Peer> lookup(InetAddress source) {
    return snapshot.lookup(source);
  }

  /** Admits a call; a refusal's event (1021, 1442, no hunt group) goes to the listeners. */
  public Admission admit(InetAddress source, String pilot, boolean overTls) {
    Admission a = snapshot.admit(source, pilot, overTls, clock);
    if (a instanceof Admission.Refused refused) {
      refusals.record(refused.event());
    }
    return a;
  }

  /**
   * Admits a call that came over mutual TLS by its certificate (see {@link
   * TrustSnapshot#admit(InetAddress, String, java.security.cert.X509Certificate[], Clock)}); a
   * refusal's event (9501–9503, 1442, no hunt group) goes to the listeners.
   */
  public Admission admit(
      InetAddress source, String pilot, java.security.cert.X509Certificate[] chain) {
    Admission a = snapshot.admit(source, pilot, chain, clock);
    if (a instanceof Admission.Refused refused) {
      refusals.record(refused.event());
    }
    return a;
  }

  public Optional<Gateway> outboundGateway(String dialPlan) {
    return snapshot.outboundGateway(dialPlan);
  }

  public Optional<Gateway> mwiGateway(String dialPlan) {
    return snapshot.mwiGateway(dialPlan);
  }

  public void addListener(ChangeListener listener) {
    listeners.add(listener);
  }

  public void removeListener(ChangeListener listener) {
    listeners.remove(listener);
  }

  // ---------------------------------------------------------------- updates

  /**
   * Takes a new directory: resolves the names it adds (waiting for their answers), forgets the
   * names it drops, and publishes the resulting snapshot.
   *
   * @return the snapshot in service afterwards
   */
  public TrustSnapshot update(DirectoryContents newContents) {
    return update(newContents, (done, total) -> {});
  }

  /** Reports how many of the names an update resolves have answered so far. */
  @FunctionalInterface
  public interface Progress {
    /** Called from resolver threads as answers arrive. */
    void resolved(int done, int total);
  }

  /** As {@link #update(DirectoryContents)}, reporting the resolution's progress. */
  public TrustSnapshot update(DirectoryContents newContents, Progress progress) {
    requireNonNull(newContents, "newContents == null");
    List<NameKey> added = onLoop(() -> adopt(newContents));
    Map<NameKey, Resolution> answers = NameAnswers.resolveAll(resolver, added, progress);
    return onLoop(
        () -> {
          names.answered(answers);
          rebuildFull();
          return snapshot;
        });
  }

  /**
   * Takes a change of the directory in O(change): {@code next} is the directory after {@code
   * delta}, which names what changed since the contents of the last {@link #update} or {@code
   * apply}. Resolves only the names the change adds (waiting for their answers), forgets those it
   * drops (the others keep their state and schedule), and publishes a snapshot that shares
   * everything the change does not touch. Equal to {@link #update}{@code (next)}.
   *
   * @return the snapshot in service afterwards
   */
  public TrustSnapshot apply(DirectoryContents next, ContentsDelta delta) {
    requireNonNull(next, "next == null");
    requireNonNull(delta, "delta == null");
    List<NameKey> added =
        onLoop(
            () -> {
              contents = next;
              return names.stage(index.stage(next, delta));
            });
    Map<NameKey, Resolution> answers =
        added.isEmpty() ? Map.of() : NameAnswers.resolveAll(resolver, added, (done, total) -> {});
    return onLoop(
        () -> {
          names.answered(answers);
          rebuildChanged();
          return snapshot;
        });
  }

  /**
   * Starts from a saved state without waiting for DNS: publishes {@code savedContents} with the
   * saved addresses, each marked stale (so {@link Options#maxStale()} counts from {@code
   * resolvedAt}), then re-resolves every name at once in the background. This is how a SIP server
   * restarted during a directory outage admits its peers from the on-disk copy.
   *
   * @return the snapshot in service afterwards
   */
  public TrustSnapshot restore(
      DirectoryContents savedContents, Map<NameKey, ResolvedName> saved, Instant resolvedAt) {
    requireNonNull(savedContents, "savedContents == null");
    requireNonNull(saved, "saved == null");
    requireNonNull(resolvedAt, "resolvedAt == null");
    return onLoop(
        () -> {
          adopt(savedContents);
          names.restore(saved, resolvedAt);
          rebuildFull();
          return snapshot;
        });
  }

  private List<NameKey> adopt(DirectoryContents newContents) {
    contents = newContents;
    return names.adopt(TrustSnapshot.namesOf(newContents));
  }

  /** Coalesces the answers of names expiring together into one swap. */
  private void rebuildSoon() {
    if (pendingRebuild == null || pendingRebuild.isDone()) {
      pendingRebuild =
          loop.schedule(this::rebuildChanged, REBUILD_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Builds the snapshot of the whole directory again (initial load, full refresh, restore): O(n),
   * and the 1424 event compares every IP.
   */
  private void rebuildFull() {
    TrustSnapshot before = snapshot;
    TrustSnapshot after = index.reset(contents, names.resolvedAfresh(), clock.instant());
    if (before.peers().equals(after.peers()) && sameRouting(before.contents(), contents)) {
      names.takeAddressChanges();
      return;
    }
    PeerChanges.Diff diff = PeerChanges.between(before, after);
    publish(before, after, diff.added(), diff.removed(), diff.newDuplicates());
  }

  /**
   * Builds the next snapshot from what changed since the last build (a directory change staged in
   * the index, names re-resolved): O(what they touch).
   */
  private void rebuildChanged() {
    index.resolved(names.takeReResolved());
    TrustIndex.Update u = index.build(names.resolved(), clock.instant());
    if (!u.peersChanged() && !u.routingChanged()) {
      names.takeAddressChanges();
      return;
    }
    publish(
        snapshot,
        u.snapshot(),
        texts(u.added()).stream().sorted().toList(),
        texts(u.removed()).stream().sorted().toList(),
        u.newDuplicates());
  }

  /** Swaps {@code after} in and tells: 1175 for new duplicates, then 1424, then the listeners. */
  private void publish(
      TrustSnapshot before,
      TrustSnapshot after,
      List<String> added,
      List<String> removed,
      List<Event> newDuplicates) {
    Map<String, List<String>> changes = names.takeAddressChanges();
    snapshot = after;
    PeerChanges.announce(events, listeners, before, after, added, removed, newDuplicates, changes);
  }

  /** Hunt groups and dial plans decide routing; gateways and servers are part of the peers. */
  private static boolean sameRouting(DirectoryContents a, DirectoryContents b) {
    return a == b || (a.huntGroups().equals(b.huntGroups()) && a.dialPlans().equals(b.dialPlans()));
  }

  private static List<String> texts(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddresses::toAddrString).toList();
  }

  private <T> T onLoop(Supplier<T> task) {
    try {
      return loop.submit(task::get).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UmgwException("interrupted while updating the trusted peers", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new UmgwException("updating the trusted peers failed: " + e.getCause(), e);
    }
  }

  /** Stops re-resolving; the last snapshot stays readable. The resolver is the caller's. */
  @Override
  public void close() {
    loop.shutdownNow();
    refusals.close();
  }

  /** Refusals of {@code type} since start, each counted even when aggregated in the log. */
  public long refusals(EventId type) {
    return refusals.total(type);
  }
}
