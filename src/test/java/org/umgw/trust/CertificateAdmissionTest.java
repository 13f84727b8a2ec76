package org.umgw.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.umgw.events.EventId;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;
import org.umgw.testing.TestCa;
import org.umgw.tls.CertificateNames;

/**
 * Admission by certificate identity over TLS, table-driven over real certificates issued by a test
 * CA (openssl): the gateway is the one the certificate names (DNS SAN; CN only without SAN; RFC
 * 6125 wildcards), and the source must be one of its addresses.
 */
class CertificateAdmissionTest {
  private static final Instant NOW = Instant.now();
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String GW1_IP = "127.0.0.11";
  private static final String GW2_IP = "127.0.0.12";
  private static final String POOL_IP = "127.0.0.13";
  private static final String OFF_IP = "127.0.0.14";

  @TempDir static Path dir;
  private static TestCa ca;
  private static TrustSnapshot snapshot;

  @BeforeAll
  static void build() throws Exception {
    ca = TestCa.create(dir, "admission CA");
    DialPlan secure =
        DialPlan.of("Secure", UriType.TelExtn, 4).withVoipSecurity(VoipSecurity.SIPSecured);
    List<Gateway> gateways =
        List.of(
            Gateway.builder("GW1", "gw1.example.test").build(),
            Gateway.builder("GW2", "gw2.example.test").build(),
            Gateway.builder("Pool", "gwp.pool.example.test").build(),
            Gateway.builder("Off", "off.example.test").status(GatewayStatus.Disabled).build());
    List<HuntGroup> groups =
        gateways.stream().map(g -> HuntGroup.defaultFor(g.name(), "Secure")).toList();
    DirectoryContents contents =
        new DirectoryContents(List.of(secure), gateways, groups, List.of());
    snapshot =
        TrustSnapshot.build(
            contents,
            Map.of(
                key("gw1.example.test"), to(GW1_IP),
                key("gw2.example.test"), to(GW2_IP),
                key("gwp.pool.example.test"), to(POOL_IP),
                key("off.example.test"), to(OFF_IP)),
            NOW);
  }

  private static NameKey key(String name) {
    return new NameKey(name, Gateway.builder("x", name).build().ipAddressFamily());
  }

  private static ResolvedName to(String ip) {
    return new ResolvedName(List.of(InetAddresses.forString(ip)), false);
  }

  static Stream<Arguments> table() {
    return Stream.of(
        // case, CN, SANs, valid, source, gateway or refusal
        row("SAN names the gateway", "x", List.of("gw1.example.test"), true, GW1_IP, "GW1"),
        row(
            "SAN among several",
            null,
            List.of("a.test.example", "gw1.example.test"),
            true,
            GW1_IP,
            "GW1"),
        row("CN when there is no SAN", "gw1.example.test", List.of(), true, GW1_IP, "GW1"),
        row(
            "SAN wins over CN",
            "gw1.example.test",
            List.of("gw2.example.test"),
            true,
            GW1_IP,
            "CERTIFICATE_NOT_FROM_GATEWAY"),
        row("case and trailing dot", null, List.of("GW1.Example.Test."), true, GW1_IP, "GW1"),
        row("wildcard, one label", null, List.of("*.pool.example.test"), true, POOL_IP, "Pool"),
        row(
            "wildcard naming two, source picks",
            null,
            List.of("*.example.test"),
            true,
            GW2_IP,
            "GW2"),
        row(
            "wildcard spans one label only",
            null,
            List.of("*.example.test"),
            true,
            POOL_IP,
            "CERTIFICATE_NOT_FROM_GATEWAY"),
        row(
            "wildcard over a TLD",
            null,
            List.of("*.test"),
            true,
            GW1_IP,
            "CERTIFICATE_NAMES_NO_GATEWAY"),
        row(
            "partial-label wildcard",
            null,
            List.of("gw*.example.test"),
            true,
            GW1_IP,
            "CERTIFICATE_NAMES_NO_GATEWAY"),
        row(
            "no match",
            "gw1.example.test",
            List.of("other.example.test"),
            true,
            GW1_IP,
            "CERTIFICATE_NAMES_NO_GATEWAY"),
        row(
            "another gateway's name",
            null,
            List.of("gw2.example.test"),
            true,
            GW1_IP,
            "CERTIFICATE_NOT_FROM_GATEWAY"),
        row(
            "right name, untrusted IP",
            null,
            List.of("gw1.example.test"),
            true,
            "127.0.0.99",
            "CERTIFICATE_NOT_FROM_GATEWAY"),
        row("expired", null, List.of("gw1.example.test"), false, GW1_IP, "CERTIFICATE_INVALID"),
        row(
            "gateway Disabled",
            null,
            List.of("off.example.test"),
            true,
            OFF_IP,
            "GATEWAY_NOT_ENABLED"));
  }

