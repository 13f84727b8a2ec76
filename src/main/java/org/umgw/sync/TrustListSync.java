package org.umgw.sync;

import static java.util.Objects.requireNonNull;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.export.AtomicFileWriter;
import org.umgw.export.Renderer;
import org.umgw.export.ShrinkGuard;
import org.umgw.export.TrustList;
import org.umgw.feed.Backoff;
import org.umgw.model.UmgwException;
import org.umgw.service.TrustService;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;

/**
 * Keeps one consumer's trust-list file in step with a running {@link TrustService}: after every
 * swap of the snapshot it renders the file in its format and, when that content differs from what
 * is on disk (the {@code generated} timestamp aside), replaces the file atomically and tells the
 * consumer through its {@link Reloader}.
 *
 * <pre>{@code
 * try (TrustListSync sync = new TrustListSync(service, SyncOptions.of(kamailio, file, options),
 *     new KamailioRpcReloader("http://127.0.0.1:5071/RPC", Duration.ofSeconds(5), timeout))
 *     .start()) {
 *   ...   // the file and Kamailio follow the directory until close()
 * }
 * }</pre>
 *
 * <p>All work happens on one thread, so bursts of swaps coalesce into one write and reloads never
 * overlap. A reload that fails is retried with {@link Backoff} (event 9602 each time, 9603 once it
 * works again); a newer change is written at once and the pending retry reloads it, so the backoff
 * (and a wait the consumer asked for) holds.
 *
 * <p>The guards of {@code export} (shrink guard, empty list) apply at start only, where a wrong
 * base DN or hidden entries show up as a much smaller list. Afterwards every change applies,
 * revocations included: what may be served is {@link TrustService}'s fail-closed policy's decision,
 * and the service never empties its list on an outage.
 */
