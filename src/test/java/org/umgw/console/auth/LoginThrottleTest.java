package org.umgw.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  @Test
  void fiveFailuresInFiveMinutesStopAnAddressUntilTheOldestExpires() {
    SessionsTest.TestClock clock = new SessionsTest.TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      assertThat(t.allowed("192.0.2.1")).isTrue();
      t.failed("192.0.2.1");
      clock.now = clock.now.plusSeconds(10);
    }
    assertThat(t.allowed("192.0.2.1")).isFalse();
    assertThat(t.allowed("192.0.2.2")).as("another address").isTrue();
    clock.now = clock.now.plus(LoginThrottle.WINDOW).minus(Duration.ofSeconds(50));
    assertThat(t.allowed("192.0.2.1")).as("the oldest failure left the window").isTrue();
  }

  @Test
  void aSuccessForgetsTheFailures() {
    LoginThrottle t = new LoginThrottle(new SessionsTest.TestClock());
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      t.failed("192.0.2.1");
    }
    t.succeeded("192.0.2.1");
    assertThat(t.allowed("192.0.2.1")).isTrue();
  }
}
