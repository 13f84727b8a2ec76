package org.umgw.console.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows password guessing through the console: after {@link #MAX_FAILURES} refused logins from one
 * client address within {@link #WINDOW}, further attempts from it are refused without asking the
 * directory until the oldest failure leaves the window. The directory's own lockout policy, if any,
 * still applies per account; this one is per address and protects directories that have none. At
 * most {@link #MAX_ADDRESSES} addresses are remembered (the least recently failing go).
 */
public final class LoginThrottle {
  public static final int MAX_FAILURES = 5;
  public static final Duration WINDOW = Duration.ofMinutes(5);
  static final int MAX_ADDRESSES = 10_000;

  private final Clock clock;
  private final Map<String, Deque<Instant>> failures =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
          return size() > MAX_ADDRESSES;
        }
      };

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** Whether {@code address} may try a login now. */
  public synchronized boolean allowed(String address) {
    Deque<Instant> d = failures.get(address);
    if (d == null) {
      return true;
    }
    prune(d, clock.instant());
    if (d.isEmpty()) {
      failures.remove(address);
      return true;
    }
    return d.size() < MAX_FAILURES;
  }

  public synchronized void failed(String address) {
    Deque<Instant> d = failures.computeIfAbsent(address, a -> new ArrayDeque<>());
    Instant now = clock.instant();
    prune(d, now);
    d.addLast(now);
    while (d.size() > MAX_FAILURES) {
      d.removeFirst();
    }
  }

  /** A successful login forgets the address's failures. */
  public synchronized void succeeded(String address) {
    failures.remove(address);
  }

  private static void prune(Deque<Instant> d, Instant now) {
    Instant oldest = now.minus(WINDOW);
    while (!d.isEmpty() && !d.peekFirst().isAfter(oldest)) {
      d.removeFirst();
    }
  }
}
