package org.umgw.health;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;
import org.umgw.model.GatewayStatus;
import org.umgw.sip.OptionsProber;
import org.umgw.sip.ProbeResult;
import org.umgw.sip.ProbeTarget;
import org.umgw.sip.SipTransport;
import org.umgw.trust.Peer;
import org.umgw.trust.PeerMember;
import org.umgw.trust.Transport;
import org.umgw.trust.TrustSnapshot;

/**
 * Keeps every gateway's SIP health: probes each resolved IP of each gateway with OPTIONS, all at
 * once, once per interval, and turns the outcomes into states with hysteresis.
 *
 * <pre>{@code
 * try (OptionsProber prober = OptionsProber.open(ProberOptions.defaults());
 *     HealthMonitor health = new HealthMonitor(prober, HealthOptions.defaults(), events)) {
 *   health.setSnapshot(trustedPeers.current());
 *   health.addListener(t -> log.info("{}", t));
 *   health.start();
 * }
 * }</pre>
 *
 * <p>Rules, per address of a gateway:
 *
 * <ul>
 *   <li>an answer with an accepted code is a success, an answer with another code a refusal, no
 *       final response or a transport error a failure (a local timeout is never an answer); a probe
 *       the prober itself could not make ({@code LOCAL}: its receiver failed, event 9401) is none
 *       of these and changes nothing;
 *   <li>Down after {@code downAfter} consecutive failures, from any state;
 *   <li>Up after {@code upAfter} consecutive successes from Down or Degraded; from Unknown the
 *       first success decides (nothing is known that hysteresis would protect);
 *   <li>Degraded at once on a refusal: an answer proves the peer alive, so there is no packet loss
 *       to smooth over, and hiding a refusal for rounds would only delay the diagnosis.
 * </ul>
 *
 * <p>A gateway is Up if any of its addresses is Up (calls can reach it), else Degraded if any is
 * Degraded, else Down if all are Down, else Unknown. It raises event 1400 when it becomes Down and
 * 1401 when it becomes Up after a 1400. Gateways with status Disabled are not probed and drop out
 * of the report (they take no calls); NoNewCalls gateways are probed. Each gateway uses its own
 * transport and port ({@link PeerMember}), whatever else shares its IP: TLS (certificate checked
 * against the gateway's own FQDN, else its IP literal) or the configured plain transport. The same
 * IP, port, transport and TLS name is probed once per round however many gateways share it.
 */
