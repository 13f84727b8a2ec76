package org.umgw.sip;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryConnector;
import org.umgw.sip.ProbeResult.Answered;
import org.umgw.sip.ProbeResult.Failed;
import org.umgw.sip.ProbeResult.Failure;
import org.umgw.testing.RawSipPeers;
import org.umgw.testing.RawSipPeers.Reply;
import org.umgw.testing.Sipp;
import org.umgw.testing.TestCertificate;

class OptionsProberTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private OptionsProber prober;

  @BeforeEach
  void open() throws Exception {
    prober = OptionsProber.open(loopbackOptions());
  }

  @AfterEach
  void close() {
    prober.close();
  }

  static ProberOptions loopbackOptions() throws Exception {
    return ProberOptions.defaults()
        .withBind(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
  }

  private ProbeResult probe(InetSocketAddress a, SipTransport t) {
    return prober.probe(ProbeTarget.of(a, t, null), DEADLINE).join();
  }

  @Test
  void udp_sippAnswering200_isAnswered() {
    try (Sipp.Uas gw = Sipp.uas("127.0.0.1", 0, "u1", 200)) {
      ProbeResult r = probe(gw.address(), SipTransport.UDP);

      assertThat(r)
          .isInstanceOfSatisfying(
              Answered.class,
              a -> {
                assertThat(a.code()).isEqualTo(200);
                assertThat(a.reason()).isEqualTo("OK");
                assertThat(a.rtt()).isPositive().isLessThan(DEADLINE);
              });
      assertThat(prober.stats().dropped()).isZero();
    }
  }

  @Test
  void tcp_sippAnswering200_isAnswered() {
    try (Sipp.Uas gw = Sipp.uas("127.0.0.1", 0, "t1", 200)) {
      assertThat(probe(gw.address(), SipTransport.TCP))
          .isInstanceOfSatisfying(Answered.class, a -> assertThat(a.code()).isEqualTo(200));
      assertThat(probe(gw.address(), SipTransport.TCP)).isInstanceOf(Answered.class);
    }
  }

  @Test
  void udp_sippAnswering403_isAnAnswerWith403() {
    try (Sipp.Uas gw = Sipp.uas("127.0.0.1", 0, "u1", 403)) {
      assertThat(probe(gw.address(), SipTransport.UDP))
          .isInstanceOfSatisfying(
              Answered.class,
              a -> {
                assertThat(a.code()).isEqualTo(403);
                assertThat(a.reason()).isEqualTo("Forbidden");
              });
    }
  }

  @Test
  void udp_ipv6Loopback_isAnswered() throws Exception {
    try (RawSipPeers.Udp gw =
        new RawSipPeers.Udp("::1", m -> List.of(Reply.of(SipMessage.response(m, 200, "OK"))))) {
      assertThat(probe(gw.address(), SipTransport.UDP)).isInstanceOf(Answered.class);
      assertThat(gw.received().get(0).topVia().orElseThrow()).startsWith("SIP/2.0/UDP [::1]:");
    }
  }

  @Test
  void udp_nothingListening_isATimeoutNeverAnAnswer() throws Exception {
    InetSocketAddress dead = deadUdpPort();

    ProbeResult r =
        prober.probe(ProbeTarget.of(dead, SipTransport.UDP, null), Duration.ofSeconds(1)).join();

    assertThat(r)
        .isInstanceOfSatisfying(
            Failed.class,
            f -> {
              assertThat(f.kind()).isEqualTo(Failure.TIMEOUT);
              assertThat(f.detail())
                  .isEqualTo(
                      "no final response from udp "
                          + "127.0.0.1:"
                          + dead.getPort()
                          + " within 1000 ms");
            });
  }

  @Test
  void tcp_nothingListening_isRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      port = s.getLocalPort();
    }

    ProbeResult r = probe(new InetSocketAddress("127.0.0.1", port), SipTransport.TCP);

    assertThat(r)
        .isEqualTo(new Failed(Failure.REFUSED, "connection to tcp 127.0.0.1:" + port + " refused"));
  }

  @Test
  void udp_request_carriesTheRfc3261Headers() throws Exception {
    try (RawSipPeers.Udp gw =
        new RawSipPeers.Udp(
            "127.0.0.1", m -> List.of(Reply.of(SipMessage.response(m, 200, "OK"))))) {
      probe(gw.address(), SipTransport.UDP);

      SipMessage req = gw.received().get(0);
      int local = prober.udpLocalAddress(false).getPort();
      assertThat(req.startLine())
          .isEqualTo("OPTIONS sip:127.0.0.1:" + gw.address().getPort() + " SIP/2.0");
      assertThat(req.topVia().orElseThrow())
          .matches("SIP/2\\.0/UDP 127\\.0\\.0\\.1:" + local + ";branch=z9hG4bK[0-9a-f]{24};rport");
      assertThat(req.header("From").orElseThrow())
          .matches("<sip:umgw@127\\.0\\.0\\.1>;tag=[0-9a-f]+");
      assertThat(req.header("To")).hasValue("<sip:127.0.0.1:" + gw.address().getPort() + ">");
      assertThat(req.callId()).isPresent();
      assertThat(req.cseq().orElseThrow().method()).isEqualTo("OPTIONS");
      assertThat(req.header("Max-Forwards")).hasValue("70");
      assertThat(req.header("User-Agent")).hasValue("umgw");
      assertThat(req.header("Accept")).hasValue("application/sdp");
      assertThat(new String(req.toBytes(), UTF_8)).contains("Content-Length: 0\r\n");
    }
  }

  @Test
  void udp_replyFromAnotherPortOrWithAWrongBranchOrCallIdOrCSeq_isIgnored() throws Exception {
    try (RawSipPeers.Udp gw =
        new RawSipPeers.Udp(
            "127.0.0.1",
            m -> {
              SipMessage ok = SipMessage.response(m, 200, "OK");
              return List.of(
                  Reply.fromOtherPort(ok),
                  Reply.of(replace(ok, "branch=z9hG4bK", "branch=z9hG4bKx")),
                  Reply.of(replace(ok, "Call-ID: ", "Call-ID: other-")),
                  Reply.of(replace(ok, " OPTIONS\r\n", " INVITE\r\n")));
            })) {
      ProbeResult r =
          prober
              .probe(ProbeTarget.of(gw.address(), SipTransport.UDP, null), Duration.ofMillis(1500))
              .join();

      assertThat(r)
          .isInstanceOfSatisfying(
              Failed.class, f -> assertThat(f.kind()).isEqualTo(Failure.TIMEOUT));
      // every reply to every (re)transmission is dropped and counted, none completes the probe
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                ProberStats s = prober.stats();
                assertThat(s.droppedWrongSource()).isEqualTo(gw.received().size());
                assertThat(s.droppedUnmatched()).isEqualTo(3L * gw.received().size());
              });
      assertThat(prober.stats().answered()).isZero();
    }
  }

  @Test
  void udp_badRepliesBeforeTheRightOne_doNotStopIt() throws Exception {
    try (RawSipPeers.Udp gw =
        new RawSipPeers.Udp(
            "127.0.0.1",
            m -> {
              SipMessage ok = SipMessage.response(m, 200, "OK");
              return List.of(
                  Reply.fromOtherPort(ok),
                  new Reply("garbage".getBytes(UTF_8), false),
                  Reply.of(replace(ok, "branch=z9hG4bK", "branch=z9hG4bKx")),
                  Reply.of(ok));
            })) {
      assertThat(probe(gw.address(), SipTransport.UDP))
          .isInstanceOfSatisfying(Answered.class, a -> assertThat(a.code()).isEqualTo(200));
      assertThat(prober.stats().dropped()).isGreaterThanOrEqualTo(3); // 3 a transmission
    }
  }

  @Test
  void udp_garbageAnd64KiBDatagrams_doNotDisturbTheProber() throws Exception {
    InetSocketAddress mine = prober.udpLocalAddress(false);
    try (DatagramSocket attacker = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"));
        Sipp.Uas gw = Sipp.uas("127.0.0.1", 0, "u1", 200)) {
      byte[] garbage = "\u0000\u00ff garbage\r\n\r\n".getBytes(UTF_8);
      byte[] huge = new byte[65_507]; // the largest IPv4 UDP payload
      attacker.send(new DatagramPacket(garbage, garbage.length, mine));
      attacker.send(new DatagramPacket(huge, huge.length, mine));
      attacker.send(new DatagramPacket(new byte[9000], 9000, mine));

      assertThat(probe(gw.address(), SipTransport.UDP)).isInstanceOf(Answered.class);
      ProberStats s = prober.stats();
      assertThat(s.droppedMalformed()).isEqualTo(1);
      assertThat(s.droppedOversized()).isEqualTo(2);
    }
  }

  @Test
  void udp_noAnswerAtFirst_isRetransmittedWithTheSameBranch() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    try (RawSipPeers.Udp gw =
        new RawSipPeers.Udp(
            "127.0.0.1",
            m ->
                seen.incrementAndGet() < 3
                    ? List.of()
                    : List.of(Reply.of(SipMessage.response(m, 200, "OK"))))) {
      ProbeResult r = probe(gw.address(), SipTransport.UDP);

      assertThat(r)
          .isInstanceOfSatisfying(
              Answered.class,
              a -> assertThat(a.rtt()).isGreaterThanOrEqualTo(Duration.ofMillis(1400)));
      assertThat(gw.received()).hasSize(3);
      assertThat(gw.received())
          .extracting(m -> m.branch().orElseThrow())
          .containsOnly(gw.received().get(0).branch().orElseThrow());
      assertThat(prober.stats().retransmissions()).isEqualTo(2);
    }
  }

  @Test
  void udp_provisionalResponse_slowsRetransmissionToT2AndIsNoAnswer() throws Exception {
    prober.close();
    prober =
        OptionsProber.open(
            loopbackOptions().withTimers(Duration.ofMillis(50), Duration.ofSeconds(1)));
    try (RawSipPeers.Udp gw =
        new RawSipPeers.Udp(
            "127.0.0.1", m -> List.of(Reply.of(SipMessage.response(m, 100, "Trying"))))) {
      ProbeResult r =
          prober
              .probe(ProbeTarget.of(gw.address(), SipTransport.UDP, null), Duration.ofMillis(1800))
              .join();

      assertThat(r)
          .isInstanceOfSatisfying(
              Failed.class,
              f -> {
                assertThat(f.kind()).isEqualTo(Failure.TIMEOUT);
                assertThat(f.detail()).endsWith("(only provisional)");
              });
      // without the 1xx: sends at 0, 50, 150, 350, 750, 1550 ms (6); with it, every T2 after it
      assertThat(gw.received().size()).isBetween(2, 4);
    }
  }

  @Test
  void tls_certificateForTheName_isAnswered(@TempDir Path dir) throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "gw-tls.example.test");
    prober.close();
    prober =
        OptionsProber.open(
            loopbackOptions().withTlsTrust(DirectoryConnector.trustManager(cert.pem(), null)));
    try (RawSipPeers.Tls gw = new RawSipPeers.Tls(cert, 200, "OK")) {
      ProbeResult r =
          prober
              .probe(
                  ProbeTarget.of(gw.address(), SipTransport.TLS, "gw-tls.example.test"), DEADLINE)
              .join();

      assertThat(r)
          .isInstanceOfSatisfying(Answered.class, a -> assertThat(a.code()).isEqualTo(200));
      assertThat(gw.answered()).isEqualTo(1);
    }
  }

  @Test
  void tls_certificateForAnotherName_failsWithTls(@TempDir Path dir) throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "gw-tls.example.test");
    prober.close();
    prober =
        OptionsProber.open(
            loopbackOptions().withTlsTrust(DirectoryConnector.trustManager(cert.pem(), null)));
    try (RawSipPeers.Tls gw = new RawSipPeers.Tls(cert, 200, "OK")) {
      ProbeResult r =
          prober
              .probe(ProbeTarget.of(gw.address(), SipTransport.TLS, "other.example.test"), DEADLINE)
              .join();

      assertThat(r)
          .isInstanceOfSatisfying(
              Failed.class,
              f -> {
                assertThat(f.kind()).isEqualTo(Failure.TLS);
                assertThat(f.detail())
                    .startsWith(
                        "TLS handshake with tls 127.0.0.1:"
                            + gw.address().getPort()
                            + " (other.example.test) failed: ");
              });
      assertThat(gw.answered()).isZero();
    }
  }

  @Test
  void tls_untrustedCertificate_failsWithTls(@TempDir Path dir) throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "gw-tls.example.test");
    TestCertificate otherCa = TestCertificate.generate(dir, "other-ca.example.test");
    prober.close();
    prober =
        OptionsProber.open(
            loopbackOptions().withTlsTrust(DirectoryConnector.trustManager(otherCa.pem(), null)));
    try (RawSipPeers.Tls gw = new RawSipPeers.Tls(cert, 200, "OK")) {
      ProbeResult r =
          prober
              .probe(
                  ProbeTarget.of(gw.address(), SipTransport.TLS, "gw-tls.example.test"), DEADLINE)
              .join();

      assertThat(r)
          .isInstanceOfSatisfying(Failed.class, f -> assertThat(f.kind()).isEqualTo(Failure.TLS));
    }
  }

  @Test
  void manyProbes_aboveTheConcurrencyBound_allComplete() throws Exception {
    prober.close();
    prober = OptionsProber.open(loopbackOptions().withMaxConcurrent(3));
    try (RawSipPeers.Udp gw =
        new RawSipPeers.Udp(
            "127.0.0.1", m -> List.of(Reply.of(SipMessage.response(m, 200, "OK"))))) {
      List<CompletableFuture<ProbeResult>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(prober.probe(ProbeTarget.of(gw.address(), SipTransport.UDP, null), DEADLINE));
      }

      assertThat(all).allSatisfy(f -> assertThat(f.join()).isInstanceOf(Answered.class));
      assertThat(prober.stats().answered()).isEqualTo(50);
    }
  }

  @Test
  void tcp_probeQueuedBehindASilentPeer_stillGetsItsWholeDeadline() throws Exception {
    prober.close();
    prober = OptionsProber.open(loopbackOptions().withStreamThreads(1));
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getByName("127.0.0.1"));
        Sipp.Uas gw = Sipp.uas("127.0.0.1", 0, "t1", 200)) {
      // the kernel completes the handshake into the backlog; nobody ever reads or answers
      InetSocketAddress silentAddress = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
      Duration deadline = Duration.ofSeconds(1);

      CompletableFuture<ProbeResult> first =
          prober.probe(ProbeTarget.of(silentAddress, SipTransport.TCP, null), deadline);
      CompletableFuture<ProbeResult> second =
          prober.probe(ProbeTarget.of(gw.address(), SipTransport.TCP, null), deadline);

      assertThat(first.join())
          .isInstanceOfSatisfying(
              Failed.class, f -> assertThat(f.kind()).isEqualTo(Failure.TIMEOUT));
      assertThat(second.join()).isInstanceOf(Answered.class);
    }
  }

  @Test
  void close_failsProbesInFlightAndQueued() throws Exception {
    prober.close();
    prober = OptionsProber.open(loopbackOptions().withMaxConcurrent(1));
    InetSocketAddress dead = deadUdpPort();
    CompletableFuture<ProbeResult> inFlight =
        prober.probe(ProbeTarget.of(dead, SipTransport.UDP, null), DEADLINE);
    CompletableFuture<ProbeResult> queued =
        prober.probe(ProbeTarget.of(dead, SipTransport.UDP, null), DEADLINE);

    prober.close();

    assertThat(inFlight.join()).isEqualTo(new Failed(Failure.IO, "prober closed"));
    assertThat(queued.join()).isEqualTo(new Failed(Failure.IO, "prober closed"));
  }

  @Test
  void probe_badArguments_areRefused() {
    ProbeTarget t =
        ProbeTarget.of(new InetSocketAddress("127.0.0.1", 5060), SipTransport.UDP, null);

    assertThatThrownBy(() -> prober.probe(t, Duration.ZERO))
        .hasMessage("probe deadline must be positive: PT0S");
    assertThatThrownBy(
            () -> ProbeTarget.of(new InetSocketAddress("127.0.0.1", 0), SipTransport.UDP, null))
        .hasMessage("probe target has port 0: /127.0.0.1:0");
    prober.close();
    assertThatThrownBy(() -> prober.probe(t, DEADLINE)).hasMessage("prober is closed");
  }

  private static SipMessage replace(SipMessage m, String from, String to) {
    byte[] b = m.toString().replace(from, to).getBytes(UTF_8);
    try {
      return SipMessage.parse(b, 0, b.length, SipMessage.DEFAULT_MAX_SIZE);
    } catch (SipParseException e) {
      throw new AssertionError(e);
    }
  }

  static InetSocketAddress deadUdpPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
      return new InetSocketAddress("127.0.0.1", s.getLocalPort());
    }
  }
}
