package org.umgw.dns;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A non-blocking counting semaphore: {@link #acquire()} returns a future that completes when a
 * permit is free, so thousands of waiting lookups hold no thread and none is ever refused.
 *
 * <p>Waiters are served in arrival order. A freed permit passes to the next waiter on the releasing
 * thread (no thread hop per query), through a per-thread trampoline: when the waiter's query fails
 * at once and releases again, that hand-over is queued for the outer loop instead of nesting, so a
 * long run of instant failures cannot overflow the stack.
 */
final class AsyncLimiter {
  /** Hand-overs due on this thread while it is already handing over (the trampoline). */
  private static final ThreadLocal<ArrayDeque<CompletableFuture<Void>>> HANDOVERS =
      new ThreadLocal<>();

  private final int permits;
  private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
  private int inUse;
  private int highWater;
  private boolean closed;

  AsyncLimiter(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be at least 1: " + permits);
    }
    this.permits = permits;
  }

  /**
   * Completes when the caller holds a permit (at once if one is free), or exceptionally with a
   * {@link DnsQueryException} once the limiter is closed. Each successful acquire needs exactly one
   * {@link #release()}.
   */
  CompletableFuture<Void> acquire() {
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new DnsQueryException("resolver closed"));
      }
      if (inUse < permits) {
        inUse++;
        highWater = Math.max(highWater, inUse);
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> waiter = new CompletableFuture<>();
      waiters.add(waiter);
      return waiter;
    }
  }

  /** Returns a permit; the oldest waiter, if any, gets it. */
  void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      next = waiters.poll();
      if (next == null) {
        inUse--;
        return;
      }
      // The permit passes straight to the waiter: inUse stays the same.
    }
    ArrayDeque<CompletableFuture<Void>> due = HANDOVERS.get();
    if (due != null) {
      due.add(next);
      return;
    }
    due = new ArrayDeque<>();
    due.add(next);
    HANDOVERS.set(due);
    try {
      CompletableFuture<Void> waiter;
      while ((waiter = due.poll()) != null) {
        waiter.complete(null);
      }
    } finally {
      HANDOVERS.remove();
    }
  }

  /** Fails every waiter and every later acquire; permits already held stay valid until released. */
  void close() {
    ArrayDeque<CompletableFuture<Void>> failed;
    synchronized (this) {
      closed = true;
      failed = new ArrayDeque<>(waiters);
      waiters.clear();
    }
    DnsQueryException e = new DnsQueryException("resolver closed");
    failed.forEach(w -> w.completeExceptionally(e));
  }

  /** Permits held right now. */
  synchronized int inUse() {
    return inUse;
  }

  /** The most permits ever held at once (tests prove the bound with it). */
  synchronized int highWater() {
    return highWater;
  }
}