public final class TrustListSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TrustListSync.class);

  /**
   * Whether the consumer is in step, for health checks.
   *
   * @param inStep the file holds the latest list and the consumer took it
   * @param lastWrite when the file was last replaced, or null
   * @param lastReload when the consumer last took the file, or null
   * @param failedAttempts consecutive failed reloads or writes
   * @param lastError the last failure, or null after a success
   */
  public record State(
      boolean inStep,
      Instant lastWrite,
      Instant lastReload,
      int failedAttempts,
      String lastError) {}

  private final TrustService service;
  private final SyncOptions options;
  private final Reloader reloader;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final TrustedPeers.ChangeListener listener = change -> requestSync();
  private volatile State state = new State(false, null, null, 0, null);

  // Confined to the sync thread.
  private String written;
  private boolean reloadOwed;
  private final Backoff backoff;
  private int failures;
  private ScheduledFuture<?> retry;

  public TrustListSync(TrustService service, SyncOptions options, Reloader reloader) {
    this(service, options, reloader, Clock.systemUTC());
  }

  TrustListSync(TrustService service, SyncOptions options, Reloader reloader, Clock clock) {
    this.service = requireNonNull(service, "service == null");
    this.options = requireNonNull(options, "options == null");
    this.reloader = requireNonNull(reloader, "reloader == null");
    this.clock = requireNonNull(clock, "clock == null");
    this.backoff = new Backoff(options.retryMin(), options.retryMax());
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setNameFormat("umgw-trust-list-sync")
                .setDaemon(true)
                .build());
  }

  /**
   * Writes the file and reloads the consumer once (so a consumer started with an old file catches
   * up), then follows the service. A reload that fails here is retried in the background like any
   * other.
   *
   * @return this
   * @throws UmgwException when the first file is refused (shrink guard, empty list) or cannot be
   *     written: nothing is followed then
   */
  public TrustListSync start() {
    try {
      thread.submit(() -> sync(true)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new UmgwException("interrupted while writing " + options.file(), e);
    } catch (ExecutionException e) {
      close();
      if (e.getCause() instanceof UmgwException u) {
        throw u;
      }
      throw new UmgwException("writing " + options.file() + " failed: " + e.getCause(), e);
    }
    service.addSnapshotListener(listener);
    requestSync(); // a swap between the first write and the listener
    return this;
  }

  public State state() {
    return state;
  }

  public Reloader reloader() {
    return reloader;
  }

  /** Stops following; the file stays as last written. Idempotent. */
  @Override
  public void close() {
    service.removeSnapshotListener(listener);
    thread.shutdownNow();
  }

  private void requestSync() {
    if (pending.compareAndSet(false, true)) {
      try {
        thread.execute(() -> sync(false));
      } catch (RejectedExecutionException e) {
        LOG.debug("sync of {} not scheduled: closed", options.file());
      }
    }
  }

  /** Sync thread only. At start a refusal throws; later it is an event and a retry. */
  private void sync(boolean first) {
    pending.set(false);
    Instant now = clock.instant();
    TrustSnapshot snapshot = service.snapshot();
    List<Event> about = new ArrayList<>(snapshot.duplicates());
    service.decision().ifPresent(d -> about.addAll(d.events(now)));
    String comparable =
        Renderer.render(
            options.format(), TrustList.of(snapshot, about, Instant.EPOCH), options.export());
    if (!comparable.equals(written)) {
      TrustList list = TrustList.of(snapshot, about, now);
      String content = Renderer.render(options.format(), list, options.export());
      int addresses = options.format().allowList() ? list.allowed().size() : list.peers().size();
      try {
        if (first) {
          guard(content, addresses);
        }
        AtomicFileWriter.write(
            options.file(), content.getBytes(StandardCharsets.UTF_8), options.mode());
      } catch (UmgwException e) {
        if (first) {
          throw e;
        }
        failed(
            Event.of(
                EventId.SYNC_WRITE_REFUSED,
                now,
                "Cannot replace " + options.file() + ": " + e.getMessage(),
                "file",
                options.file().toString()),
            e.getMessage(),
            Duration.ZERO,
            () -> sync(false));
        return;
      }
      written = comparable;
      reloadOwed = true;
      state = new State(false, now, state.lastReload(), failures, state.lastError());
      service.raise(
          Event.of(
              EventId.SYNC_FILE_WRITTEN,
              now,
              "Wrote "
                  + addresses
                  + " trusted addresses to "
                  + options.file()
                  + " ("
                  + options.format()
                  + ")",
              "file",
              options.file().toString(),
              "format",
              options.format().name(),
              "addresses",
              addresses));
    }
    if (first) {
      reloadOwed = true;
    }
    // While a retry is scheduled the consumer is failing or asked to wait (Kamailio's "ongoing
    // reload"): the retry reloads the file as it is then, the latest; reloading sooner would
    // defeat the backoff.
    if (reloadOwed && (retry == null || retry.isDone())) {
      reload();
    }
  }

  private void guard(String content, int addresses) {
    if (addresses == 0 && !options.allowEmpty()) {
      throw new UmgwException(
          "refusing to write "
              + options.file()
              + ": the trust list holds no address at all (a wrong --base-dn, access controls"
              + " hiding the entries, or no gateway linked to a dial plan?); nothing was written;"
              + " pass --allow-empty if an empty list is really meant");
    }
    if (options.maxShrinkPercent() >= 0) {
      ShrinkGuard.check(options.file(), options.format(), content, options.maxShrinkPercent());
    }
  }

  private void reload() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    Instant start = clock.instant();
    if (reloader == Reloader.NONE) {
      // The consumer reads the file by itself: written is in step; no reload to count.
      reloadOwed = false;
      state = new State(true, state.lastWrite(), state.lastReload(), 0, null);
      return;
    }
    try {
      reloader.reload(options.file());
    } catch (ReloadException e) {
      failed(
          Event.of(
              EventId.SYNC_RELOAD_FAILED,
              start,
              "Reload of "
                  + options.file()
                  + " by "
                  + reloader.describe()
                  + " failed: "
                  + e.getMessage(),
              "file",
              options.file().toString(),
              "consumer",
              reloader.describe(),
              "attempt",
              failures + 1),
          e.getMessage(),
          e.retryAfter(),
          () -> {
            if (reloadOwed) {
              reload();
            }
          });
      return;
    }
    Instant done = clock.instant();
    reloadOwed = false;
    if (failures > 0) {
      service.raise(
          Event.of(
              EventId.SYNC_RELOAD_RECOVERED,
              done,
              reloader.describe() + " took " + options.file() + " after " + failures + " failures",
              "file",
              options.file().toString(),
              "consumer",
              reloader.describe(),
              "failures",
              failures));
    }
    failures = 0;
    backoff.reset();
    state = new State(true, state.lastWrite(), done, 0, null);
    service.raise(
        Event.of(
            EventId.SYNC_RELOADED,
            done,
            reloader.describe() + " reloaded " + options.file(),
            "file",
            options.file().toString(),
            "consumer",
            reloader.describe(),
            "seconds",
            Duration.between(start, done).toMillis() / 1000.0));
  }

  /** Raises the event and schedules {@code again} after the backoff (at least {@code atLeast}). */
  private void failed(Event event, String error, Duration atLeast, Runnable again) {
    failures++;
    Duration delay = backoff.next();
    if (atLeast.compareTo(delay) > 0) {
      delay = atLeast;
    }
    service.raise(
        new Event(
            event.type(),
            event.time(),
            event.message() + "; retrying in " + delay.toMillis() + " ms",
            withRetry(event, delay)));
    state = new State(false, state.lastWrite(), state.lastReload(), failures, error);
    try {
      // Scheduled from the sync thread itself, so it cannot run before retry is assigned.
      retry =
          thread.schedule(
              () -> {
                retry = null;
                again.run();
              },
              delay.toMillis(),
              TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      LOG.debug("retry for {} not scheduled: closed", options.file());
    }
  }

  private static java.util.Map<String, Object> withRetry(Event event, Duration delay) {
    java.util.Map<String, Object> d = new java.util.LinkedHashMap<>(event.details());
    d.put("retryMillis", delay.toMillis());
    return d;
  }
}
