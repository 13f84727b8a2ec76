package org.umgw.service;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPURL;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.DirectoryUnavailableException;
import org.umgw.directory.EntryProblem;
import org.umgw.dns.NameResolver;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;
import org.umgw.events.Events;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.DirectoryFeeds;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.feed.FeedUpdate;
import org.umgw.health.HealthListener;
import org.umgw.health.HealthMonitor;
import org.umgw.health.HealthOptions;
import org.umgw.health.HealthReport;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.UmgwException;
import org.umgw.rules.DirectoryValidator;
import org.umgw.rules.RuleViolation;
import org.umgw.rules.RuleViolationException;
import org.umgw.sip.OptionsProber;
import org.umgw.sip.ProberOptions;
import org.umgw.trust.Admission;
import org.umgw.trust.Peer;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;

/**
 * The library's entry point for a SIP server: follows the directory live, keeps the trusted peers
 * resolved, and answers "is this source trusted, which gateway is it, which dial plan does this
 * call belong to" from an immutable snapshot, without blocking, whatever the directory is doing.
 *
 * <pre>{@code
 * try (TrustService trust = TrustService.builder()
 *         .directory(DirectoryConfig.builder("ldap://ldap1:389,ldap://ldap2:389").build())
 *         .resolver(DnsResolver.builder().build())
 *         .snapshotFile(Path.of("/var/lib/umgw/last-good.json"))
 *         .build()
 *         .start()) {                       // throws if the directory breaks a rule
 *   trust.addGatewayStatusListener(c -> calls.apply(c.gateway(), c.action()));
 *   Admission a = trust.admit(source, pilot, overTls);   // any thread, never blocks
 * }
 * }</pre>
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li>Last known good: a lookup always answers from the last snapshot built from a directory that
 *       kept every rule. An outage, a directory change that breaks a rule (event 9201), or an entry
 *       that stops mapping (its last good version stays, event 9201) never empties or corrupts the
 *       list.
 *   <li>Live: changes arrive through the {@link DirectoryFeed} the server supports best; the feed
 *       reconnects with backoff, fails over between the configured URLs and catches up.
 *   <li>Restart during an outage: with {@link Builder#snapshotFile}, the last good snapshot is kept
 *       on disk and a start that cannot reach the directory serves from it (DNS re-resolved in the
 *       background), then follows the directory as soon as it answers.
 *   <li>Start-up on a directory that breaks a rule fails with the violations, as Exchange's UM
 *       service refused to start.
 * </ul>
 */
