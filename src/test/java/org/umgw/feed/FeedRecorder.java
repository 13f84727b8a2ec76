package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.umgw.directory.DirectoryRead;

/** Records what a feed delivers, with the time each delivery arrived, for tests to wait on. */
final class FeedRecorder implements DirectoryFeed.Listener {

  /** One delivery and when the listener received it ({@link System#nanoTime()}). */
  record Delivery(DirectoryRead read, FeedUpdate update, long nanos, String thread) {}

  private final LinkedBlockingQueue<Delivery> pending = new LinkedBlockingQueue<>();
  final List<Delivery> all = new CopyOnWriteArrayList<>();
  final List<String> connected = new CopyOnWriteArrayList<>();
  final List<String> disconnected = new CopyOnWriteArrayList<>();
  private volatile DirectoryRead latest;

  @Override
  public void onContents(DirectoryRead read, FeedUpdate update) {
    Delivery d = new Delivery(read, update, System.nanoTime(), Thread.currentThread().getName());
    latest = read;
    all.add(d);
    pending.add(d);
  }

  @Override
  public void onConnected(String server, FeedKind kind) {
    connected.add(server + " " + kind);
  }

  @Override
  public void onDisconnected(String server, Exception cause) {
    disconnected.add(server + " " + cause);
  }

  DirectoryRead latest() {
    return latest;
  }

  /**
   * Waits for the next delivery that satisfies {@code condition}, dropping the ones before it.
   *
   * @throws AssertionError naming {@code what} and the last contents when none comes in time
   */
  Delivery await(String what, Predicate<DirectoryRead> condition, Duration timeout)
      throws InterruptedException {
    if (latest != null && condition.test(latest) && pending.isEmpty()) {
      throw new AssertionError(what + ": already true before the change; the test proves nothing");
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Delivery> skipped = new ArrayList<>();
    while (true) {
      long left = deadline - System.nanoTime();
      Delivery d = left <= 0 ? null : pending.poll(left, TimeUnit.NANOSECONDS);
      if (d == null) {
        throw new AssertionError(
            what
                + ": no such delivery within "
                + timeout
                + "; deliveries meanwhile: "
                + skipped.size()
                + "; connected "
                + connected
                + "; disconnected "
                + disconnected
                + "; last contents "
                + latest);
      }
      if (condition.test(d.read())) {
        return d;
      }
      skipped.add(d);
    }
  }

  /** Waits for the first delivery, which must be a full refresh. */
  Delivery awaitInitial(Duration timeout) throws InterruptedException {
    Delivery d = pending.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    assertThat(d)
        .as("initial delivery within " + timeout + "; disconnected " + disconnected)
        .isNotNull();
    assertThat(d.update().fullRefresh()).as("initial delivery is a full refresh").isTrue();
    return d;
  }
}
