package org.umgw.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UntrustedTest {
  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("plain ASCII", "4000", "4000"),
        Arguments.of(
            "CRLF forges a line",
            "40\r\nevent 1401 Information: all healthy",
            "40\\x0d\\x0aevent 1401 Information: all healthy"),
        Arguments.of("NUL and ESC", "a\u0000b\u001b[31m", "a\\x00b\\x1b[31m"),
        Arguments.of("DEL and C1", "x\u007f\u0085y", "x\\x7f\\x85y"),
        Arguments.of("line separator", "a\u2028b", "a\\u2028b"),
        Arguments.of("bidi override", "1\u202e234", "1\\u202e234"),
        Arguments.of("backslash stays", "a\\x0d", "a\\x0d"),
        Arguments.of("letters stay", "Z\u00fcrich-Ost", "Z\u00fcrich-Ost"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void escapesControlCharacters(String why, String in, String out) {
    assertThat(Untrusted.text(in)).isEqualTo(out);
    assertThat(Untrusted.text(in)).doesNotContain("\r", "\n");
  }

  @Test
  void cutsLongValuesAndSaysHowMuch() {
    String s = Untrusted.text("9".repeat(10_000));
    assertThat(s).startsWith("9".repeat(64)).endsWith("...(9936 more)");
  }

  @Test
  void idempotent() {
    String once = Untrusted.text("a\r\n\u202e" + "b".repeat(100));
    assertThat(Untrusted.text(once, 1000)).isEqualTo(once);
  }

  @Test
  void nullIsEmpty() {
    assertThat(Untrusted.text(null)).isEmpty();
    assertThat(Untrusted.isClean("4000")).isTrue();
    assertThat(Untrusted.isClean("4\n")).isFalse();
  }

  @Test
  void anEventIsAlwaysOneLogLine() {
    Event e = Event.of(EventId.NO_HUNT_GROUP, Instant.EPOCH, "pilot \"1\r\nevent 1401\"");
    assertThat(e.toString()).isEqualTo("event 9104 Warning: pilot \"1\\x0d\\x0aevent 1401\"");
  }
}
