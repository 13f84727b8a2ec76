package org.umgw.service;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.UmgwException;
import org.umgw.trust.TrustSnapshot;

/**
 * Keeps the on-disk copy of what is served: after each swap a save is scheduled on the service's
 * worker, at least {@value #SAVE_DELAY_MILLIS} ms later, so a burst of swaps (a directory change,
 * then its DNS answers) is written once. The write itself runs on a thread of its own, so a large
 * directory's file (seconds at 100,000 gateways on a slow disk) never holds back the next change;
 * and the delay grows to {@value #PACE} times the last write's duration, so a steady stream of
 * changes costs the writes at most a tenth of a core. Scheduling is confined to the worker thread.
 */
final class SnapshotKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotKeeper.class);
  static final long SAVE_DELAY_MILLIS = 200;

  /** The next save waits at least this many times the last write's duration. */
  static final int PACE = 10;

  private final SnapshotFile file;
  private final ScheduledExecutorService worker;
  private final ExecutorService writer;
  private final Supplier<TrustSnapshot> served;
  private final Supplier<String> source;
  private final Clock clock;
  private boolean saveScheduled;
  private volatile long lastWriteMillis;

  SnapshotKeeper(
      SnapshotFile file,
      ScheduledExecutorService worker,
      Supplier<TrustSnapshot> served,
      Supplier<String> source,
      Clock clock) {
    this.file = requireNonNull(file, "file == null");
    this.worker = requireNonNull(worker, "worker == null");
    this.served = requireNonNull(served, "served == null");
    this.source = requireNonNull(source, "source == null");
    this.clock = requireNonNull(clock, "clock == null");
    // One thread, started on the first write and gone 5 s after the last: a closed service that
    // never saved leaves no thread behind.
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            1,
            1,
            5,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new ThreadFactoryBuilder().setNameFormat("umgw-snapshot-save").setDaemon(true).build());
    pool.allowCoreThreadTimeOut(true);
    this.writer = pool;
  }

  SnapshotFile file() {
    return file;
  }

  /** The saved copy, if there is one. */
  Optional<SnapshotFile.Saved> load() {
    return file.load();
  }

  /** Schedules a save unless one is pending. Worker thread only. */
  void saveSoon() {
    if (saveScheduled) {
      return;
    }
    saveScheduled = true;
    long delay = Math.max(SAVE_DELAY_MILLIS, PACE * lastWriteMillis);
    try {
      worker.schedule(this::save, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedAlready) {
      saveScheduled = false;
    }
  }

  /**
   * Hands the snapshot in service now to the writer thread (writes run in order, one at a time).
   * Worker thread only.
   *
   * @return the write, done when the file is written (or the write failed, logged)
   */
  Future<?> save() {
    saveScheduled = false;
    TrustSnapshot snapshot = served.get();
    String from = source.get();
    Instant at = clock.instant();
    try {
      return writer.submit(() -> write(snapshot, from, at));
    } catch (RejectedExecutionException closed) {
      LOG.debug("snapshot not saved to {}: the service is closed", file.path());
      return CompletableFuture.completedFuture(null);
    }
  }

  private void write(TrustSnapshot snapshot, String from, Instant at) {
    long start = System.nanoTime();
    try {
      file.save(snapshot, from, at);
    } catch (UmgwException e) {
      LOG.error("{}", e.getMessage());
    } finally {
      lastWriteMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
  }

  /** On close: writes what is served (a change swapped in less than the delay ago), then stops. */
  void saveBeforeClose() {
    try {
      worker.submit(this::save).get(10, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | RejectedExecutionException e) {
      LOG.warn("the last snapshot was not saved to {} on close: {}", file.path(), e.toString());
    } finally {
      writer.shutdown();
    }
  }
}
