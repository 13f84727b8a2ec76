package org.umgw.service;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.UmgwException;
import org.umgw.trust.TrustSnapshot;

/**
 * Keeps the on-disk copy of what is served: after each swap a save is scheduled on the service's
 * worker, {@value #SAVE_DELAY_MILLIS} ms later, so a burst of swaps (a directory change, then its
 * DNS answers) is written once. Confined to the worker thread, like everything it schedules.
 */
final class SnapshotKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotKeeper.class);
  static final long SAVE_DELAY_MILLIS = 200;

  private final SnapshotFile file;
  private final ScheduledExecutorService worker;
  private final Supplier<TrustSnapshot> served;
  private final Supplier<String> source;
  private final Clock clock;
  private boolean saveScheduled;

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
    try {
      worker.schedule(this::save, SAVE_DELAY_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedAlready) {
      saveScheduled = false;
    }
  }

  /** Writes the snapshot in service now. Worker thread only. */
  void save() {
    saveScheduled = false;
    try {
      file.save(served.get(), source.get(), clock.instant());
    } catch (UmgwException e) {
      LOG.error("{}", e.getMessage());
    }
  }

  /** On close: writes a change swapped in less than the save delay ago, on the worker. */
  void saveBeforeClose() {
    try {
      worker.submit(this::save).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException
        | RejectedExecutionException e) {
      LOG.warn("the last snapshot was not saved to {} on close: {}", file.path(), e.toString());
    }
  }
}
