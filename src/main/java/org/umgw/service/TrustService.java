package org.umgw.service;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryUnavailableException;
import org.umgw.dns.NameResolver;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.DirectoryFeeds;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.health.HealthListener;
import org.umgw.health.HealthOptions;
import org.umgw.health.HealthReport;
import org.umgw.model.Gateway;
import org.umgw.model.UmgwException;
import org.umgw.policy.TrustPolicy;
import org.umgw.sip.ProberOptions;
import org.umgw.tls.PeerChains;
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
 *         .start()) {
 *   trust.addGatewayStatusListener(c -> calls.apply(c.gateway(), c.action()));
 *   Admission a = trust.admit(source, pilot, overTls);   // any thread, never blocks
 * }
 * }</pre>
 *
 * <p>What it guarantees:
 *
 * <ul>
 *   <li>Fails closed: every directory state is served through {@link TrustPolicy}. A revocation
 *       (disable, NoNewCalls, removal, new address, last hunt group gone) always takes effect,
 *       whatever else is broken; a change that breaks a rule is held back only where it would widen
 *       trust (event 9201 naming the object, rule and value); an unreadable entry is never more
 *       trusted than its administrator left it. When nothing is held back any more, event 9204.
 *   <li>Never blocks, never empties on an outage: lookups read an immutable snapshot; an outage
 *       (9202, then 9203) keeps the last snapshot served.
 *   <li>Live: changes arrive through the {@link DirectoryFeed} the server supports best; the feed
 *       reconnects with backoff, fails over between the configured URLs and catches up.
 *   <li>Restart during an outage: with {@link Builder#snapshotFile}, what is served is kept on disk
 *       and a start that cannot reach the directory serves from it (DNS re-resolved in the
 *       background), then follows the directory as soon as it answers.
 * </ul>
 *
 * <p>This class is the facade and its {@link Builder}; the parts, each in a class of its own:
 * {@link ServiceRuntime} (the wiring, start and stop), {@link DirectoryFollower} (pool, feed,
 * outages), {@link ServingLoop} (deliveries in order on the worker, the start from disk, the
 * status), {@link DirectoryPipeline} (policy, peers and reports per delivery), {@link TrustPolicy}
 * (what may be served), {@link TrustedPeers} (DNS and the snapshot), {@link SnapshotKeeper} (the
 * on-disk copy) and {@link HealthWiring} (OPTIONS probing).
 */
public final class TrustService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrustService.class);

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
   * @param rejection what the directory breaks and what that holds back, or {@code null} when the
   *     directory is served as it is
   */
  public record Status(
      boolean connected,
      String server,
      FeedKind feed,
      Source source,
      Instant lastUpdate,
      String rejection) {}

  private final ServiceRuntime runtime;
  private final TrustedPeers peers;

  private TrustService(ServiceSettings settings) {
    this.runtime = new ServiceRuntime(settings);
    this.peers = runtime.peers;
  }

  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- start and stop

  /**
   * Connects, loads and resolves everything, and starts following the directory. Returns when the
   * first snapshot is in service. A directory that breaks rules is served under {@link
   * TrustPolicy}, with start-up's strictness: every object a violation implicates is held back, as
   * if it had just been added (event 9201 for each).
   *
   * @return this, for chaining
   * @throws DirectoryUnavailableException when the directory cannot be reached within the start
   *     timeout and there is no usable on-disk copy
   * @throws UmgwException when the on-disk copy is needed but unreadable (named in the message)
   */
  public TrustService start() {
    runtime.start();
    return this;
  }

  /** Stops following the directory and probing; the last snapshot stays readable. Idempotent. */
  @Override
  public void close() {
    runtime.close();
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

  /**
   * Refusals of {@code type} (1021, 1442, 9104, 9501-9503) since start, every one counted, though
   * the log says each source's first and then a count per minute ({@link
   * org.umgw.events.RefusalLog}).
   */
  public long refusals(EventId type) {
    return peers.refusals(type);
  }

  /** Admits or refuses a call (see {@link TrustSnapshot#admit}); refusals carry their event. */
  public Admission admit(InetAddress source, String pilot, boolean overTls) {
    return peers.admit(source, pilot, overTls);
  }

  /**
   * Admits a call that came over mutual TLS by the peer's certificate: the gateway is the one whose
   * FQDN a DNS subject alternative name matches (the CN only without SANs; RFC 6125 wildcards), and
   * {@code source} must be one of that gateway's resolved addresses. Refusals carry events 9501
   * (names no gateway), 9502 (not from that gateway's addresses), 9503 (no or expired certificate),
   * each naming the certificate's names and the source.
   *
   * @param chain the peer's certificates, leaf first (verified by the TLS layer)
   */
  public Admission admit(InetAddress source, String pilot, X509Certificate[] chain) {
    return peers.admit(source, pilot, chain);
  }

  /**
   * As {@link #admit(InetAddress, String, X509Certificate[])} with the chain of {@code session}; a
   * session without a verified peer certificate is refused (9503).
   */
  public Admission admit(InetAddress source, String pilot, SSLSession session) {
    return admit(source, pilot, PeerChains.of(session));
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
    return runtime.loop.status();
  }

  /**
   * The policy's latest decision: what the directory breaks, which entries do not map, and what is
   * held back because of them; empty before the first directory state or when serving the on-disk
   * copy.
   */
  public Optional<TrustPolicy.Decision> decision() {
    return Optional.ofNullable(runtime.pipeline.decision());
  }

  /** The latest OPTIONS health round (empty when probing is off or before the first round ends). */
  public Optional<HealthReport> health() {
    return runtime.health.lastReport();
  }

  // ---------------------------------------------------------------- listeners

  /** Told after every swap of the snapshot (directory change or DNS change). */
  public void addSnapshotListener(TrustedPeers.ChangeListener listener) {
    peers.addListener(listener);
  }

  public void removeSnapshotListener(TrustedPeers.ChangeListener listener) {
    peers.removeListener(listener);
  }

  /** Told of every event the service raises (1175, 1194, 1424, 9101–9204, …). */
  public void addEventListener(EventListener listener) {
    runtime.events.addListener(listener);
  }

  public void removeEventListener(EventListener listener) {
    runtime.events.removeListener(listener);
  }

  /**
   * Told of each health transition of a gateway or one of its IPs (Up, Degraded, Down), after the
   * hysteresis, when {@link Builder#probing} is on; add it before {@link #start()} to see the first
   * round's transitions too. Events 1400/1401 go to the event listeners as well.
   */
  public void addHealthListener(HealthListener listener) {
    runtime.health.addListener(requireNonNull(listener, "listener == null"));
  }

  /** Told when a gateway turns Disabled (drop its calls), NoNewCalls, Enabled, or goes away. */
  public void addGatewayStatusListener(GatewayStatusListener listener) {
    runtime.statusListeners.add(requireNonNull(listener, "listener == null"));
  }

  public void removeGatewayStatusListener(GatewayStatusListener listener) {
    runtime.statusListeners.remove(listener);
  }

  /**
   * Raises an event of your own through the service's log and listeners. Not for a refusal from
   * {@link #admit}: its event has been raised already.
   */
  public void raise(Event event) {
    runtime.events.onEvent(event);
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
      return new TrustService(settings());
    }

    /** The values as of now: each build takes the builder's current feed options. */
    ServiceSettings settings() {
      FeedFactory factory = feedFactory != null ? feedFactory : new DefaultFeed(feedOptions);
      return new ServiceSettings(
          config,
          pool,
          layout,
          resolver,
          peerOptions,
          factory,
          snapshotFile,
          startTimeout,
          clock,
          proberOptions,
          healthOptions);
    }
  }

  /** The feed the directory offers ({@link DirectoryFeeds#open}) under the builder's options. */
  record DefaultFeed(FeedOptions options) implements FeedFactory {
    @Override
    public DirectoryFeed open(LDAPConnectionPool pool, DirectoryLayout layout) {
      return DirectoryFeeds.open(pool, layout, options);
    }
  }
}
