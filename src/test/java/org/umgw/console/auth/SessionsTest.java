package org.umgw.console.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionsTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void idleSessionsEnd() {
    TestClock clock = new TestClock();
    Sessions sessions = new Sessions(Duration.ofMinutes(30), clock);
    Session s = sessions.anonymous();
    clock.now = clock.now.plus(Duration.ofMinutes(29));
    assertThat(sessions.find(s.id())).isSameAs(s);
    clock.now = clock.now.plus(Duration.ofMinutes(29));
    assertThat(sessions.find(s.id())).as("touched 29 min ago").isSameAs(s);
    clock.now = clock.now.plus(Duration.ofMinutes(31));
    assertThat(sessions.find(s.id())).isNull();
    assertThat(sessions.size()).isZero();
  }

  @Test
  void busySessionsEndAfter24TimesTheIdleTimeout() {
    TestClock clock = new TestClock();
    Sessions sessions = new Sessions(Duration.ofMinutes(30), clock);
    Session s = sessions.anonymous();
    for (int i = 0; i < 47; i++) {
      clock.now = clock.now.plus(Duration.ofMinutes(15));
      assertThat(sessions.find(s.id())).isNotNull();
    }
    clock.now = clock.now.plus(Duration.ofMinutes(16));
    assertThat(sessions.find(s.id())).as("12 h after it began").isNull();
  }

  @Test
  void loginRenewsTheIdAndTheToken() {
    Sessions sessions = new Sessions(Duration.ofMinutes(30), new TestClock());
    Session before = sessions.anonymous();
    Session after = sessions.login(before, "cn=admin,dc=umgw,dc=example", null);
    assertThat(after.id()).isNotEqualTo(before.id());
    assertThat(after.csrfToken()).isNotEqualTo(before.csrfToken());
    assertThat(sessions.find(before.id())).isNull();
    assertThat(after.loggedIn()).isTrue();
  }

  @Test
  void csrfTokenMustMatchExactly() {
    Sessions sessions = new Sessions(Duration.ofMinutes(30), new TestClock());
    Session s = sessions.anonymous();
    assertThat(Sessions.csrfMatches(s, s.csrfToken())).isTrue();
    assertThat(Sessions.csrfMatches(s, null)).isFalse();
    assertThat(Sessions.csrfMatches(s, "")).isFalse();
    assertThat(Sessions.csrfMatches(s, s.csrfToken() + "x")).isFalse();
    assertThat(Sessions.csrfMatches(s, sessions.anonymous().csrfToken())).isFalse();
  }

  @Test
  void theNumberOfSessionsIsBounded() {
    TestClock clock = new TestClock();
    Sessions sessions = new Sessions(Duration.ofMinutes(30), clock);
    Session first = sessions.anonymous();
    for (int i = 1; i < Sessions.MAX_SESSIONS + 5; i++) {
      clock.now = clock.now.plusMillis(1);
      sessions.anonymous();
    }
    assertThat(sessions.size()).isEqualTo(Sessions.MAX_SESSIONS);
    assertThat(sessions.find(first.id())).as("the least recently used went first").isNull();
  }
}
