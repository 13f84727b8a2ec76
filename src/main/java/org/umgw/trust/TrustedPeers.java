package org.umgw.trust;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.pcollections.HashTreePMap;
import org.pcollections.PMap;
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
 * <p>All state lives on one scheduler thread; readers only read a volatile snapshot.
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

  /** What is known about one name; confined to the refresh thread. */
  private static final class NameState {
    final NameKey key;
    List<InetAddress> addresses = List.of();
    boolean stale;
    Instant lastSuccess;
    boolean reportedUnresolved;

    /** Addresses of the last answer that {@link GatewayAddress#checkPeerAddress} refused. */
    Set<InetAddress> refused = Set.of();

    ScheduledFuture<?> next;

    NameState(NameKey key) {
      this.key = key;
    }

    ResolvedName resolved() {
      return new ResolvedName(addresses, stale);
    }
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
  private final Map<NameKey, NameState> states = new HashMap<>();
  private DirectoryContents contents = DirectoryContents.empty();
  private ScheduledFuture<?> pendingRebuild;
  private Map<String, List<String>> pendingChanges = new LinkedHashMap<>();
  private volatile TrustSnapshot snapshot;

  // Loop thread: the incremental build state, every name's answer (persistent, shared with the
  // snapshots), and the names re-resolved since the last build.
  private final TrustIndex index;
  private PMap<NameKey, ResolvedName> resolved = HashTreePMap.empty();
  private Set<NameKey> reResolved = new HashSet<>();

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
            r -> {
              Thread t = new Thread(r, "umgw-trust-refresh");
              t.setDaemon(true);
              return t;
            });
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
    Map<NameKey, Resolution> answers = resolveAll(added, progress);
    return onLoop(
        () -> {
          for (Map.Entry<NameKey, Resolution> e : answers.entrySet()) {
            NameState state = states.get(e.getKey());
            if (state != null) {
              apply(state, e.getValue());
            }
          }
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
              TrustIndex.NameChanges names = index.stage(next, delta);
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
            });
    Map<NameKey, Resolution> answers =
        added.isEmpty() ? Map.of() : resolveAll(added, (done, total) -> {});
    return onLoop(
        () -> {
          for (Map.Entry<NameKey, Resolution> e : answers.entrySet()) {
            NameState state = states.get(e.getKey());
            if (state != null && apply(state, e.getValue())) {
              reResolved.add(state.key);
            }
          }
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
          for (NameState s : states.values()) {
            ResolvedName r = saved.get(s.key);
            // A copy saved by an older version may hold what the check now refuses.
            List<InetAddress> kept =
                r == null ? List.of() : usable(s, r.addresses(), clock.instant());
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
          rebuildFull();
          return snapshot;
        });
  }

  private List<NameKey> adopt(DirectoryContents newContents) {
    contents = newContents;
    Set<NameKey> wanted = TrustSnapshot.namesOf(newContents);
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

  private Map<NameKey, Resolution> resolveAll(List<NameKey> keys, Progress progress) {
    Map<NameKey, CompletableFuture<Resolution>> pending = new LinkedHashMap<>();
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    int total = keys.size();
    for (NameKey key : keys) {
      CompletableFuture<Resolution> f =
          resolver.resolve(key.name(), key.family()).toCompletableFuture();
      f.whenComplete((r, e) -> progress.resolved(done.incrementAndGet(), total));
      pending.put(key, f);
    }
    Map<NameKey, Resolution> out = new LinkedHashMap<>();
    for (Map.Entry<NameKey, CompletableFuture<Resolution>> e : pending.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new UmgwException("interrupted while resolving " + e.getKey(), ex);
      } catch (ExecutionException ex) {
        out.put(
            e.getKey(),
            new Resolution.Failure(e.getKey().name(), String.valueOf(ex.getCause()), false));
      }
    }
    return out;
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
                        rebuildSoon();
                      }
                    }));
  }

  /**
   * Folds one answer into a name's state, raises the events it calls for and schedules the next
   * lookup.
   *
   * @return whether the name's addresses or staleness changed
   */
  private boolean apply(NameState s, Resolution answer) {
    Instant now = clock.instant();
    List<InetAddress> before = s.addresses;
    boolean staleBefore = s.stale;
    Duration wait;
    if (answer instanceof Resolution.NoAddress) {
      s.refused = Set.of(); // a bad record that comes back is reported again
    }
    Resolution r = answer instanceof Resolution.Addresses given ? usable(s, given, now) : answer;
    if (r instanceof Resolution.Addresses a) {
      if (staleBefore || s.reportedUnresolved) {
        emit(
            EventId.PEER_NAME_RESOLVED_AGAIN,
            now,
            "Peer host name " + s.key.name() + " resolves again: " + texts(a.addresses()),
            "name",
            s.key.name(),
            "addresses",
            texts(a.addresses()));
      }
      s.addresses = a.addresses();
      s.stale = false;
      s.lastSuccess = now;
      s.reportedUnresolved = false;
      wait = clamp(a.ttl());
    } else if (r instanceof Resolution.NoAddress n) {
      s.addresses = List.of();
      s.stale = false;
      if (!s.reportedUnresolved) {
        s.reportedUnresolved = true;
        emit(
            EventId.PEER_NAME_UNRESOLVED,
            now,
            "Peer host name "
                + s.key.name()
                + " does not resolve ("
                + n.kind()
                + " for "
                + s.key.family()
                + "): it is left out of the trusted peers",
            "name",
            s.key.name(),
            "family",
            s.key.family().name(),
            "reason",
            n.kind().name());
      }
      wait = clamp(n.negativeTtl());
    } else {
      wait = failure(s, (Resolution.Failure) r, now);
    }
    s.next = loop.schedule(() -> refresh(s.key), wait.toMillis(), TimeUnit.MILLISECONDS);
    String name = s.key.name();
    if (!before.equals(s.addresses)) {
      List<String> plus = texts(minus(s.addresses, before));
      List<String> less = texts(minus(before, s.addresses));
      pendingChanges.put(name, List.of("+" + String.join(",", plus), "-" + String.join(",", less)));
    }
    boolean changed = !before.equals(s.addresses) || staleBefore != s.stale;
    if (changed && states.get(s.key) == s) {
      resolved = resolved.plus(s.key, s.resolved());
    }
    return changed;
  }

  /**
   * The answer without the addresses no gateway may have ({@link GatewayAddress#checkPeerAddress},
   * the check literals pass), raising 9105 for each address refused now that the previous answer
   * did not already have: a name re-resolved every few seconds reports its bad record once. An
   * answer left with no address is NODATA for the name.
   */
  private Resolution usable(NameState s, Resolution.Addresses a, Instant now) {
    List<InetAddress> kept = usable(s, a.addresses(), now);
    if (kept.size() == a.addresses().size()) {
      return a;
    }
    return kept.isEmpty()
        ? new Resolution.NoAddress(a.name(), Resolution.NoAddress.Kind.NODATA, a.ttl())
        : new Resolution.Addresses(a.name(), kept, a.ttl());
  }

  private List<InetAddress> usable(NameState s, List<InetAddress> given, Instant now) {
    List<InetAddress> kept = new ArrayList<>();
    Set<InetAddress> refused = new HashSet<>();
    for (InetAddress ip : given) {
      try {
        kept.add(GatewayAddress.checkPeerAddress(ip));
      } catch (IllegalArgumentException e) {
        refused.add(ip);
        if (!s.refused.contains(ip)) {
          String address = InetAddresses.toAddrString(ip);
          emit(
              EventId.PEER_ADDRESS_REFUSED,
              now,
              "Peer host name "
                  + s.key.name()
                  + " resolves to "
                  + address
                  + ", which is left out of the trusted peers: "
                  + e.getMessage(),
              "name",
              s.key.name(),
              "address",
              address,
              "reason",
              e.getMessage());
        }
      }
    }
    s.refused = Set.copyOf(refused);
    return kept;
  }

  private Duration failure(NameState s, Resolution.Failure f, Instant now) {
    boolean known = !s.addresses.isEmpty();
    if (f.dnssecBogus()) {
      s.addresses = List.of();
      s.stale = false;
      if (!s.reportedUnresolved) {
        s.reportedUnresolved = true;
        emit(
            EventId.PEER_NAME_UNRESOLVED,
            now,
            "Peer host name " + s.key.name() + " failed DNSSEC validation: " + f.reason(),
            "name",
            s.key.name(),
            "reason",
            "DNSSEC: " + f.reason());
      }
      return clamp(options.failureRetry());
    }
    if (!known) {
      if (!s.reportedUnresolved) {
        s.reportedUnresolved = true;
        emit(
            EventId.PEER_NAME_UNRESOLVED,
            now,
            "Peer host name "
                + s.key.name()
                + " could not be resolved ("
                + f.reason()
                + ") and has no last known address: it is left out of the trusted peers",
            "name",
            s.key.name(),
            "reason",
            f.reason(),
            LOOKUP_FAILED,
            true);
      }
      return clamp(options.failureRetry());
    }
    Instant expires = s.lastSuccess.plus(options.maxStale());
    if (!now.isBefore(expires)) {
      emit(
          EventId.PEER_STALE_ADDRESSES_DROPPED,
          now,
          "Peer host name "
              + s.key.name()
              + " has failed to resolve since "
              + s.lastSuccess
              + " ("
              + f.reason()
              + "); its stale addresses "
              + texts(s.addresses)
              + " are dropped after the maximum staleness of "
              + options.maxStale(),
          "name",
          s.key.name(),
          "addresses",
          texts(s.addresses),
          "reason",
          f.reason());
      s.addresses = List.of();
      s.stale = false;
      s.reportedUnresolved = true;
      return clamp(options.failureRetry());
    }
    if (!s.stale) {
      s.stale = true;
      emit(
          EventId.PEER_ADDRESSES_STALE,
          now,
          "Peer host name "
              + s.key.name()
              + " could not be resolved ("
              + f.reason()
              + "); its last known addresses "
              + texts(s.addresses)
              + " stay trusted, marked stale, until "
              + expires,
          "name",
          s.key.name(),
          "addresses",
          texts(s.addresses),
          "reason",
          f.reason(),
          "staleUntil",
          expires.toString());
    }
    Duration untilExpiry = Duration.between(now, expires);
    Duration retry = clamp(options.failureRetry());
    return untilExpiry.compareTo(retry) < 0 ? untilExpiry : retry;
  }

  private Duration clamp(Duration ttl) {
    if (ttl.compareTo(options.minTtl()) < 0) {
      return options.minTtl();
    }
    return ttl.compareTo(options.maxTtl()) > 0 ? options.maxTtl() : ttl;
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
    Map<NameKey, ResolvedName> all = new HashMap<>();
    for (NameState s : states.values()) {
      all.put(s.key, s.resolved());
    }
    resolved = HashTreePMap.from(all);
    reResolved = new HashSet<>();
    TrustSnapshot before = snapshot;
    TrustSnapshot after = index.reset(contents, resolved, clock.instant());
    if (before.peers().equals(after.peers()) && sameRouting(before.contents(), contents)) {
      pendingChanges = new LinkedHashMap<>();
      return;
    }
    Set<String> old = new HashSet<>();
    before.duplicates().forEach(e -> old.add(e.message()));
    List<Event> newDuplicates =
        after.duplicates().stream().filter(d -> !old.contains(d.message())).toList();
    Set<String> beforeIps = ipsOf(before);
    Set<String> afterIps = ipsOf(after);
    List<String> added = afterIps.stream().filter(ip -> !beforeIps.contains(ip)).toList();
    List<String> removed = beforeIps.stream().filter(ip -> !afterIps.contains(ip)).toList();
    publish(before, after, added, removed, newDuplicates);
  }

  /**
   * Builds the next snapshot from what changed since the last build (a directory change staged in
   * the index, names re-resolved): O(what they touch).
   */
  private void rebuildChanged() {
    index.resolved(reResolved);
    reResolved = new HashSet<>();
    TrustIndex.Update u = index.build(resolved, clock.instant());
    if (!u.peersChanged() && !u.routingChanged()) {
      pendingChanges = new LinkedHashMap<>();
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
    Map<String, List<String>> names = pendingChanges;
    pendingChanges = new LinkedHashMap<>();
    snapshot = after;
    newDuplicates.forEach(events::onEvent);
    Event refreshed =
        Event.of(
            EventId.PEER_CACHE_REFRESHED,
            after.builtAt(),
            "The trusted peer list was refreshed: "
                + after.peers().size()
                + " peers, "
                + added.size()
                + " added "
                + added
                + ", "
                + removed.size()
                + " removed "
                + removed,
            "peers",
            after.peers().size(),
            "added",
            added,
            "removed",
            removed,
            "names",
            names);
    events.onEvent(refreshed);
    Change change = new Change(before, after, refreshed);
    for (ChangeListener l : listeners) {
      try {
        l.onChange(change);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(TrustedPeers.class)
            .warn("trust change listener {} failed", l, e);
      }
    }
  }

  /** Hunt groups and dial plans decide routing; gateways and servers are part of the peers. */
  private static boolean sameRouting(DirectoryContents a, DirectoryContents b) {
    return a == b || (a.huntGroups().equals(b.huntGroups()) && a.dialPlans().equals(b.dialPlans()));
  }

  private static Set<String> ipsOf(TrustSnapshot s) {
    Set<String> out = new TreeSet<>();
    for (Peer p : s.peers()) {
      out.add(p.addressText());
    }
    return out;
  }

  private void emit(EventId id, Instant now, String message, Object... details) {
    events.onEvent(Event.of(id, now, message, details));
  }

  private static List<InetAddress> minus(List<InetAddress> a, List<InetAddress> b) {
    List<InetAddress> out = new ArrayList<>(a);
    out.removeAll(b);
    return out;
  }

  private static List<String> texts(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddresses::toAddrString).toList();
  }

  private void execute(Runnable task) {
    try {
      loop.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // Closed: late DNS answers are dropped.
    }
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
