package org.umgw.feed;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Changes a {@link LiveFeed} saw since its last delivery, delivered together once the coalescing
 * window ({@link FeedOptions#coalesceWindow}) has passed. Feed thread only.
 */
final class Batch {
  private final LiveFeed feed;
  private Instant first;
  private long due;
  int changed;

  Batch(LiveFeed feed) {
    this.feed = feed;
  }

  void note(int count, Instant at) {
    if (count <= 0) {
      return;
    }
    if (first == null) {
      first = at;
      due = System.nanoTime() + feed.options.coalesceWindow().toNanos();
    }
    changed += count;
  }

  long waitMillis() {
    if (first == null) {
      return LiveFeed.IDLE_WAIT_MS;
    }
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime()));
  }

  void deliverIfDue(FeedKind k, String server) {
    if (first != null && System.nanoTime() - due >= 0) {
      feed.deliver(k, server, first, false, changed);
      first = null;
      changed = 0;
    }
  }
}
