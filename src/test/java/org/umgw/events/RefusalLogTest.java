package org.umgw.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class RefusalLogTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-12-05T06:00:00Z"), ZoneOffset.UTC);

  private static Event refusal(String source) {
    return Event.of(
        EventId.UNTRUSTED_SOURCE,
        CLOCK.instant(),
        "No valid UM IP gateway was found with address " + source,
        "address",
        source);
  }

  private static long counted(List<Event> delivered) {
    return delivered.stream()
        .mapToLong(e -> e.details().containsKey("count") ? (Long) e.details().get("count") : 1)
        .sum();
  }

  @Test
  void floodFromManySourcesGivesBoundedEventsAndLosesNoCount() {
    List<Event> delivered = new CopyOnWriteArrayList<>();
    RefusalLog log = new RefusalLog(delivered::add, CLOCK, Duration.ofHours(1), 1024);
    for (int i = 0; i < 100_000; i++) {
      log.record(refusal("198.51." + (i % 10_000) / 256 + "." + (i % 10_000) % 256));
    }
    assertThat(log.trackedSources()).isLessThanOrEqualTo(1024);
    assertThat(log.total(EventId.UNTRUSTED_SOURCE)).isEqualTo(100_000);
    log.close();

    // 1,024 first events, at most 1,024 summaries of the tracked, one for all the others.
    assertThat(delivered).hasSizeLessThanOrEqualTo(1024 + 1024 + 1);
    assertThat(counted(delivered)).isEqualTo(100_000);
    assertThat(delivered)
        .filteredOn(e -> Boolean.TRUE.equals(e.details().get("untracked")))
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("beyond the 1024 tracked"));
  }

  @Test
  void firstRefusalAtOnceThenOneCountPerWindowThenForgotten() throws Exception {
    List<Event> delivered = new CopyOnWriteArrayList<>();
    RefusalLog log = new RefusalLog(delivered::add, CLOCK, Duration.ofHours(1), 16);
    log.record(refusal("192.0.2.66"));
    org.awaitility.Awaitility.await().until(() -> delivered.size() == 1);
    for (int i = 0; i < 499; i++) {
      log.record(refusal("192.0.2.66"));
    }
    assertThat(delivered).hasSize(1);

    log.endWindow();
    assertThat(delivered).hasSize(2);
    Event summary = delivered.get(1);
    assertThat(summary.details())
        .containsEntry("count", 499L)
        .containsEntry("address", "192.0.2.66");
    assertThat(summary.message()).startsWith("499 more refusals (event 1021) of 192.0.2.66");

    log.endWindow(); // a quiet window: forgotten, nothing said
    assertThat(delivered).hasSize(2);
    assertThat(log.trackedSources()).isZero();

    log.record(refusal("192.0.2.66")); // new again: passed on at once
    org.awaitility.Awaitility.await().until(() -> delivered.size() == 3);
    assertThat(delivered.get(2).details()).doesNotContainKey("count");
    log.close();
  }

  @Test
  void recordNeverBlocksOnASlowListener() {
    CountDownLatch release = new CountDownLatch(1);
    List<Event> delivered = new CopyOnWriteArrayList<>();
    EventListener stuck =
        e -> {
          try {
            release.await();
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
          }
          delivered.add(e);
        };
    RefusalLog log = new RefusalLog(stuck, CLOCK, Duration.ofHours(1), 64);
    // The listener (a logger writing to a full pipe, say) never returns: admission goes on.
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          for (int i = 0; i < 200_000; i++) {
            log.record(refusal("203.0.113." + (i % 200)));
          }
        });
    assertThat(log.total(EventId.UNTRUSTED_SOURCE)).isEqualTo(200_000);
    release.countDown();
    log.close();
    assertThat(counted(delivered)).isEqualTo(200_000);
  }

  @Test
  void eventsOfDifferentTypesFromOneSourceAreCountedApart() {
    List<Event> delivered = new CopyOnWriteArrayList<>();
    RefusalLog log = new RefusalLog(delivered::add, CLOCK, Duration.ofHours(1), 16);
    log.record(refusal("192.0.2.1"));
    log.record(
        Event.of(
            EventId.GATEWAY_NOT_ENABLED, CLOCK.instant(), "not enabled", "address", "192.0.2.1"));
    log.close();
    assertThat(delivered).extracting(Event::id).containsExactlyInAnyOrder(1021, 1442);
  }
}
