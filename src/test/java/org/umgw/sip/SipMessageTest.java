package org.umgw.sip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.umgw.sip.SipMessage.CSeq;
import org.umgw.sip.SipMessage.Header;

class SipMessageTest {
  private static final String OPTIONS =
      "OPTIONS sip:gw1.example.test:5060 SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKabc;rport\r\n"
          + "From: <sip:umgw@127.0.0.1>;tag=111\r\n"
          + "To: <sip:gw1.example.test>\r\n"
          + "Call-ID: call-1\r\n"
          + "CSeq: 7 OPTIONS\r\n"
          + "Max-Forwards: 70\r\n"
          + "Content-Length: 0\r\n"
          + "\r\n";

  private static SipMessage parse(String text) throws SipParseException {
    byte[] b = text.getBytes(UTF_8);
    return SipMessage.parse(b, 0, b.length, SipMessage.DEFAULT_MAX_SIZE);
  }

  @Test
  void parse_request_readsStartLineAndHeaders() throws Exception {
    SipMessage m = parse(OPTIONS);

    assertThat(m.isRequest()).isTrue();
    assertThat(m.method()).hasValue("OPTIONS");
    assertThat(m.requestUri()).hasValue("sip:gw1.example.test:5060");
    assertThat(m.branch()).hasValue("z9hG4bKabc");
    assertThat(m.callId()).hasValue("call-1");
    assertThat(m.cseq()).hasValue(new CSeq(7, "OPTIONS"));
    assertThat(m.header("max-forwards")).hasValue("70");
    assertThat(m.body()).isEmpty();
  }

  @Test
  void parse_compactAndOddlyCasedNames_areReadAsLongNames() throws Exception {
    SipMessage m =
        parse(
            "SIP/2.0 200 OK\r\n"
                + "v: SIP/2.0/UDP 127.0.0.1:40000;BRANCH=z9hG4bKx, SIP/2.0/UDP 10.0.0.1\r\n"
                + "f: <sip:a@b>;tag=1\r\n"
                + "t: <sip:c@d>;tag=2\r\n"
                + "i: cid\r\n"
                + "cSeQ: 1 OPTIONS\r\n"
                + "m: <sip:e@f>\r\n"
                + "l: 0\r\n\r\n");

    assertThat(m.statusCode()).isEqualTo(200);
    assertThat(m.reason()).isEqualTo("OK");
    assertThat(m.headerValues("Via")).hasSize(2);
    assertThat(m.branch()).hasValue("z9hG4bKx");
    assertThat(m.header("FROM")).hasValue("<sip:a@b>;tag=1");
    assertThat(m.header("To").flatMap(t -> SipMessage.param(t, "tag"))).hasValue("2");
    assertThat(m.callId()).hasValue("cid");
    assertThat(m.header("Contact")).hasValue("<sip:e@f>");
    assertThat(m.headers()).extracting(Header::name).doesNotContain("Content-Length");
  }

  @Test
  void parse_foldedHeaderLine_isJoined() throws Exception {
    SipMessage m = parse("SIP/2.0 404 Not Found\r\nSubject: a\r\n  b\r\nContent-Length: 0\r\n\r\n");

    assertThat(m.header("Subject")).hasValue("a b");
    assertThat(m.reason()).isEqualTo("Not Found");
  }

  /** Found by SipMessageFuzzTest: a value that began on a continuation line did not round-trip. */
  @Test
  void parse_valueFoldedOntoAnEmptyFirstLine_hasNoLeadingSpace() throws Exception {
    SipMessage m = parse("SIP/2.0 404 Not Found\r\nSubject:\r\n  b\r\nContent-Length: 0\r\n\r\n");

    assertThat(m.header("Subject")).hasValue("b");
    assertThat(parse(m.toString()).headers()).isEqualTo(m.headers());
  }

