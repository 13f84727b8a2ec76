package org.umgw.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Optional;

/**
 * Fuzz targets for the SIP codec, which reads every datagram and stream frame a peer or a scanner
 * sends to the OPTIONS prober and the demo endpoint.
 *
 * <p>A plain {@code mvn test} replays the kept corpus under {@code SipMessageFuzzTestInputs/}
 * (sipp's own OPTIONS exchange, captured with {@code -trace_msg}, and every crash the fuzzer ever
 * found); {@code bench/fuzz.sh} fuzzes. Properties beyond "does not crash": the only failure is
 * {@link SipParseException}; what parses survives a write and a re-read unchanged; a message as
 * written is one whole stream frame; every accessor a receiver calls on a parsed message works; a
 * request can always be answered.
 */
class SipMessageFuzzTest {
  private static final int MAX = SipMessage.DEFAULT_MAX_SIZE;

  @FuzzTest(maxDuration = "30s")
  void parse(byte[] data) throws SipParseException {
    SipMessage m;
    try {
      m = SipMessage.parse(data, 0, data.length, MAX);
    } catch (SipParseException e) {
      return; // the documented refusal
    }
    // The accessors the prober and the receiver use on untrusted messages.
    m.topVia();
    Optional<String> branch = m.branch();
    m.callId();
    m.cseq();
    m.headerValues("Via");
    m.header("To").ifPresent(to -> SipMessage.param(to, "tag"));
    branch.ifPresent(b -> assertTrue(b.indexOf('\r') < 0 && b.indexOf('\n') < 0, b));

    // Round trip: what parses is written as a message that parses back to the same message, and
    // writing is a fixed point from then on.
    byte[] written = m.toBytes();
    SipMessage again = SipMessage.parse(written, 0, written.length, Integer.MAX_VALUE);
    assertSame(m, again);
    assertArrayEquals(written, again.toBytes());

    // A written message is exactly one stream frame (it always carries Content-Length).
    assertEquals(
        written.length, SipMessage.frameLength(written, 0, written.length, Integer.MAX_VALUE));

    if (m.isRequest()) {
      SipMessage answer = SipMessage.response(m, 200, "OK");
      byte[] a = answer.toBytes();
      SipMessage read = SipMessage.parse(a, 0, a.length, Integer.MAX_VALUE);
      assertEquals(m.callId(), read.callId());
      assertEquals(m.cseq(), read.cseq());
      assertEquals(m.headerValues("Via"), read.headerValues("Via"));
      assertEquals(m.branch(), read.branch());
    }
  }

  @FuzzTest(maxDuration = "30s")
  void frame(byte[] data) {
    int n;
    try {
      n = SipMessage.frameLength(data, 0, data.length, MAX);
    } catch (SipParseException e) {
      return;
    }
    assertTrue(n >= -1 && n <= data.length, "frame length " + n + " of " + data.length);
    if (n < 0) {
      return;
    }
    try {
      SipMessage m = SipMessage.parse(data, 0, n, MAX);
      // A frame cut by Content-Length holds exactly the declared body.
      assertTrue(m.body().length <= n);
    } catch (SipParseException e) {
      // a complete frame may still be malformed: refused the documented way
    }
  }

  private static void assertSame(SipMessage expected, SipMessage actual) {
    assertEquals(expected.startLine(), actual.startLine());
    assertEquals(expected.isRequest(), actual.isRequest());
    assertEquals(expected.method(), actual.method());
    assertEquals(expected.requestUri(), actual.requestUri());
    assertEquals(expected.statusCode(), actual.statusCode());
    assertEquals(expected.reason(), actual.reason());
    assertEquals(expected.headers(), actual.headers());
    assertArrayEquals(expected.body(), actual.body());
  }
}
