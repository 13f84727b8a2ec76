package org.umgw.events;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates refusal events (1021, 1442, no hunt group) per source so that a SIP scanner or a flood
 * from many spoofed sources cannot flood the log or slow down admission.
 *
 * <p>The first refusal of a source is passed on at once; later ones within a window are only
 * counted, and at the end of each window one summary event per source says how many more there
 * were. A source quiet for a whole window is forgotten, so its next refusal is passed on at once
 * again. At most {@code maxSources} sources are tracked: refusals from sources beyond that are
 * counted per event type and summed up in one event per window, so memory stays bounded whatever
 * the number of sources.
 *
 * <p>{@link #record} never blocks and never logs: it counts with {@link LongAdder}s and hands the
 * first events to a bounded queue; events reach the downstream listener (which logs) on this
 * class's own daemon thread, {@code umgw-refusals}.
 */
public final class RefusalLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RefusalLog.class);

  /** One minute windows, 1,024 sources, 1,024 first events waiting at most. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);

  public static final int DEFAULT_MAX_SOURCES = 1024;

  private record Key(EventId type, String source) {}

  private static final class Tally {
    final Event first;
    final LongAdder more = new LongAdder();

    Tally(Event first) {
      this.first = first;
    }
  }

  private final EventListener downstream;
  private final Clock clock;
  private final Duration window;
  private final int maxSources;
  private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
  private final Map<EventId, LongAdder> untracked = new ConcurrentHashMap<>();
  private final Map<EventId, LongAdder> totals = new ConcurrentHashMap<>();
  private final BlockingQueue<Event> firsts;
  private final Thread thread;
  private volatile boolean closed;

  public RefusalLog(EventListener downstream, Clock clock) {
    this(downstream, clock, DEFAULT_WINDOW, DEFAULT_MAX_SOURCES);
  }

  public RefusalLog(EventListener downstream, Clock clock, Duration window, int maxSources) {
    this.downstream = requireNonNull(downstream, "downstream == null");
    this.clock = requireNonNull(clock, "clock == null");
    this.window = requireNonNull(window, "window == null");
    if (window.isNegative() || window.isZero() || maxSources < 1) {
      throw new IllegalArgumentException(
          "window must be positive and maxSources at least 1, not " + window + ", " + maxSources);
    }
    this.maxSources = maxSources;
    this.firsts = new ArrayBlockingQueue<>(maxSources);
    this.thread = new Thread(this::run, "umgw-refusals");
    thread.setDaemon(true);
    thread.start();
  }

  /** Counts a refusal; passes it on (later, on the refusal thread) if its source is new. */
  public void record(Event refusal) {
    EventId type = refusal.type();
    totals.computeIfAbsent(type, t -> new LongAdder()).increment();
    Object source = refusal.details().get("address");
    Key key = new Key(type, source == null ? "" : source.toString());
    Tally tally = tallies.get(key);
    if (tally != null) {
      tally.more.increment();
      return;
    }
    if (tallies.size() >= maxSources) {
      untracked.computeIfAbsent(type, t -> new LongAdder()).increment();
      return;
    }
    Tally fresh = new Tally(refusal);
    Tally raced = tallies.putIfAbsent(key, fresh);
    if (raced != null) {
      raced.more.increment();
    } else if (!firsts.offer(refusal)) {
      fresh.more.increment(); // the queue is full: the window's summary counts it
    }
  }

  /** Refusals of {@code type} recorded since start, passed on or not (for metrics). */
  public long total(EventId type) {
    LongAdder a = totals.get(type);
    return a == null ? 0 : a.sum();
  }

  /** Sources tracked right now (bounded by {@code maxSources}). */
  public int trackedSources() {
    return tallies.size();
  }

  private void run() {
    long windowNanos = window.toNanos();
    long next = System.nanoTime() + windowNanos;
    while (!closed) {
      try {
        long wait = next - System.nanoTime();
        Event e = wait > 0 ? firsts.poll(wait, TimeUnit.NANOSECONDS) : null;
        if (e != null) {
          deliver(e);
        }
        if (System.nanoTime() - next >= 0) {
          endWindow();
          next = System.nanoTime() + windowNanos;
        }
      } catch (InterruptedException interrupted) {
        break; // close(): the remaining events are passed on there
      } catch (RuntimeException e) {
        LOG.warn("refusal log: {}", e.toString(), e);
      }
    }
  }

  /**
   * Passes on what is queued, then one summary per source that was refused again in the window, and
   * forgets the sources that were not. Runs on the refusal thread, or in {@link #close}.
   */
  void endWindow() {
    for (Event e; (e = firsts.poll()) != null; ) {
      deliver(e);
    }
    long seconds = window.toSeconds();
    for (Map.Entry<Key, Tally> entry : tallies.entrySet()) {
      Tally t = entry.getValue();
      long more = t.more.sumThenReset();
      if (more == 0) {
        tallies.remove(entry.getKey(), t);
        more = t.more.sumThenReset(); // counted while it was being forgotten
        if (more == 0) {
          continue;
        }
      }
      Event first = t.first;
      Object source = first.details().getOrDefault("address", "an unknown source");
      Event summary =
          Event.of(
              first.type(),
              clock.instant(),
              more
                  + " more refusal"
                  + (more == 1 ? "" : "s")
                  + " (event "
                  + first.id()
                  + ") of "
                  + source
                  + " in the last "
                  + seconds
                  + " s; the first was: "
                  + first.message(),
              "address",
              source,
              "count",
              more,
              "windowSeconds",
              seconds);
      deliver(summary);
    }
    for (Map.Entry<EventId, LongAdder> entry : untracked.entrySet()) {
      long n = entry.getValue().sumThenReset();
      if (n > 0) {
        deliver(
            Event.of(
                entry.getKey(),
                clock.instant(),
                n
                    + " refusal"
                    + (n == 1 ? "" : "s")
                    + " (event "
                    + entry.getKey().id()
                    + ") from sources beyond the "
                    + maxSources
                    + " tracked in the last "
                    + seconds
                    + " s",
                "count",
                n,
                "windowSeconds",
                seconds,
                "untracked",
                true));
      }
    }
  }

  private void deliver(Event e) {
    try {
      downstream.onEvent(e);
    } catch (RuntimeException failure) {
      LOG.warn("refusal event listener failed on {}: {}", e, failure.toString(), failure);
    }
  }

  /** Stops the thread and passes on what is pending (first events and counts). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    endWindow();
  }
}
