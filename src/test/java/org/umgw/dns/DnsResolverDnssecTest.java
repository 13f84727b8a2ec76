package org.umgw.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.umgw.dns.DnsResolverTest.resolve;
import static org.umgw.dns.DnsResolverTest.texts;
import static org.umgw.dns.DnsResolverTest.ttl;
import static org.umgw.model.IpAddressFamily.Any;
import static org.umgw.model.IpAddressFamily.IPv4Only;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.dns.Resolution.Failure;
import org.umgw.dns.Resolution.NoAddress;
import org.umgw.model.UmgwException;
import org.umgw.testing.Nsd;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;

/**
 * DNSSEC validation through dnsjava's ValidatingResolver against nsd serving a zone signed by
 * {@link ZoneSigner}: {@code secure.test.} with a good name, a forged one (A record changed after
 * signing), an unsigned one, a TXT-only name and NSEC proofs for names that do not exist; plus the
 * unsigned {@code example.test.}, outside the trust anchor.
 */
class DnsResolverDnssecTest {
  static Nsd nsd;
  static Path anchors;
  static Path otherAnchors;

  @BeforeAll
  static void signAndServe(@TempDir Path dir) throws Exception {
    Name zone = Name.fromString("secure.test.");
    ZoneSigner signer = new ZoneSigner(zone);
    Name ns = name("ns.secure.test.");
    List<Record> records =
        List.of(
            new SOARecord(
                zone,
                DClass.IN,
                3600,
                ns,
                name("hostmaster.secure.test."),
                1,
                3600,
                600,
                86400,
                30),
            new NSRecord(zone, DClass.IN, 3600, ns),
            new ARecord(ns, DClass.IN, 3600, InetAddress.getByName("127.0.0.1")),
            new ARecord(
                name("good.secure.test."), DClass.IN, 300, InetAddress.getByName("192.0.2.1")),
            new AAAARecord(
                name("good.secure.test."), DClass.IN, 300, InetAddress.getByName("2001:db8::1")),
            new ARecord(
                name("forged.secure.test."), DClass.IN, 300, InetAddress.getByName("192.0.2.66")),
            new ARecord(
                name("unsigned.secure.test."), DClass.IN, 300, InetAddress.getByName("192.0.2.77")),
            new TXTRecord(name("txt.secure.test."), DClass.IN, 300, "no address here"));
    ZoneSigner.Signed signed =
        signer.sign(
            records,
            Set.of(name("unsigned.secure.test.")),
            r ->
                r.getName().equals(name("forged.secure.test.")) && r instanceof ARecord
                    ? new ARecord(r.getName(), DClass.IN, r.getTTL(), address("192.0.2.67"))
                    : r);
    anchors = Files.writeString(dir.resolve("anchors"), signed.trustAnchor());
    otherAnchors =
        Files.writeString(dir.resolve("other-anchors"), new ZoneSigner(zone).dnskey() + "\n");
    nsd =
        Nsd.builder()
            .zone("secure.test", signed.zoneText())
            .zone("example.test", DnsResolverTest.EXAMPLE)
            .start();
  }

  @AfterAll
  static void stop() {
    if (nsd != null) {
      nsd.close();
    }
  }

  static DnsResolver validating(Path trustAnchors) {
    return DnsResolverTest.resolver(nsd.address()).dnssecTrustAnchors(trustAnchors).build();
  }

  @Test
  void signedName_resolves() {
    try (DnsResolver dns = validating(anchors)) {
      assertThat(texts(resolve(dns, "good.secure.test", Any)))
          .containsExactly("2001:db8:0:0:0:0:0:1", "192.0.2.1");
      assertThat(texts(resolve(dns, "good.secure.test", IPv4Only))).containsExactly("192.0.2.1");
    }
  }

  @Test
  void forgedRecord_isBogus() {
    try (DnsResolver dns = validating(anchors)) {
      Resolution r = resolve(dns, "forged.secure.test", IPv4Only);

      assertThat(r).isInstanceOf(Failure.class);
      Failure f = (Failure) r;
      assertThat(f.dnssecBogus()).isTrue();
      assertThat(f.reason()).startsWith("A: DNSSEC validation failed: ");
    }
  }

  @Test
  void forgedRecord_withoutValidation_isServedAsIs() {
    // Proves the zone really serves the forged address, so the test above tests the validator.
    try (DnsResolver dns = DnsResolverTest.resolver(nsd.address()).build()) {
      assertThat(texts(resolve(dns, "forged.secure.test", IPv4Only))).containsExactly("192.0.2.67");
    }
  }

  @Test
  void unsignedRecordBelowTheAnchor_isBogus() {
    try (DnsResolver dns = validating(anchors)) {
      Resolution r = resolve(dns, "unsigned.secure.test", IPv4Only);

      assertThat(r).isInstanceOf(Failure.class);
      assertThat(((Failure) r).dnssecBogus()).isTrue();
    }
  }

  @Test
  void negativeAnswers_areProvedByNsec() {
    try (DnsResolver dns = validating(anchors)) {
      assertThat(resolve(dns, "missing.secure.test", IPv4Only))
          .isEqualTo(new NoAddress("missing.secure.test", NoAddress.Kind.NXDOMAIN, ttl(30)));
      assertThat(resolve(dns, "txt.secure.test", Any))
          .isEqualTo(new NoAddress("txt.secure.test", NoAddress.Kind.NODATA, ttl(30)));
    }
  }

  @Test
  void wrongTrustAnchor_makesEverySignedAnswerBogus() {
    try (DnsResolver dns = validating(otherAnchors)) {
      Resolution r = resolve(dns, "good.secure.test", IPv4Only);

      assertThat(r).isInstanceOf(Failure.class);
      assertThat(((Failure) r).dnssecBogus()).isTrue();
    }
  }

  @Test
  void nameOutsideEveryAnchor_resolvesUnvalidated() {
    try (DnsResolver dns = validating(anchors)) {
      assertThat(texts(resolve(dns, "one.example.test", IPv4Only))).containsExactly("192.0.2.1");
    }
  }

  @Test
  void timeout_withValidation_isFailureButNotBogus() throws Exception {
    try (DnsResolverTest.SilentUdp silent = new DnsResolverTest.SilentUdp();
        DnsResolver dns =
            DnsResolver.builder()
                .servers(List.of(silent.address()))
                .timeout(Duration.ofMillis(200))
                .retries(0)
                .dnssecTrustAnchors(anchors)
                .build()) {
      Resolution r = resolve(dns, "good.secure.test", IPv4Only);

      assertThat(r).isInstanceOf(Failure.class);
      assertThat(((Failure) r).dnssecBogus()).isFalse();
      assertThat(((Failure) r).reason()).contains("timed out");
    }
  }

  @Test
  void unreadableOrEmptyTrustAnchors_areRefusedAtBuild(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing");
    assertThatThrownBy(() -> validating(missing))
        .isInstanceOf(UmgwException.class)
        .hasMessageStartingWith("cannot read DNSSEC trust anchors " + missing);

    Path empty = Files.writeString(dir.resolve("empty"), "; no anchors\n");
    assertThatThrownBy(() -> validating(empty))
        .isInstanceOf(UmgwException.class)
        .hasMessage("no DS or DNSKEY record in DNSSEC trust anchors file " + empty);
  }

  private static Name name(String s) {
    try {
      return Name.fromString(s);
    } catch (Exception e) {
      throw new IllegalArgumentException(s, e);
    }
  }

  private static InetAddress address(String literal) {
    return com.google.common.net.InetAddresses.forString(literal);
  }
}
