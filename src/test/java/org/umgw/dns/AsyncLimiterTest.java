package org.umgw.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link AsyncLimiter}: permits, first-come order, hand-over on release, close. */
class AsyncLimiterTest {
  final AsyncLimiter limiter = new AsyncLimiter(2);

  @Test
  void acquire_beyondPermits_waitsInArrivalOrder() {
    CompletableFuture<Void> a = limiter.acquire();
    CompletableFuture<Void> b = limiter.acquire();
    CompletableFuture<Void> c = limiter.acquire();
    CompletableFuture<Void> d = limiter.acquire();

    assertThat(a).isDone();
    assertThat(b).isDone();
    assertThat(c).isNotDone();
    assertThat(d).isNotDone();

    limiter.release();
    assertThat(c).isDone();
    assertThat(d).isNotDone();
    assertThat(limiter.inUse()).isEqualTo(2);

    limiter.release();
    limiter.release();
    limiter.release();
    assertThat(d).isDone();
    assertThat(limiter.inUse()).isZero();
    assertThat(limiter.highWater()).isEqualTo(2);
  }

  @Test
  void close_failsWaiters_andLaterAcquires() {
    limiter.acquire();
    limiter.acquire();
    CompletableFuture<Void> waiting = limiter.acquire();

    limiter.close();

    assertThat(waiting).isCompletedExceptionally();
    assertThat(limiter.acquire()).isCompletedExceptionally();
  }
}
