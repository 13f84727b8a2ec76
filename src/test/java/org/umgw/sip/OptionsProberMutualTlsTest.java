package org.umgw.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.sip.ProbeResult.Answered;
import org.umgw.sip.ProbeResult.Failed;
import org.umgw.sip.ProbeResult.Failure;
import org.umgw.testing.Kamailio;
import org.umgw.testing.KamailioTls;
import org.umgw.testing.TestCa;

/**
 * The prober against a real Kamailio whose tls module requires a client certificate ({@code
 * require_certificate = yes}), as the gateway of a SIPSecured dial plan in front of Lync: the
 * prober's certificate decides Up or Down, and every failed handshake says why.
 */
class OptionsProberMutualTlsTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static final String GW = "gw-tls.example.test";

  @TempDir static Path dir;
  private static TestCa ca;
  private static TestCa stranger;
  private static TestCa.Issued gatewayCert;
  private static TestCa.Issued umCert;
  private static Kamailio kamailio;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCa.create(dir, "umgw test CA");
    stranger = TestCa.create(dir, "another CA");
    gatewayCert = ca.issue("gw", GW, List.of(GW));
    umCert = ca.issue("um", "um.example.test", List.of("um.example.test"));
    Path addresses = Files.writeString(dir.resolve("address.list"), "1 127.0.0.1 32 0 um\n");
    kamailio =
        Kamailio.builder()
            .addressFile(addresses)
            .tls(new KamailioTls(gatewayCert.chain(), gatewayCert.key(), ca.cert(), true))
            .start();
  }

  @AfterAll
  static void stop() {
    if (kamailio != null) {
      kamailio.close();
    }
  }

  private static ProbeResult probe(ProberOptions options, String name) throws Exception {
    try (OptionsProber prober = OptionsProber.open(options)) {
      return prober
          .probe(ProbeTarget.of(kamailio.tlsAddress(), SipTransport.TLS, name), DEADLINE)
          .join();
    }
  }

  private static ProberOptions options() throws Exception {
    return OptionsProberTest.loopbackOptions().withTlsTrust(ca.trustManager());
  }

  @Test
  void withClientCertificate_isAnswered_andReportsTheCertificateExpiry() throws Exception {
    ProbeResult r = probe(options().withTlsClientKey(umCert.keyManager()), GW);

    assertThat(r)
        .as(kamailio.log())
        .isInstanceOfSatisfying(
            Answered.class,
            a -> {
              assertThat(a.code()).isEqualTo(200);
              assertThat(a.certificateNotAfter())
                  .isEqualTo(
                      gatewayCert
                          .certificate()
                          .getNotAfter()
                          .toInstant()
                          .truncatedTo(ChronoUnit.SECONDS));
              assertThat(a.certificateDaysLeft(Instant.now())).contains(1L);
            });
  }

  @Test
  void withoutClientCertificate_failsWithTls_clientCertificateRequired() throws Exception {
    ProbeResult r = probe(options(), GW);

    assertTls(r, TlsFailure.CLIENT_CERTIFICATE_REQUIRED);
    assertThat(((Failed) r).detail())
        .contains("the gateway requires a client certificate and none is configured");
  }

  @Test
  void clientCertificateOfAnotherCa_failsWithTls_refused() throws Exception {
    TestCa.Issued foreign =
        stranger.issue("foreign-um", "um.example.test", List.of("um.example.test"));

    ProbeResult r = probe(options().withTlsClientKey(foreign.keyManager()), GW);

    assertTls(r, TlsFailure.CLIENT_CERTIFICATE_REFUSED);
  }

  @Test
  void gatewayFqdnNotInItsCertificate_failsWithTls_nameMismatch() throws Exception {
    ProbeResult r = probe(options().withTlsClientKey(umCert.keyManager()), "gw-other.example.test");

    assertTls(r, TlsFailure.NAME_MISMATCH);
    assertThat(((Failed) r).detail()).contains("does not name the gateway");
  }

  @Test
  void gatewayCertificateFromAnUntrustedIssuer_failsWithTls_untrustedIssuer() throws Exception {
    ProbeResult r =
        probe(
            OptionsProberTest.loopbackOptions()
                .withTlsTrust(stranger.trustManager())
                .withTlsClientKey(umCert.keyManager()),
            GW);

    assertTls(r, TlsFailure.UNTRUSTED_ISSUER);
  }

  @Test
  void expiredGatewayCertificate_failsWithTls_expired() throws Exception {
    Instant now = Instant.now();
    TestCa.Issued old =
        ca.issue(
            "gw-expired",
            GW,
            List.of(GW),
            now.minus(Duration.ofDays(10)),
            now.minus(Duration.ofDays(1)));
    Path addresses = dir.resolve("address.list");
    try (Kamailio expired =
            Kamailio.builder()
                .addressFile(addresses)
                .tls(new KamailioTls(old.chain(), old.key(), ca.cert(), true))
                .start();
        OptionsProber prober =
            OptionsProber.open(options().withTlsClientKey(umCert.keyManager()))) {
      ProbeResult r =
          prober.probe(ProbeTarget.of(expired.tlsAddress(), SipTransport.TLS, GW), DEADLINE).join();

      assertTls(r, TlsFailure.EXPIRED);
    }
  }

  private static void assertTls(ProbeResult r, TlsFailure why) {
    assertThat(r)
        .as(kamailio.log())
        .isInstanceOfSatisfying(
            Failed.class,
            f -> {
              assertThat(f.kind()).as(f.detail()).isEqualTo(Failure.TLS);
              assertThat(f.tls()).as(f.detail()).isEqualTo(why);
              assertThat(f.detail()).contains(why.words());
            });
  }
}