  private static Arguments row(
      String name, String cn, List<String> sans, boolean valid, String source, String expected) {
    return Arguments.of(name, cn, sans, valid, source, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void admitsByCertificateIdentity(
      String name, String cn, List<String> sans, boolean valid, String source, String expected)
      throws Exception {
    TestCa.Issued cert =
        valid
            ? ca.issue(stem(name), cn, sans)
            : ca.issue(
                stem(name),
                cn,
                sans,
                NOW.minus(Duration.ofDays(30)),
                NOW.minus(Duration.ofDays(2)));

    Admission a =
        snapshot.admit(
            InetAddresses.forString(source),
            "5000",
            new X509Certificate[] {cert.certificate()},
            CLOCK);

    if (expected.contains("_")) { // a refusal reason, not a gateway name
      assertThat(a)
          .isInstanceOfSatisfying(
              Admission.Refused.class,
              r -> {
                assertThat(r.reason()).isEqualTo(Admission.Reason.valueOf(expected));
                assertThat(r.event().message()).contains(source);
                if (r.reason() != Admission.Reason.GATEWAY_NOT_ENABLED) {
                  // the event names the certificate's names
                  assertThat(r.event().message())
                      .contains(CertificateNames.of(cert.certificate()).toString());
                }
              });
    } else {
      assertThat(a)
          .isInstanceOfSatisfying(
              Admission.Accepted.class,
              ok -> {
                assertThat(ok.gateway().name()).isEqualTo(expected);
                assertThat(ok.dialPlan().name()).isEqualTo("Secure");
              });
    }
  }

  @Test
  void refusalEvents_haveTheirIds() throws Exception {
    TestCa.Issued other = ca.issue("ids-other", null, List.of("other.example.test"));
    TestCa.Issued gw2 = ca.issue("ids-gw2", null, List.of("gw2.example.test"));
    var source = InetAddresses.forString(GW1_IP);

    assertThat(
            ((Admission.Refused)
                    snapshot.admit(source, "", new X509Certificate[] {other.certificate()}, CLOCK))
                .event()
                .type())
        .isEqualTo(EventId.TLS_CERTIFICATE_NAMES_NO_GATEWAY);
    Admission.Refused wrong =
        (Admission.Refused)
            snapshot.admit(source, "", new X509Certificate[] {gw2.certificate()}, CLOCK);
    assertThat(wrong.event().type()).isEqualTo(EventId.TLS_CERTIFICATE_NOT_FROM_GATEWAY);
    assertThat(wrong.event().message())
        .isEqualTo(
            "A TLS call from 127.0.0.11 was refused: its certificate names gw2.example.test (UM IP"
                + " gateway GW2), but 127.0.0.11 is not an address of that gateway; it belongs to"
                + " UM IP gateway GW1");
    assertThat(
            ((Admission.Refused) snapshot.admit(source, "", new X509Certificate[0], CLOCK))
                .event()
                .type())
        .isEqualTo(EventId.TLS_CERTIFICATE_INVALID);
  }

  @Test
  void plainAdmission_isUnchanged_ipDecides() {
    Admission a = snapshot.admit(InetAddresses.forString(GW1_IP), "5000", true, CLOCK);
    assertThat(a).isInstanceOf(Admission.Accepted.class);
    assertThat(((Admission.Accepted) a).gateway().name()).isEqualTo("GW1");
  }

  private static String stem(String caseName) {
    return caseName.replaceAll("[^A-Za-z0-9]+", "-")
        + "-"
        + Arrays.hashCode(caseName.toCharArray());
  }
}