public final class HealthMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  private final OptionsProber prober;
  private final HealthOptions options;
  private final EventListener events;
  private final Clock clock;
  private final List<HealthListener> listeners = new CopyOnWriteArrayList<>();
  private final Object roundLock = new Object();
  private final Map<Key, Tracker> addresses = new HashMap<>(); // guarded by roundLock
  private final Map<String, GatewayTracker> gateways = new HashMap<>(); // guarded by roundLock
  private final CertificateExpiry expiry; // guarded by roundLock
  private volatile TrustSnapshot snapshot;
  private volatile HealthReport last;
  private ScheduledExecutorService scheduler;

  /**
   * @param prober shared, not closed by this monitor
   * @param events receives events 1400 and 1401
   */
  public HealthMonitor(OptionsProber prober, HealthOptions options, EventListener events) {
    this(prober, options, events, Clock.systemUTC());
  }

  public HealthMonitor(
      OptionsProber prober, HealthOptions options, EventListener events, Clock clock) {
    this.prober = requireNonNull(prober, "prober == null");
    this.options = requireNonNull(options, "options == null");
    this.events = requireNonNull(events, "events == null");
    this.clock = requireNonNull(clock, "clock == null");
    this.expiry = new CertificateExpiry(options.certificateWarning());
    this.snapshot = TrustSnapshot.empty(clock.instant());
    this.last = new HealthReport(clock.instant(), List.of());
    prober.addListener(events); // 9401/9402: the prober's own failure, never a gateway's
  }

  /** The peers to probe from the next round on; states of addresses that stay are kept. */
  public void setSnapshot(TrustSnapshot snapshot) {
    this.snapshot = requireNonNull(snapshot, "snapshot == null");
  }

  public void addListener(HealthListener listener) {
    listeners.add(requireNonNull(listener, "listener == null"));
  }

  public void removeListener(HealthListener listener) {
    listeners.remove(listener);
  }

  public HealthOptions options() {
    return options;
  }

  /** The report of the latest round (empty before the first). */
  public HealthReport lastReport() {
    return last;
  }

  /** Starts a round now and then every interval, on a thread of its own. */
  public synchronized void start() {
    if (scheduler != null) {
      throw new IllegalStateException("health monitor already started");
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("umgw-health").setDaemon(true).build());
    scheduler.scheduleAtFixedRate(
        () -> {
          try {
            runRound();
          } catch (RuntimeException e) {
            LOG.error("health round failed", e);
          }
        },
        0,
        options.interval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Stops the periodic rounds (a round in progress ends at its deadline). */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
    prober.removeListener(events);
  }

  /**
   * Probes every address of every non-disabled gateway of the current snapshot concurrently, waits
   * for all (at most the deadline plus queueing), updates the states, and tells listeners and the
   * event sink about the changes.
   */
  public HealthReport runRound() {
    synchronized (roundLock) {
      Instant start = clock.instant();
      Map<Key, ProbeTarget> slots = slotsOf(snapshot);
      Map<ProbeTarget, CompletableFuture<ProbeResult>> probes = new LinkedHashMap<>();
      for (ProbeTarget t : slots.values()) {
        probes.computeIfAbsent(t, x -> prober.probe(x, options.deadline()));
      }
      CompletableFuture.allOf(probes.values().toArray(CompletableFuture[]::new)).join();
      Instant now = clock.instant();
      List<HealthTransition> transitions = new ArrayList<>();
      List<Event> raised = new ArrayList<>();
      addresses.keySet().retainAll(slots.keySet());
      Map<String, List<Key>> byGateway = new TreeMap<>();
      for (Map.Entry<Key, ProbeTarget> e : slots.entrySet()) {
        Key key = e.getKey();
        ProbeResult r = probes.get(e.getValue()).join();
        Tracker t = addresses.computeIfAbsent(key, k -> new Tracker(e.getValue()));
        t.target = e.getValue();
        HealthState before = t.state;
        t.update(r);
        if (t.state != before) {
          transitions.add(new HealthTransition(now, key.gateway, key.ip, before, t.state, text(r)));
        }
        byGateway.computeIfAbsent(key.gateway, g -> new ArrayList<>()).add(key);
      }
      gateways.keySet().retainAll(byGateway.keySet());
      expiry.retain(byGateway.keySet());
      List<HealthReport.Gateway> report = new ArrayList<>();
      for (Map.Entry<String, List<Key>> e : byGateway.entrySet()) {
        String name = e.getKey();
        List<Tracker> ts = e.getValue().stream().map(addresses::get).toList();
        HealthState state = combine(ts);
        GatewayTracker g = gateways.computeIfAbsent(name, n -> new GatewayTracker());
        if (state != g.state) {
          transitions.add(new HealthTransition(now, name, null, g.state, state, summary(ts)));
          gatewayEvent(name, state, ts, g, now).ifPresent(raised::add);
          g.state = state;
        }
        List<HealthReport.Address> as = new ArrayList<>();
        for (Key k : e.getValue()) {
          Tracker t = addresses.get(k);
          as.add(
              new HealthReport.Address(
                  k.ip,
                  t.target.address().getPort(),
                  t.target.transport(),
                  t.state,
                  t.last,
                  t.failures,
                  t.successes));
        }
        report.add(new HealthReport.Gateway(name, state, as));
        expiry
            .check(
                name,
                ts.stream().map(t -> t.target).toList(),
                ts.stream().map(t -> t.last).toList(),
                now)
            .ifPresent(raised::add);
      }
      HealthReport result = new HealthReport(start, report);
      last = result;
      for (Event ev : raised) {
        try {
          events.onEvent(ev);
        } catch (RuntimeException ex) {
          LOG.warn("event listener failed on {}", ev, ex);
        }
      }
      for (HealthTransition tr : transitions) {
        for (HealthListener l : listeners) {
          try {
            l.onTransition(tr);
          } catch (RuntimeException ex) {
            LOG.warn("health listener {} failed on {}", l, tr, ex);
          }
        }
      }
      return result;
    }
  }

  private java.util.Optional<Event> gatewayEvent(
      String name, HealthState state, List<Tracker> ts, GatewayTracker g, Instant now) {
    List<String> ips = ts.stream().map(t -> t.key).distinct().toList();
    if (state == HealthState.Down) {
      g.alarmed = true;
      String failure = summary(ts);
      return java.util.Optional.of(
          Event.of(
              EventId.PEERS_UNHEALTHY,
              now,
              "UM IP gateway "
                  + name
                  + " does not answer SIP OPTIONS at "
                  + String.join(", ", targets(ts))
                  + ": "
                  + failure,
              "gateway",
              name,
              "addresses",
              ips,
              "failure",
              failure));
    }
    if (state == HealthState.Up && g.alarmed) {
      g.alarmed = false;
      List<String> up =
          ts.stream().filter(t -> t.state == HealthState.Up).map(t -> t.key).distinct().toList();
      return java.util.Optional.of(
          Event.of(
              EventId.PEERS_HEALTHY,
              now,
              "UM IP gateway " + name + " answers SIP OPTIONS again at " + String.join(", ", up),
              "gateway",
              name,
              "addresses",
              up));
    }
    return java.util.Optional.empty();
  }

  private static List<String> targets(List<Tracker> ts) {
    return ts.stream().map(t -> t.target.toString()).distinct().toList();
  }

  /** The distinct outcomes of a gateway's addresses, in words. */
  private static String summary(List<Tracker> ts) {
    Set<String> parts = new LinkedHashSet<>();
    for (Tracker t : ts) {
      parts.add(text(t.last));
    }
    return String.join("; ", parts);
  }

  private static String text(ProbeResult r) {
    return r == null ? "" : r.toString();
  }

  private static HealthState combine(List<Tracker> ts) {
    Set<HealthState> s = new HashSet<>();
    ts.forEach(t -> s.add(t.state));
    if (s.contains(HealthState.Up)) {
      return HealthState.Up;
    }
    if (s.contains(HealthState.Degraded)) {
      return HealthState.Degraded;
    }
    if (s.equals(Set.of(HealthState.Down))) {
      return HealthState.Down;
    }
    return HealthState.Unknown;
  }

  /**
   * Every (gateway, IP) to probe, with its target, in snapshot order. Each gateway is probed over
   * its own transport and port, and over TLS with its own name (its FQDN, else the IP), never with
   * the values of another gateway on the same IP; gateways whose targets are equal share one probe.
   */
  private Map<Key, ProbeTarget> slotsOf(TrustSnapshot s) {
    Map<Key, ProbeTarget> slots = new LinkedHashMap<>();
    for (Peer peer : s.peers()) {
      for (PeerMember g : peer.members()) {
        if (g.kind() != PeerMember.Kind.GATEWAY || g.status() == GatewayStatus.Disabled) {
          continue;
        }
        boolean tls = g.transport() == Transport.tls;
        SipTransport transport = tls ? SipTransport.TLS : options.plainTransport();
        // The member's port is already its transport's default when the directory says 0, and
        // the plain default (5060) is the same for UDP and TCP.
        slots.put(
            new Key(g.name(), peer.addressText()),
            ProbeTarget.of(
                new InetSocketAddress(peer.address(), g.port()), transport, tls ? g.fqdn() : null));
      }
    }
    return slots;
  }

  private record Key(String gateway, String ip) {}

  private final class Tracker {
    final String key;
    ProbeTarget target;
    HealthState state = HealthState.Unknown;
    ProbeResult last;
    int failures;
    int successes;

    Tracker(ProbeTarget target) {
      this.target = target;
      this.key = com.google.common.net.InetAddresses.toAddrString(target.address().getAddress());
    }

    void update(ProbeResult r) {
      last = r;
      if (r instanceof ProbeResult.Failed f && f.kind() == ProbeResult.Failure.LOCAL) {
        return; // the prober failed, not the peer: nothing learnt, no change (event 9401)
      }
      if (r instanceof ProbeResult.Answered a && options.accepts(a.code())) {
        failures = 0;
        successes++;
        if (state == HealthState.Unknown || successes >= options.upAfter()) {
          state = HealthState.Up;
        }
      } else if (r instanceof ProbeResult.Answered) {
        failures = 0;
        successes = 0;
        state = HealthState.Degraded;
      } else {
        successes = 0;
        failures++;
        if (failures >= options.downAfter()) {
          state = HealthState.Down;
        }
      }
    }
  }

  private static final class GatewayTracker {
    HealthState state = HealthState.Unknown;
    boolean alarmed;
  }
}
