package org.umgw.metrics;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.events.EventListener;
import org.umgw.service.TrustService;
import org.umgw.trust.TrustedPeers;

/**
 * Feeds {@link UmgwMetrics} from a running {@link TrustService}: its events and snapshot swaps as
 * they happen, and once a second its latest health round, which the service keeps rather than
 * announces; the feed's connection is read at each scrape. Close it to stop.
 */
public final class ServiceMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceMetrics.class);

  private final TrustService service;
  private final UmgwMetrics metrics;
  private final EventListener events;
  private final TrustedPeers.ChangeListener swaps;
  private final ScheduledExecutorService poller;

  private ServiceMetrics(TrustService service, UmgwMetrics metrics) {
    this.service = service;
    this.metrics = metrics;
    this.events = metrics;
    this.swaps = change -> metrics.onSnapshot(change.after());
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("umgw-metrics").setDaemon(true).build());
  }

  /**
   * Starts feeding the metrics from a service; attached before {@link TrustService#start()}, they
   * also count the events of its first load (whose snapshot swap then sets the gauges).
   */
  public static ServiceMetrics attach(TrustService service, UmgwMetrics metrics) {
    ServiceMetrics m =
        new ServiceMetrics(
            requireNonNull(service, "service == null"), requireNonNull(metrics, "metrics == null"));
    service.addEventListener(m.events);
    service.addSnapshotListener(m.swaps);
    metrics.onStart(service.snapshot());
    metrics.directoryConnected(() -> service.status().connected());
    metrics.refusals(service::refusals);
    m.poll();
    m.poller.scheduleWithFixedDelay(m::poll, 1, 1, TimeUnit.SECONDS);
    return m;
  }

  private void poll() {
    try {
      service.health().ifPresent(metrics::onHealthReport);
    } catch (RuntimeException e) {
      LOG.warn("metrics poll failed; the values may be stale", e);
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
    service.removeEventListener(events);
    service.removeSnapshotListener(swaps);
  }
}