public final class TrustService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrustService.class);
  private static final Duration SAVE_DELAY = Duration.ofMillis(200);
  private static final Duration CONNECT_BACKOFF_MIN = Duration.ofSeconds(1);
  private static final Duration CONNECT_BACKOFF_MAX = Duration.ofSeconds(30);

  /** Opens the change feed over a pool (the seam between the service and LDAP). */
  @FunctionalInterface
  public interface FeedFactory {
    DirectoryFeed open(LDAPConnectionPool pool, DirectoryLayout layout);
  }

  /** Where the snapshot in service came from. */
  public enum Source {
    /** Nothing loaded yet. */
    NONE,
    /** The directory (live). */
    DIRECTORY,
    /** The on-disk copy, because the directory could not be reached at start-up. */
    DISK
  }

  /**
   * A point-in-time view of the service for health checks and operators.
   *
   * @param connected the feed follows a directory server now
   * @param server the server followed (or last followed), {@code host:port}, or {@code null}
   * @param feed the feed mechanism in use, or {@code null} before the first connection
   * @param source where the snapshot in service came from
   * @param lastUpdate when the snapshot last took a directory change, or {@code null}
   * @param rejection why the latest directory state was refused (rule broken), or {@code null}
   */
  public record Status(
      boolean connected,
      String server,
      FeedKind feed,
      Source source,
      Instant lastUpdate,
      String rejection) {}

  private record Delivery(long seq, DirectoryRead read, FeedUpdate update) {}

  private final DirectoryConfig config;
  private final LDAPConnectionPool givenPool;
  private final DirectoryLayout layout;
  private final NameResolver resolver;
  private final FeedFactory feedFactory;
  private final SnapshotFile snapshotFile;
  private final Duration startTimeout;
  private final Clock clock;
  private final Events events = new Events();
  private final TrustedPeers peers;
  private final ScheduledExecutorService worker;
  private final List<GatewayStatusListener> statusListeners = new CopyOnWriteArrayList<>();
  private final List<HealthListener> healthListeners = new ArrayList<>();
  private final CompletableFuture<Void> firstDelivery = new CompletableFuture<>();
  private final ProberOptions proberOptions;
  private final HealthOptions healthOptions;
  private OptionsProber prober;
  private HealthMonitor health;

  // Guarded by this.
  private long seq;
  private Delivery latest;
  private boolean running;
  private boolean closed;
  private LDAPConnectionPool pool;
  private DirectoryFeed feed;

  // Confined to the worker thread after start().
  private long processedSeq;
  private DirectoryContents lastGood;
  private final Set<String> reportedProblems = new HashSet<>();
  private String lastRejection;
  private boolean saveScheduled;
  private Duration connectBackoff = CONNECT_BACKOFF_MIN;

  private final java.util.concurrent.atomic.AtomicReference<Status> status =
      new java.util.concurrent.atomic.AtomicReference<>(
          new Status(false, null, null, Source.NONE, null, null));
  private volatile boolean outageReported;

  private TrustService(Builder b) {
    this.config = b.config;
    this.givenPool = b.pool;
    this.layout = b.layout;
    this.resolver = requireNonNull(b.resolver, "resolver == null: a NameResolver is required");
    this.feedFactory = requireNonNull(b.feedFactory, "feedFactory == null");
    this.snapshotFile = b.snapshotFile == null ? null : new SnapshotFile(b.snapshotFile, layout);
    this.startTimeout = b.startTimeout;
    this.clock = b.clock;
    this.peers = new TrustedPeers(resolver, b.peerOptions, clock, events);
    this.proberOptions = b.proberOptions;
    this.healthOptions = b.healthOptions;
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "umgw-trust-service");
              t.setDaemon(true);
              return t;
            });
    peers.addListener(change -> worker.execute(this::saveSoon));
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- start and stop

  /**
   * Connects, loads and resolves everything, and starts following the directory. Returns when the
   * first snapshot is in service.
   *
   * @return this, for chaining
   * @throws RuleViolationException when the directory breaks a rule (nothing is served)
   * @throws DirectoryUnavailableException when the directory cannot be reached within the start
   *     timeout and there is no usable on-disk copy
   * @throws UmgwException when the on-disk copy is needed but unreadable (named in the message)
   */
  public TrustService start() {
    synchronized (this) {
      if (running || closed) {
        throw new IllegalStateException("a TrustService starts once");
      }
    }
    try {
      try {
        connect();
      } catch (DirectoryUnavailableException e) {
        startFromDisk(e);
        scheduleConnect();
        return serving();
      }
      try {
        firstDelivery.get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        // The feed keeps trying; its first delivery will be applied like any later one.
        startFromDisk(
            new DirectoryUnavailableException(
                "no answer from the directory at "
                    + where()
                    + " within the start timeout of "
                    + startTimeout,
                com.unboundid.ldap.sdk.ResultCode.TIMEOUT,
                e));
        return serving();
      }
      Delivery first;
      synchronized (this) {
        first = latest;
      }
      try {
        worker.submit(() -> process(first, true)).get();
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof RuntimeException re) {
          throw re;
        }
        throw new UmgwException("starting the trust service failed: " + e.getCause(), e);
      }
      return serving();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new UmgwException("interrupted while starting the trust service", e);
    } catch (java.util.concurrent.ExecutionException e) {
      close();
      throw new UmgwException("starting the trust service failed: " + e.getCause(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * From now on every delivery goes to the worker (one that arrived meanwhile is drained at once),
   * and probing starts over the snapshot in service.
   */
  private TrustService serving() {
    synchronized (this) {
      running = true;
    }
    worker.execute(this::drain);
    startProbing();
    return this;
  }

  /** Stops following the directory and probing; the last snapshot stays readable. Idempotent. */
  @Override
  public void close() {
    DirectoryFeed f;
    LDAPConnectionPool p;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      f = feed;
      p = pool;
    }
    if (f != null) {
      f.close();
    }
    if (p != null && p != givenPool) {
      p.close();
    }
    // A change swapped in less than the save delay ago is written now, on the worker so that it
    // never races a scheduled save.
    if (snapshotFile != null && status.get().source() != Source.NONE) {
      try {
        worker.submit(this::save).get(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException
          | TimeoutException
          | java.util.concurrent.RejectedExecutionException e) {
        LOG.warn("the last snapshot was not saved to {} on close: {}", snapshotFile.path(), e);
      }
    }
    worker.shutdownNow();
    peers.close();
    HealthMonitor h;
    OptionsProber o;
    synchronized (this) {
      h = health;
      o = prober;
    }
    if (h != null) {
      h.close();
    }
    if (o != null) {
      o.close();
    }
  }

  /**
   * Starts the OPTIONS health rounds over the snapshot in service, following every swap (one
   * resolution feeds both trust and health).
   */
  private void startProbing() {
    if (healthOptions == null) {
      return;
    }
    OptionsProber o;
    try {
      o = OptionsProber.open(proberOptions);
    } catch (java.io.IOException e) {
      throw new UmgwException("cannot open the SIP OPTIONS prober's sockets: " + e, e);
    }
    HealthMonitor h = new HealthMonitor(o, healthOptions, events, clock);
    synchronized (this) {
      if (closed) {
        o.close();
        return;
      }
      prober = o;
      health = h;
      healthListeners.forEach(h::addListener);
    }
    h.setSnapshot(peers.snapshot());
    peers.addListener(change -> h.setSnapshot(change.after()));
    h.start();
  }

  // ---------------------------------------------------------------- reads (any thread)

  /** The snapshot in service: immutable, safe to keep for the length of one call. */
  public TrustSnapshot snapshot() {
    return peers.snapshot();
  }

  /** The trusted peer at {@code source}, or empty; allocation-free. */
  public Optional<Peer> lookup(InetAddress source) {
    return peers.lookup(source);
  }

  /** Admits or refuses a call (see {@link TrustSnapshot#admit}); refusals carry their event. */
  public Admission admit(InetAddress source, String pilot, boolean overTls) {
    return peers.admit(source, pilot, overTls);
  }

  /** The gateway to place outbound calls of {@code dialPlan} through, if any. */
  public Optional<Gateway> outboundGateway(String dialPlan) {
    return peers.outboundGateway(dialPlan);
  }

  /** The gateway for message-waiting notifications of {@code dialPlan}, if any. */
  public Optional<Gateway> mwiGateway(String dialPlan) {
    return peers.mwiGateway(dialPlan);
  }

  public Status status() {
    return status.get();
  }

  /** The latest OPTIONS health round (empty when probing is off or before the first round ends). */
  public Optional<HealthReport> health() {
    HealthMonitor h;
    synchronized (this) {
      h = health;
    }
    return h == null ? Optional.empty() : Optional.of(h.lastReport());
  }

  // ---------------------------------------------------------------- listeners

  /** Told after every swap of the snapshot (directory change or DNS change). */
  public void addSnapshotListener(TrustedPeers.ChangeListener listener) {
    peers.addListener(listener);
  }

  public void removeSnapshotListener(TrustedPeers.ChangeListener listener) {
    peers.removeListener(listener);
  }

  /** Told of every event the service raises (1175, 1194, 1424, 9101–9203, …). */
  public void addEventListener(EventListener listener) {
    events.addListener(listener);
  }

  public void removeEventListener(EventListener listener) {
    events.removeListener(listener);
  }

  /**
   * Told of each health transition of a gateway or one of its IPs (Up, Degraded, Down), after the
   * hysteresis, when {@link Builder#probing} is on; add it before {@link #start()} to see the first
   * round's transitions too. Events 1400/1401 go to the event listeners as well.
   */
  public void addHealthListener(HealthListener listener) {
    requireNonNull(listener, "listener == null");
    HealthMonitor h;
    synchronized (this) {
      healthListeners.add(listener);
      h = health;
    }
    if (h != null) {
      h.addListener(listener);
    }
  }

  /** Told when a gateway turns Disabled (drop its calls), NoNewCalls, Enabled, or goes away. */
  public void addGatewayStatusListener(GatewayStatusListener listener) {
    statusListeners.add(requireNonNull(listener, "listener == null"));
  }

  public void removeGatewayStatusListener(GatewayStatusListener listener) {
    statusListeners.remove(listener);
  }

  /** Raises an event through the service's listeners and log (e.g. a SIP endpoint's 1021). */
  public void raise(Event event) {
    events.onEvent(event);
  }

  // ---------------------------------------------------------------- connection

  private String where() {
    if (config == null) {
      return "the given connection pool";
    }
    return config.urls().stream().map(LDAPURL::toString).collect(Collectors.joining(", "));
  }

  /** Opens the pool and the feed; throws when no server answers. */
  private void connect() {
    LDAPConnectionPool p = givenPool != null ? givenPool : DirectoryConnector.open(config);
    DirectoryFeed f;
    try {
      f = feedFactory.open(p, layout);
    } catch (RuntimeException e) {
      if (p != givenPool) {
        p.close();
      }
      throw e;
    }
    synchronized (this) {
      if (closed) {
        f.close();
        if (p != givenPool) {
          p.close();
        }
        return;
      }
      pool = p;
      feed = f;
    }
    f.start(new FeedListener());
  }

  private void scheduleConnect() {
    long jitter = ThreadLocalRandom.current().nextLong(connectBackoff.toMillis() / 4 + 1);
    long delay = connectBackoff.toMillis() + jitter;
    connectBackoff = min(connectBackoff.multipliedBy(2), CONNECT_BACKOFF_MAX);
    try {
      worker.schedule(this::retryConnect, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
      // closed
    }
  }

  private void retryConnect() {
    try {
      connect();
    } catch (DirectoryUnavailableException e) {
      LOG.debug("directory still unreachable: {}", e.getMessage());
      scheduleConnect();
    } catch (RuntimeException e) {
      LOG.warn("cannot follow the directory at {}: {}", where(), e.getMessage());
      scheduleConnect();
    }
  }

  private void startFromDisk(DirectoryUnavailableException cause) {
    if (snapshotFile == null) {
      throw cause;
    }
    Optional<SnapshotFile.Saved> saved;
    try {
      saved = snapshotFile.load();
    } catch (UmgwException e) {
      throw new DirectoryUnavailableException(
          cause.getMessage() + "; and the on-disk copy cannot be used: " + e.getMessage(),
          com.unboundid.ldap.sdk.ResultCode.CONNECT_ERROR,
          cause);
    }
    if (saved.isEmpty()) {
      throw new DirectoryUnavailableException(
          cause.getMessage() + "; and there is no on-disk copy at " + snapshotFile.path() + " yet",
          com.unboundid.ldap.sdk.ResultCode.CONNECT_ERROR,
          cause);
    }
    SnapshotFile.Saved s = saved.get();
    List<RuleViolation> violations = DirectoryValidator.validate(s.contents());
    if (!violations.isEmpty()) {
      throw new UmgwException(
          "the on-disk copy " + snapshotFile.path() + " breaks rules: " + violations);
    }
    TrustSnapshot restored = peers.restore(s.contents(), s.names(), s.savedAt());
    try {
      worker
          .submit(
              () -> {
                lastGood = s.contents();
                return null;
              })
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UmgwException("interrupted while starting the trust service", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new UmgwException("starting from " + snapshotFile.path() + " failed", e);
    }
    status.set(new Status(false, null, null, Source.DISK, null, null));
    outageReported = true;
    events.onEvent(
        Event.of(
            EventId.DIRECTORY_UNREACHABLE,
            clock.instant(),
            "The directory cannot be reached ("
                + cause.getMessage()
                + "); serving "
                + restored.peers().size()
                + " trusted peers from the on-disk copy "
                + snapshotFile.path()
                + " saved at "
                + s.savedAt()
                + " from "
                + s.source(),
            "file",
            snapshotFile.path().toString(),
            "savedAt",
            s.savedAt().toString(),
            "peers",
            restored.peers().size()));
  }

  private final class FeedListener implements DirectoryFeed.Listener {
    @Override
    public void onContents(DirectoryRead read, FeedUpdate update) {
      boolean drainNow;
      synchronized (TrustService.this) {
        if (closed) {
          return;
        }
        latest = new Delivery(++seq, read, update);
        drainNow = running;
      }
      if (drainNow) {
        try {
          worker.execute(TrustService.this::drain);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
          // closed meanwhile
        }
      } else {
        firstDelivery.complete(null);
      }
    }

    @Override
    public void onConnected(String server, FeedKind kind) {
      status.updateAndGet(
          s -> new Status(true, server, kind, s.source(), s.lastUpdate(), s.rejection()));
      if (outageReported) {
        outageReported = false;
        events.onEvent(
            Event.of(
                EventId.DIRECTORY_RECONNECTED,
                clock.instant(),
                "Following the directory at " + server + " again (" + kind + ")",
                "server",
                server,
                "feed",
                kind.name()));
      }
    }

    @Override
    public void onDisconnected(String server, Exception cause) {
      status.updateAndGet(
          s -> new Status(false, server, s.feed(), s.source(), s.lastUpdate(), s.rejection()));
      if (!outageReported) {
        outageReported = true;
        events.onEvent(
            Event.of(
                EventId.DIRECTORY_UNREACHABLE,
                clock.instant(),
                "Lost the directory at "
                    + server
                    + " ("
                    + cause.getMessage()
                    + "): the last good trust list ("
                    + peers.snapshot().peers().size()
                    + " peers) stays in service while reconnecting",
                "server",
                String.valueOf(server),
                "reason",
                String.valueOf(cause.getMessage())));
      }
    }
  }

  // ---------------------------------------------------------------- processing (worker thread)

  private void drain() {
    Delivery d;
    synchronized (this) {
      d = latest;
      if (d == null || d.seq() <= processedSeq || closed) {
        return;
      }
    }
    try {
      process(d, false);
    } catch (RuntimeException e) {
      LOG.error("applying a directory change failed; the last good trust list stays", e);
    }
  }

  /**
   * Takes one directory state: salvages entries that stopped mapping, refuses a state that breaks a
   * rule, else resolves and publishes it.
   */
  private void process(Delivery d, boolean starting) {
    processedSeq = d.seq();
    DirectoryRead read = d.read();
    DirectoryContents contents = read.contents();
    if (!read.problems().isEmpty() || !reportedProblems.isEmpty()) {
      contents = salvage(contents, read.problems());
    }
    List<RuleViolation> violations = DirectoryValidator.validate(contents);
    if (!violations.isEmpty()) {
      if (starting) {
        throw new RuleViolationException(violations);
      }
      reject(d, violations);
      return;
    }
    DirectoryContents before = lastGood;
    peers.update(contents);
    lastGood = contents;
    lastRejection = null;
    Instant now = clock.instant();
    status.updateAndGet(
        s ->
            new Status(
                s.connected(),
                d.update().server(),
                d.update().kind(),
                Source.DIRECTORY,
                now,
                null));
    if (before != null) {
      fireStatusChanges(before, contents);
    }
    saveSoon();
  }

  private void reject(Delivery d, List<RuleViolation> violations) {
    String text =
        violations.stream().map(RuleViolation::toString).collect(Collectors.joining("; "));
    status.updateAndGet(
        s -> new Status(s.connected(), s.server(), s.feed(), s.source(), s.lastUpdate(), text));
    if (text.equals(lastRejection)) {
      return;
    }
    lastRejection = text;
    events.onEvent(
        Event.of(
            EventId.DIRECTORY_REJECTED,
            clock.instant(),
            "A directory change breaks "
                + violations.size()
                + " rule(s): "
                + text
                + "; the last good trust list ("
                + peers.snapshot().peers().size()
                + " peers) stays in service until it is fixed",
            "server",
            d.update().server(),
            "rules",
            violations.stream().map(v -> v.rule().toString()).distinct().toList(),
            "violations",
            violations.stream().map(RuleViolation::toString).toList()));
  }

  /**
   * Keeps the last good version of every object whose entry stopped mapping (an administrator's bad
   * edit must not drop a trusted gateway), and reports each new problem once.
   */
  private DirectoryContents salvage(DirectoryContents contents, List<EntryProblem> problems) {
    Set<String> current = new HashSet<>();
    problems.forEach(p -> current.add(p.toString()));
    reportedProblems.retainAll(current);
    if (problems.isEmpty()) {
      return contents;
    }
    LastGoodSalvage.Result r = LastGoodSalvage.apply(contents, problems, lastGood, layout);
    r.kept()
        .forEach(
            (p, kept) -> {
              if (reportedProblems.add(p.toString())) {
                events.onEvent(
                    Event.of(
                        EventId.DIRECTORY_REJECTED,
                        clock.instant(),
                        "Directory entry "
                            + p
                            + (kept
                                ? ": its last good version stays in service until it is fixed"
                                : ": it is left out until it is fixed"),
                        "dn",
                        p.dn(),
                        "attribute",
                        String.valueOf(p.attribute()),
                        "value",
                        String.valueOf(p.value()),
                        "keptLastGood",
                        kept));
              }
            });
    return r.contents();
  }

  private void fireStatusChanges(DirectoryContents before, DirectoryContents after) {
    if (statusListeners.isEmpty()) {
      return;
    }
    for (GatewayStatusChange c : GatewayStatusChange.between(before, after)) {
      for (GatewayStatusListener l : statusListeners) {
        try {
          l.onStatusChange(c);
        } catch (RuntimeException e) {
          LOG.warn("gateway status listener {} failed on {}", l, c, e);
        }
      }
    }
  }

  private void saveSoon() {
    if (snapshotFile == null || saveScheduled || lastGood == null) {
      return;
    }
    saveScheduled = true;
    try {
      worker.schedule(this::save, SAVE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closedAlready) {
      saveScheduled = false;
    }
  }

  private void save() {
    saveScheduled = false;
    TrustSnapshot s = peers.snapshot();
    String server = status.get().server();
    String source = server != null ? server : where();
    try {
      snapshotFile.save(s, source, clock.instant());
    } catch (UmgwException e) {
      LOG.error("{}", e.getMessage());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  // ---------------------------------------------------------------- builder

  /** Settings of a {@link TrustService}; only the directory and the resolver are required. */
  public static final class Builder {
    private DirectoryConfig config;
    private LDAPConnectionPool pool;
    private DirectoryLayout layout = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
    private NameResolver resolver;
    private TrustedPeers.Options peerOptions = TrustedPeers.Options.defaults();
    private FeedOptions feedOptions = FeedOptions.defaults();
    private FeedFactory feedFactory;
    private Path snapshotFile;
    private Duration startTimeout = Duration.ofSeconds(30);
    private Clock clock = Clock.systemUTC();
    private ProberOptions proberOptions;
    private HealthOptions healthOptions;

    private Builder() {}

    /**
     * Probes every resolved IP of every gateway with SIP OPTIONS (events 1400/1401, {@link
     * TrustService#health()}, {@link TrustService#addHealthListener}); off by default.
     */
    public Builder probing(ProberOptions prober, HealthOptions health) {
      this.proberOptions = requireNonNull(prober, "prober == null");
      this.healthOptions = requireNonNull(health, "health == null");
      return this;
    }

    /** The directory servers (failover in order), bind and TLS settings. */
    public Builder directory(DirectoryConfig config) {
      this.config = requireNonNull(config, "config == null");
      this.pool = null;
      return this;
    }

    /** A pool the caller owns (e.g. the embedded directory's); the service does not close it. */
    public Builder directory(LDAPConnectionPool pool) {
      this.pool = requireNonNull(pool, "pool == null");
      this.config = null;
      return this;
    }

    /** The directory's base DN (default {@value DirectoryLayout#DEFAULT_BASE}). */
    public Builder baseDn(String baseDn) {
      this.layout = DirectoryLayout.of(baseDn);
      return this;
    }

    /** Resolves gateway FQDNs; the caller keeps it and closes it after the service. */
    public Builder resolver(NameResolver resolver) {
      this.resolver = requireNonNull(resolver, "resolver == null");
      return this;
    }

    public Builder peerOptions(TrustedPeers.Options options) {
      this.peerOptions = requireNonNull(options, "options == null");
      return this;
    }

    /**
     * How changes are followed (default {@link FeedOptions#defaults()}: the best mechanism the
     * server offers; force one with {@link FeedOptions#withKind}).
     */
    public Builder feedOptions(FeedOptions options) {
      this.feedOptions = requireNonNull(options, "options == null");
      return this;
    }

    /** Replaces the feed itself (a seam for tests and for directories we do not know). */
    public Builder feed(FeedFactory factory) {
      this.feedFactory = requireNonNull(factory, "factory == null");
      return this;
    }

    /** Keeps the last good snapshot in this file and starts from it during an outage. */
    public Builder snapshotFile(Path file) {
      this.snapshotFile = file;
      return this;
    }

    /** How long start() waits for the directory before using the on-disk copy (default 30 s). */
    public Builder startTimeout(Duration timeout) {
      requireNonNull(timeout, "timeout == null");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("start timeout must be positive, not " + timeout);
      }
      this.startTimeout = timeout;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock == null");
      return this;
    }

    /**
     * @throws IllegalStateException when no directory or resolver was given
     */
    public TrustService build() {
      if (config == null && pool == null) {
        throw new IllegalStateException("a directory (URLs or a connection pool) is required");
      }
      if (resolver == null) {
        throw new IllegalStateException("a NameResolver is required (DnsResolver.builder())");
      }
      if (feedFactory == null) {
        FeedOptions options = feedOptions;
        feedFactory = (pool, layout) -> DirectoryFeeds.open(pool, layout, options);
      }
      return new TrustService(this);
    }
  }
}
