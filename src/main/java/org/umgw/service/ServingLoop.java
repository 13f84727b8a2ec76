package org.umgw.service;

import com.unboundid.ldap.sdk.ResultCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryUnavailableException;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.Events;
import org.umgw.feed.DirectoryChanges;
import org.umgw.feed.FeedKind;
import org.umgw.model.UmgwException;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;

/**
 * What the service serves and where it came from: the on-disk copy when a start cannot reach the
 * directory, then every directory delivery, queued as the {@link DirectoryFollower} hands it over
 * and taken through the {@link DirectoryPipeline} in order on the service's worker; and the {@link
 * TrustService.Status} all this produces.
 *
 * <p>Until {@link #serve} deliveries only queue (the first one releases {@link
 * #awaitFirstDelivery}); after it, each one is drained on the worker as it arrives.
 */
final class ServingLoop implements DirectoryFollower.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(ServingLoop.class);

  /** Beyond this many deliveries waiting, the worker takes the last one in full instead. */
  private static final int MAX_PENDING = 64;

  private final TrustedPeers peers;
  private final DirectoryPipeline pipeline;
  private final SnapshotKeeper keeper;
  private final ScheduledExecutorService worker;
  private final Events events;
  private final Clock clock;
  private final CompletableFuture<Void> firstDelivery = new CompletableFuture<>();
  private final AtomicReference<TrustService.Status> status =
      new AtomicReference<>(
          new TrustService.Status(false, null, null, TrustService.Source.NONE, null, null));

  // Guarded by this: deliveries not processed yet, in order (each one's delta is relative to the
  // one before it, so none is skipped).
  private final ArrayDeque<DirectoryChanges> pending = new ArrayDeque<>();
  private boolean running;
  private boolean closed;

  /** Worker: a delivery failed half-way, so the next one is taken in full, not as a delta. */
  private boolean resync;

  /**
   * @param keeper the on-disk copy, or {@code null} without one
   */
  ServingLoop(
      TrustedPeers peers,
      DirectoryPipeline pipeline,
      SnapshotKeeper keeper,
      ScheduledExecutorService worker,
      Events events,
      Clock clock) {
    this.peers = peers;
    this.pipeline = pipeline;
    this.keeper = keeper;
    this.worker = worker;
    this.events = events;
    this.clock = clock;
  }

  TrustService.Status status() {
    return status.get();
  }

  /**
   * @throws IllegalStateException when serving already or closed
   */
  synchronized void checkNotStarted() {
    if (running || closed) {
      throw new IllegalStateException("a TrustService starts once");
    }
  }

  /**
   * Waits for the follower's first delivery.
   *
   * @throws TimeoutException when none came within {@code timeout}
   */
  void awaitFirstDelivery(Duration timeout) throws TimeoutException {
    try {
      firstDelivery.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UmgwException("interrupted while starting the trust service", e);
    } catch (ExecutionException e) {
      throw new UmgwException("starting the trust service failed: " + e.getCause(), e);
    }
  }

  /** Processes what has arrived so far, on the worker, and waits for it. */
  void drainNow() {
    onWorker(this::drain);
  }

  /** From now on every delivery is drained on the worker as it arrives (and any waiting now). */
  void serve() {
    synchronized (this) {
      running = true;
    }
    worker.execute(this::drain);
  }

  /**
   * Marks closed, so later deliveries are dropped.
   *
   * @return false when it was closed already
   */
  synchronized boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  // ---------------------------------------------------------------- the start from disk

  /**
   * Serves the on-disk copy because the directory cannot be reached at start-up (9202 naming the
   * file); {@code follower} then reports 9203 on its first connection.
   *
   * @throws DirectoryUnavailableException {@code cause}, extended, without a usable on-disk copy
   */
  void startFromDisk(DirectoryUnavailableException cause, DirectoryFollower follower) {
    if (keeper == null) {
      throw cause;
    }
    Optional<SnapshotFile.Saved> saved;
    try {
      saved = keeper.load();
    } catch (UmgwException e) {
      throw new DirectoryUnavailableException(
          cause.getMessage() + "; and the on-disk copy cannot be used: " + e.getMessage(),
          ResultCode.CONNECT_ERROR,
          cause);
    }
    if (saved.isEmpty()) {
      throw new DirectoryUnavailableException(
          cause.getMessage() + "; and there is no on-disk copy at " + keeper.file().path() + " yet",
          ResultCode.CONNECT_ERROR,
          cause);
    }
    SnapshotFile.Saved s = saved.get();
    // What was served is served again: the copy holds what the policy allowed when it was saved.
    TrustSnapshot restored = peers.restore(s.contents(), s.names(), s.savedAt());
    onWorker(() -> pipeline.restored(s.contents()));
    status.set(new TrustService.Status(false, null, null, TrustService.Source.DISK, null, null));
    follower.startedDisconnected();
    events.onEvent(
        Event.of(
            EventId.DIRECTORY_UNREACHABLE,
            clock.instant(),
            "The directory cannot be reached ("
                + cause.getMessage()
                + "); serving "
                + restored.peers().size()
                + " trusted peers from the on-disk copy "
                + keeper.file().path()
                + " saved at "
                + s.savedAt()
                + " from "
                + s.source(),
            "file",
            keeper.file().path().toString(),
            "savedAt",
            s.savedAt().toString(),
            "peers",
            restored.peers().size()));
  }

  /** Runs {@code task} on the worker and waits for it, rethrowing what it throws. */
  private void onWorker(Runnable task) {
    try {
      worker.submit(task).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UmgwException("interrupted while starting the trust service", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new UmgwException("starting the trust service failed: " + e.getCause(), e);
    }
  }

  // ---------------------------------------------------------------- the follower's side

  @Override
  public void onChanges(DirectoryChanges changes) {
    boolean drainNow;
    synchronized (this) {
      if (closed) {
        return;
      }
      pending.add(changes);
      drainNow = running;
    }
    if (drainNow) {
      try {
        worker.execute(this::drain);
      } catch (RejectedExecutionException closing) {
        LOG.debug("a directory change arrived while closing");
      }
    } else {
      firstDelivery.complete(null);
    }
  }

  @Override
  public void onConnected(String server, FeedKind kind) {
    status.updateAndGet(
        s ->
            new TrustService.Status(true, server, kind, s.source(), s.lastUpdate(), s.rejection()));
  }

  @Override
  public void onDisconnected(String server, Exception cause) {
    pipeline.disconnected();
    status.updateAndGet(
        s ->
            new TrustService.Status(
                false, server, s.feed(), s.source(), s.lastUpdate(), s.rejection()));
  }

  // ---------------------------------------------------------------- processing (worker thread)

  /**
   * Processes every delivery waiting, in order. A backlog past {@link #MAX_PENDING} (a worker that
   * fell far behind) is replaced by its last delivery, taken in full.
   */
  private void drain() {
    while (true) {
      DirectoryChanges next;
      synchronized (this) {
        if (closed || pending.isEmpty()) {
          return;
        }
        if (pending.size() > MAX_PENDING) {
          DirectoryChanges last = pending.getLast();
          pending.clear();
          next = DirectoryChanges.between(null, last.read(), last.update());
        } else {
          next = pending.poll();
        }
      }
      if (resync) {
        next = DirectoryChanges.between(null, next.read(), next.update());
      }
      try {
        process(next);
        resync = false;
      } catch (RuntimeException e) {
        resync = true;
        LOG.error("applying a directory change failed; the snapshot in service stays", e);
      }
    }
  }

  /** Takes one delivery through the pipeline, then updates the status and the on-disk copy. */
  private void process(DirectoryChanges d) {
    String rejection = pipeline.process(d);
    Instant now = clock.instant();
    status.updateAndGet(
        s ->
            new TrustService.Status(
                s.connected(),
                d.update().server(),
                d.update().kind(),
                TrustService.Source.DIRECTORY,
                now,
                rejection));
    if (keeper != null) {
      keeper.saveSoon();
    }
  }
}