  /** Found by SipMessageFuzzTest: a bare CR escaped as IllegalArgumentException, not a refusal. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "SIP/2.0 200 OK\r\nCSeq: 2 OPTI\rONS\r\n\r\n",
        "SIP/2.0 200 O\rK\r\nCSeq: 2 OPTIONS\r\n\r\n",
        "OPTIONS sip:a\rb SIP/2.0\r\nCSeq: 2 OPTIONS\r\n\r\n"
      })
  void parse_bareCrInTheHead_isAParseError(String text) {
    assertThatThrownBy(() -> parse(text))
        .isInstanceOf(SipParseException.class)
        .hasMessageContaining("bare CR");
  }

  @Test
  void parse_contentLength_cutsTheBody() throws Exception {
    SipMessage m = parse("SIP/2.0 200 OK\r\nContent-Length: 3\r\n\r\nabcdef");

    assertThat(new String(m.body(), UTF_8)).isEqualTo("abc");
  }

  @Test
  void parse_noContentLength_takesTheRestOfTheDatagram() throws Exception {
    SipMessage m = parse("SIP/2.0 200 OK\r\nCall-ID: x\r\n\r\nabc");

    assertThat(new String(m.body(), UTF_8)).isEqualTo("abc");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "garbage",
        "\u0000\u0001\u0002\r\n\r\n",
        "SIP/2.0 abc OK\r\n\r\n",
        "SIP/2.0 99 Low\r\n\r\n",
        "SIP/2.0 2000 OK\r\n\r\n",
        "OPTIONS sip:x SIP/3.0\r\n\r\n",
        "OPTIONS  SIP/2.0\r\n\r\n",
        "SIP/2.0 200 OK\r\nno colon here\r\n\r\n",
        "SIP/2.0 200 OK\r\n continuation first\r\n\r\n",
        "SIP/2.0 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "SIP/2.0 200 OK\r\nContent-Length: -1\r\n\r\n",
        "SIP/2.0 200 OK\r\nContent-Length: 1\r\nl: 2\r\n\r\nab",
        "SIP/2.0 200 OK\r\nCall-ID: x\r\n"
      })
  void parse_malformed_throws(String text) {
    assertThatThrownBy(() -> parse(text)).isInstanceOf(SipParseException.class);
  }

  @Test
  void parse_aboveTheLimit_throwsBeforeReading() {
    byte[] big = new byte[64 * 1024];

    assertThatThrownBy(() -> SipMessage.parse(big, 0, big.length, SipMessage.DEFAULT_MAX_SIZE))
        .isInstanceOf(SipParseException.class)
        .hasMessage("message of 65536 bytes exceeds 8192");
  }

  @Test
  void response_echoesTheRequestAndAddsAToTag() throws Exception {
    SipMessage req = parse(OPTIONS);

    SipMessage resp = SipMessage.response(req, 403, "Forbidden");
    SipMessage back = parse(new String(resp.toBytes(), UTF_8));

    assertThat(back.isRequest()).isFalse();
    assertThat(back.startLine()).isEqualTo("SIP/2.0 403 Forbidden");
    assertThat(back.topVia()).hasValue("SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bKabc;rport");
    assertThat(back.header("From")).hasValue("<sip:umgw@127.0.0.1>;tag=111");
    assertThat(back.header("To").flatMap(t -> SipMessage.param(t, "tag"))).isPresent();
    assertThat(back.callId()).hasValue("call-1");
    assertThat(back.cseq()).hasValue(new CSeq(7, "OPTIONS"));
    assertThat(back.header("Max-Forwards")).isEmpty();
    assertThat(new String(resp.toBytes(), UTF_8)).endsWith("Content-Length: 0\r\n\r\n");
  }

  @Test
  void response_keepsAnExistingToTag() throws Exception {
    SipMessage req = parse(OPTIONS.replace("To: <sip:gw1.example.test>", "To: <sip:x>;tag=9"));

    assertThat(SipMessage.response(req, 200, "OK").header("To")).hasValue("<sip:x>;tag=9");
  }

  @Test
  void response_toAResponse_isRefused() throws Exception {
    SipMessage resp = parse("SIP/2.0 200 OK\r\n\r\n");

    assertThatThrownBy(() -> SipMessage.response(resp, 200, "OK"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot answer a response: SIP/2.0 200 OK");
  }

  @Test
  void request_buildsAndRoundTrips() throws Exception {
    SipMessage req =
        SipMessage.request(
                "OPTIONS",
                "sip:127.0.0.1:5060",
                List.of(new Header("v", "SIP/2.0/TCP h;branch=z9hG4bK1"), new Header("i", "c")))
            .withHeader("CSeq", "1 OPTIONS")
            .withBody("x".getBytes(UTF_8));

    SipMessage back = parse(req.toString());

    assertThat(req.toString()).startsWith("OPTIONS sip:127.0.0.1:5060 SIP/2.0\r\nVia: ");
    assertThat(back.branch()).hasValue("z9hG4bK1");
    assertThat(back.callId()).hasValue("c");
    assertThat(back.body()).containsExactly('x');
  }

  @Test
  void request_badValues_areRefusedWithTheValue() {
    assertThatThrownBy(() -> SipMessage.request("OPT IONS", "sip:x", List.of()))
        .hasMessage("SIP method is not a token: OPT IONS");
    assertThatThrownBy(() -> new Header("Subject", "a\r\nVia: x"))
        .hasMessage("header Subject value contains CR/LF: a\r\nVia: x");
    assertThatThrownBy(() -> SipMessage.response(700, "x", List.of()))
        .hasMessage("SIP status code out of range 100..699: 700");
  }

  @Test
  void frameLength_findsMessageBoundariesInAStream() throws Exception {
    String two = "SIP/2.0 100 Trying\r\nl: 2\r\n\r\nabSIP/2.0 200 OK\r\nl: 0\r\n\r\n";
    byte[] b = two.getBytes(UTF_8);

    int first = SipMessage.frameLength(b, 0, b.length, 8192);
    int second = SipMessage.frameLength(b, first, b.length - first, 8192);

    assertThat(first).isEqualTo("SIP/2.0 100 Trying\r\nl: 2\r\n\r\nab".length());
    assertThat(second).isEqualTo(b.length - first);
    assertThat(SipMessage.frameLength(b, 0, 10, 8192)).isEqualTo(-1);
    assertThat(SipMessage.frameLength(b, 0, first - 1, 8192)).isEqualTo(-1);
  }

  @Test
  void frameLength_withoutContentLengthOrTooBig_throws() {
    byte[] noLength = "SIP/2.0 200 OK\r\n\r\n".getBytes(UTF_8);
    byte[] tooBig = "SIP/2.0 200 OK\r\nContent-Length: 9000\r\n\r\n".getBytes(UTF_8);
    byte[] endless = new byte[9000];

    assertThatThrownBy(() -> SipMessage.frameLength(noLength, 0, noLength.length, 8192))
        .hasMessage("no Content-Length on a stream transport");
    assertThatThrownBy(() -> SipMessage.frameLength(tooBig, 0, tooBig.length, 8192))
        .hasMessageContaining("exceeds 8192");
    assertThatThrownBy(() -> SipMessage.frameLength(endless, 0, endless.length, 8192))
        .hasMessage("message head exceeds 8192 bytes");
  }
}
