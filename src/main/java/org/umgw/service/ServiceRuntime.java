package org.umgw.service;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.unboundid.ldap.sdk.ResultCode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeoutException;
import org.umgw.directory.DirectoryUnavailableException;
import org.umgw.events.Events;
import org.umgw.trust.TrustedPeers;

/**
 * The parts of a {@link TrustService} wired together, and their start and stop. One worker thread
 * runs the {@link ServingLoop}'s processing (through the {@link DirectoryPipeline}), the {@link
 * SnapshotKeeper}'s saves and the {@link DirectoryFollower}'s reconnects; the follower feeds the
 * loop; {@link HealthWiring} probes what {@link TrustedPeers} serves. The facade reads through the
 * package-private fields.
 */
final class ServiceRuntime {
  final Events events = new Events();
  final TrustedPeers peers;
  final DirectoryPipeline pipeline;
  final ServingLoop loop;
  final HealthWiring health;
  final List<GatewayStatusListener> statusListeners = new CopyOnWriteArrayList<>();

  private final SnapshotKeeper keeper;
  private final Duration startTimeout;
  private final Clock clock;
  private final ScheduledExecutorService worker;
  private final DirectoryFollower follower;

  ServiceRuntime(ServiceSettings s) {
    this.startTimeout = s.startTimeout();
    this.clock = s.clock();
    this.peers = new TrustedPeers(s.resolver(), s.peerOptions(), clock, events);
    this.pipeline =
        new DirectoryPipeline(s.layout(), peers, events, clock, statusListeners, this::connected);
    this.worker =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder().setNameFormat("umgw-trust-service").setDaemon(true).build());
    this.keeper =
        s.snapshotFile() == null
            ? null
            : new SnapshotKeeper(
                new SnapshotFile(s.snapshotFile(), s.layout()),
                worker,
                peers::snapshot,
                this::servedFrom,
                clock);
    this.loop = new ServingLoop(peers, pipeline, keeper, worker, events, clock);
    this.follower =
        new DirectoryFollower(
            s.config(),
            s.pool(),
            s.layout(),
            s.feedFactory(),
            worker,
            events,
            clock,
            () -> peers.snapshot().peers().size(),
            loop);
    this.health = new HealthWiring(s.proberOptions(), s.healthOptions());
    if (keeper != null) {
      peers.addListener(change -> worker.execute(keeper::saveSoon));
    }
  }

  private boolean connected() {
    return loop.status().connected();
  }

  /** The server the snapshot in service came from, for the on-disk copy. */
  private String servedFrom() {
    String server = loop.status().server();
    return server != null ? server : follower.where();
  }

  /**
   * Connects and serves the first directory state, or the on-disk copy when the directory does not
   * answer within the start timeout; then serves every delivery and starts probing.
   *
   * @throws DirectoryUnavailableException when the directory cannot be reached and there is no
   *     usable on-disk copy (closed then)
   * @throws IllegalStateException when started before (nothing closed)
   */
  void start() {
    loop.checkNotStarted();
    try {
      connectAndServe();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private void connectAndServe() {
    try {
      follower.connect();
    } catch (DirectoryUnavailableException e) {
      loop.startFromDisk(e, follower);
      follower.connectInBackground();
      serve();
      return;
    }
    try {
      loop.awaitFirstDelivery(startTimeout);
    } catch (TimeoutException e) {
      // The feed keeps trying; its first delivery will be applied like any later one.
      loop.startFromDisk(
          new DirectoryUnavailableException(
              "no answer from the directory at "
                  + follower.where()
                  + " within the start timeout of "
                  + startTimeout,
              ResultCode.TIMEOUT,
              e),
          follower);
      serve();
      return;
    }
    loop.drainNow();
    serve();
  }

  /**
   * From now on every delivery goes to the worker (one that arrived meanwhile is drained at once),
   * and probing starts over the snapshot in service.
   */
  private void serve() {
    loop.serve();
    health.start(peers, events, clock);
  }

  /** Stops following the directory and probing; the last snapshot stays readable. Idempotent. */
  void close() {
    if (!loop.close()) {
      return;
    }
    follower.close();
    if (keeper != null && loop.status().source() != TrustService.Source.NONE) {
      keeper.saveBeforeClose();
    }
    worker.shutdownNow();
    peers.close();
    health.close();
  }
}
