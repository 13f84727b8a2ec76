package org.umgw.feed;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with equal jitter: each delay lies between half the current step and all of
 * it, and the step doubles up to a maximum, so many clients that lost one server do not come back
 * in lock step. Not thread-safe: one retry loop owns one.
 *
 * <pre>{@code
 * Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30));
 * Thread.sleep(b.next().toMillis());   // after a failure
 * b.reset();                           // after a success
 * }</pre>
 */
public final class Backoff {
  private final long minMillis;
  private final long maxMillis;
  private long step;

  /**
   * @throws IllegalArgumentException when {@code min} is not positive or {@code max} is below it
   */
  public Backoff(Duration min, Duration max) {
    requireNonNull(min, "min == null");
    requireNonNull(max, "max == null");
    if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < min <= max, not " + min + ", " + max);
    }
    this.minMillis = min.toMillis();
    this.maxMillis = max.toMillis();
    this.step = minMillis;
  }

  /** The delay before the next attempt; doubles the step for the one after. */
  public Duration next() {
    long delay = step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);
    step = Math.min(step * 2, maxMillis);
    return Duration.ofMillis(Math.max(1, delay));
  }

  /** Back to the minimum, after an attempt that worked. */
  public void reset() {
    step = minMillis;
  }
}
