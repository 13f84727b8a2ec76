package org.umgw.metrics;

import static java.util.Objects.requireNonNull;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;
import org.umgw.health.HealthReport;
import org.umgw.health.HealthState;
import org.umgw.service.TrustService;
import org.umgw.sip.ProbeResult;
import org.umgw.trust.Peer;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;

/**
 * umgw's metrics, each fed from what the service already reports: events ({@link #onEvent}),
 * snapshot swaps ({@link #onSnapshot}), health rounds ({@link #onHealthReport}) and the feed's
 * connection ({@link #directoryConnected}). Thread-safe; the metrics live in this object's own
 * registry, so two instances never share a value.
 *
 * <p>The names follow Prometheus conventions: base units (seconds), {@code _total} for counters,
 * {@code _timestamp_seconds} for a time, low-cardinality labels only (family, gateway, event id,
 * result).
 */
public final class UmgwMetrics implements EventListener {
  /** OPTIONS round trips: LAN gateways answer in a millisecond, distant ones in a few hundred. */
  private static final double[] RTT_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5
  };

  final PrometheusRegistry registry = new PrometheusRegistry();
  private final Gauge trustedPeers;
  private final Gauge trustedAddresses;
  private final Gauge gatewayUp;
  private final Histogram optionsRtt;
  private final Counter events;
  private final Counter dnsFailures;
  private volatile BooleanSupplier connected = () -> false;
  private volatile java.util.function.ToLongFunction<EventId> refusals = id -> 0;

  private static final EventId[] REFUSALS = {
    EventId.UNTRUSTED_SOURCE,
    EventId.GATEWAY_NOT_ENABLED,
    EventId.NO_HUNT_GROUP,
    EventId.TLS_CERTIFICATE_NAMES_NO_GATEWAY,
    EventId.TLS_CERTIFICATE_NOT_FROM_GATEWAY,
    EventId.TLS_CERTIFICATE_INVALID
  };
  private final Gauge lastChange;
  private final Counter reloads;
  private final Set<String> gateways = new HashSet<>();
  private Instant lastReport;

  public UmgwMetrics() {
    trustedPeers =
        Gauge.builder()
            .name("umgw_trusted_peers")
            .help("Trusted SIP peers (distinct IP addresses) in the snapshot in service.")
            .register(registry);
    trustedAddresses =
        Gauge.builder()
            .name("umgw_trusted_addresses")
            .help("Addresses an allow-list admits (peers not only of Disabled gateways).")
            .labelNames("family")
            .register(registry);
    gatewayUp =
        Gauge.builder()
            .name("umgw_gateway_up")
            .help(
                "1 when the gateway is Up (accepted answers to SIP OPTIONS), 0 when Degraded or"
                    + " Down; absent until its state is known.")
            .labelNames("gateway")
            .register(registry);
    optionsRtt =
        Histogram.builder()
            .name("umgw_options_rtt_seconds")
            .help("Round-trip time of answered SIP OPTIONS probes.")
            .classicOnly()
            .classicUpperBounds(RTT_BUCKETS)
            .register(registry);
    events =
        Counter.builder()
            .name("umgw_events_total")
            .help("Events raised, by event ID (1175, 1194, 1424, 9202, 9602, ...).")
            .labelNames("id")
            .register(registry);
    dnsFailures =
        Counter.builder()
            .name("umgw_dns_failures_total")
            .help("DNS lookups of peer names that got no answer (timeout, SERVFAIL).")
            .register(registry);
    // Read at scrape time: a poll would lag behind a start or an outage.
    GaugeWithCallback.builder()
        .name("umgw_directory_connected")
        .help("1 while the directory feed is connected, 0 during an outage.")
        .callback(cb -> cb.call(connected.getAsBoolean() ? 1 : 0))
        .register(registry);
    lastChange =
        Gauge.builder()
            .name("umgw_last_change_timestamp_seconds")
            .help("When the trusted list last changed (Unix time).")
            .register(registry);
    // Every refusal, though the log aggregates them per source (RefusalLog): read at scrape time.
    CounterWithCallback.builder()
        .name("umgw_refusals_total")
        .help(
            "Calls refused by admission, by event ID (1021 untrusted, 1442 not Enabled, 9104 no"
                + " hunt group, 9501-9503 certificate).")
        .labelNames("id")
        .callback(
            cb -> {
              for (EventId id : REFUSALS) {
                cb.call(refusals.applyAsLong(id), Integer.toString(id.id()));
              }
            })
        .register(registry);
    reloads =
        Counter.builder()
            .name("umgw_reloads_total")
            .help("Reloads of the consumer by trust-list sync, by result (success, failure).")
            .labelNames("result")
            .register(registry);
    // Both results from the first scrape, so rate() and alerts see a 0 rather than no series.
    reloads.labelValues("success");
    reloads.labelValues("failure");
    trustedAddresses.labelValues("ipv4");
    trustedAddresses.labelValues("ipv6");
  }

  /** Counts the event; reloads and DNS failures are counted from theirs. */
  @Override
  public void onEvent(Event event) {
    events.labelValues(Integer.toString(event.id())).inc();
    switch (event.type()) {
      case SYNC_RELOADED -> reloads.labelValues("success").inc();
      case SYNC_RELOAD_FAILED -> reloads.labelValues("failure").inc();
      case PEER_ADDRESSES_STALE -> dnsFailures.inc();
      case PEER_NAME_UNRESOLVED -> {
        if (Boolean.TRUE.equals(event.details().get(TrustedPeers.LOOKUP_FAILED))) {
          dnsFailures.inc();
        }
      }
      default -> {
        // Counted by id only.
      }
    }
    if (event.type() == EventId.PEER_CACHE_REFRESHED) {
      lastChange.set(event.time().toEpochMilli() / 1000.0);
    }
  }

  /** The snapshot now in service (at start and after every swap). */
  public void onSnapshot(TrustSnapshot snapshot) {
    trustedPeers.set(snapshot.peers().size());
    long v4 = 0;
    long v6 = 0;
    for (Peer p : snapshot.peers()) {
      if (!p.allowListed()) {
        continue;
      }
      if (p.family().equals("IPv4")) {
        v4++;
      } else {
        v6++;
      }
    }
    trustedAddresses.labelValues("ipv4").set(v4);
    trustedAddresses.labelValues("ipv6").set(v6);
  }

  /** The time of the list in service when there was no change event yet (start-up). */
  public void onStart(TrustSnapshot snapshot) {
    onSnapshot(snapshot);
    lastChange.set(snapshot.builtAt().toEpochMilli() / 1000.0);
  }

  /**
   * A health round: each gateway's state and the RTT of each answered probe. A report seen before
   * (same time) is ignored, so polling the latest report is safe.
   */
  public synchronized void onHealthReport(HealthReport report) {
    if (report.time().equals(lastReport)) {
      return;
    }
    lastReport = report.time();
    Set<String> now = new HashSet<>();
    for (HealthReport.Gateway g : report.gateways()) {
      if (g.state() == HealthState.Unknown) {
        continue; // not decided yet (hysteresis): no series rather than a false 0
      }
      now.add(g.name());
      gatewayUp.labelValues(g.name()).set(g.state() == HealthState.Up ? 1 : 0);
      for (HealthReport.Address a : g.addresses()) {
        if (a.last() instanceof ProbeResult.Answered answered) {
          optionsRtt.observe(answered.rtt().toNanos() / 1e9);
        }
      }
    }
    for (String gone : gateways) {
      if (!now.contains(gone)) {
        gatewayUp.remove(gone);
      }
    }
    gateways.clear();
    gateways.addAll(now);
  }

  /** A fixed connection state (for commands without a feed, and tests). */
  public void directoryConnected(boolean connected) {
    this.connected = () -> connected;
  }

  /** Where {@code umgw_refusals_total} is read at each scrape ({@link TrustService#refusals}). */
  public void refusals(java.util.function.ToLongFunction<EventId> counts) {
    this.refusals = requireNonNull(counts, "counts == null");
  }

  /** Where {@code umgw_directory_connected} is read at each scrape. */
  public void directoryConnected(BooleanSupplier connected) {
    this.connected = connected;
  }
}
