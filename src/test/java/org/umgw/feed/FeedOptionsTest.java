package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FeedOptionsTest {
  @Test
  void defaults_bestMechanismAndShortCoalescing() {
    FeedOptions o = FeedOptions.defaults();
    assertThat(o.forcedKind()).isEmpty();
    assertThat(o.pollInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.changelogPollInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.backoffMin()).isEqualTo(Duration.ofMillis(250));
    assertThat(o.backoffMax()).isEqualTo(Duration.ofSeconds(30));
    assertThat(o.coalesceWindow()).isEqualTo(Duration.ofMillis(30));
    assertThat(o.withKind(FeedKind.POLLING).forcedKind()).contains(FeedKind.POLLING);
  }

  @Test
  void resumeAcrossServers_onByDefault_keptByTheOtherWithers_andByTheOlderConstructor() {
    FeedOptions d = FeedOptions.defaults();
    assertThat(d.resumeAcrossServers()).isTrue();
    FeedOptions off = d.withResumeAcrossServers(false);
    assertThat(off.resumeAcrossServers()).isFalse();
    assertThat(off.withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).resumeAcrossServers())
        .isFalse();
    assertThat(off.withFailBackInterval(Duration.ofSeconds(1)).resumeAcrossServers()).isFalse();
    assertThat(
            new FeedOptions(
                    null,
                    d.pollInterval(),
                    d.changelogPollInterval(),
                    d.backoffMin(),
                    d.backoffMax(),
                    d.coalesceWindow(),
                    d.failBackInterval())
                .resumeAcrossServers())
        .isTrue();
  }

  @Test
  void backoffMaxBelowMin_refusedNamingBoth() {
    assertThatThrownBy(
            () -> FeedOptions.defaults().withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("backoffMax PT1S is shorter than backoffMin PT2S");
  }

  @Test
  void zeroPollInterval_refused() {
    assertThatThrownBy(() -> FeedOptions.defaults().withPollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollInterval must be positive: PT0S");
  }

  @Test
  void negativeCoalesceWindow_refused() {
    assertThatThrownBy(() -> FeedOptions.defaults().withCoalesceWindow(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("coalesceWindow must not be negative: PT-0.001S");
  }
}
