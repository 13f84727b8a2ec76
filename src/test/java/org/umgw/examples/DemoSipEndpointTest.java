package org.umgw.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.dns.DnsResolver;
import org.umgw.events.Event;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.service.TrustService;
import org.umgw.sip.SipMessage;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.Sipp;

/**
 * The demo endpoint over the sample directory: sipp from a trusted loopback source gets 200, from
 * an untrusted one 403 and event 1021; INVITEs are routed to the hunt group's dial plan.
 *
 * <p>Only {@code localhost} resolves here (the sample's other names time out against 127.0.0.1:9,
 * where nothing answers), so the trusted sources are 127.0.0.2 (Contoso-SBC1, an IP literal) and
 * 127.0.0.1; 127.0.0.3 (the sample's shared name address) is untrusted; 127.0.0.4 is the Disabled
 * Retired-Gateway.
 */
class DemoSipEndpointTest {
  private static InMemoryLdap ldap;
  private static DnsResolver resolver;
  private static TrustService trust;
  private static DemoSipEndpoint sip;
  private static Path hosts;
  private static final List<Event> events = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    ldap = InMemoryLdap.start();
    ldap.server()
        .importFromLDIF(true, org.umgw.testing.Slapd.projectPath("ldif/sample.ldif").toString());
    hosts = Files.createTempFile("umgw-demo-hosts", ".txt");
    Files.writeString(hosts, "127.0.0.1 localhost\n");
    resolver =
        DnsResolver.builder()
            .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
            .hostsFiles(List.of(hosts))
            .timeout(Duration.ofMillis(200))
            .retries(0)
            .build();
    trust =
        TrustService.builder()
            .directory(ldap.pool())
            .resolver(resolver)
            .feedOptions(FeedOptions.defaults().withKind(FeedKind.POLLING))
            .build();
    trust.addEventListener(events::add);
    trust.start();
    sip = DemoSipEndpoint.start(trust, new InetSocketAddress("127.0.0.1", 0));
  }

  @AfterAll
  static void stop() throws Exception {
    if (sip != null) {
      sip.close();
    }
    if (trust != null) {
      trust.close();
    }
    resolver.close();
    ldap.close();
    Files.deleteIfExists(hosts);
  }

  @Test
  void sippFromATrustedSource_gets200() {
    assertThat(Sipp.options("127.0.0.2", sip.address())).isEqualTo(200);
  }

  @Test
  void sippFromAnUntrustedSource_gets403AndEvent1021() {
    assertThat(Sipp.options("127.0.0.3", sip.address())).isEqualTo(403);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(events)
                    .anySatisfy(
                        e -> {
                          assertThat(e.id()).isEqualTo(1021);
                          assertThat(e.message())
                              .isEqualTo("No valid UM IP gateway was found with address 127.0.0.3");
                        }));
  }

  @Test
  void sippFromADisabledGatewaysAddress_gets403AndEvent1442_asInTheAllowLists() {
    // 127.0.0.4 is only Retired-Gateway's, which is Disabled: no allow-list admits it.
    assertThat(Sipp.options("127.0.0.4", sip.address())).isEqualTo(403);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(events)
                    .anySatisfy(
                        e -> {
                          assertThat(e.id()).isEqualTo(1442);
                          assertThat(e.details()).containsEntry("address", "127.0.0.4");
                        }));
  }

  @ParameterizedTest(name = "INVITE {1} from {0} -> {2} {3}")
  @CsvSource({
    "127.0.0.2, sip:+14255550199@umgw, 200, Contoso E.164",
    "127.0.0.2, sip:4321@umgw, 200, Contoso Extensions",
    "127.0.0.3, sip:4321@umgw, 403, ",
    "127.0.0.4, sip:4321@umgw, 403, ",
  })
  void invite_isAdmittedOrRefusedByTheTrustService(
      String source, String uri, int code, String dialPlan) throws Exception {
    SipMessage invite =
        SipMessage.request(
            "INVITE",
            uri,
            List.of(
                new SipMessage.Header(
                    "Via",
                    "SIP/2.0/UDP " + source + ":5060;branch=z9hG4bKdemo" + System.nanoTime()),
                new SipMessage.Header("From", "<sip:caller@" + source + ">;tag=1"),
                new SipMessage.Header("To", "<" + uri + ">"),
                new SipMessage.Header("Call-ID", "demo-" + System.nanoTime()),
                new SipMessage.Header("CSeq", "1 INVITE"),
                new SipMessage.Header("Max-Forwards", "70")));
    SipMessage last = exchange(source, invite.toBytes());
    assertThat(last.statusCode()).isEqualTo(code);
    if (dialPlan != null) {
      assertThat(last.header("X-UMGW-Dial-Plan")).contains(dialPlan);
      assertThat(last.header("X-UMGW-Gateway")).contains("Contoso-SBC1");
      assertThat(last.header("To").orElseThrow()).contains(";tag=");
    }
    if (source.equals("127.0.0.4")) {
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> assertThat(events).anySatisfy(e -> assertThat(e.id()).isEqualTo(1442)));
    }
  }

  @Test
  void garbage_isDroppedAndTheEndpointKeepsAnswering() throws Exception {
    long dropped = sip.dropped();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0))) {
      byte[] junk = "not sip at all\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
      s.send(new DatagramPacket(junk, junk.length, sip.address()));
      byte[] big = new byte[60_000];
      s.send(new DatagramPacket(big, big.length, sip.address()));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> sip.dropped() == dropped + 2);
    assertThat(Sipp.options("127.0.0.2", sip.address())).isEqualTo(200);
  }

  @Test
  void userOf_readsTheRequestUriUser() {
    assertThat(org.umgw.sip.SipMessage.requestUser("sip:+14255550199@umgw.example;user=phone"))
        .isEqualTo("+14255550199");
    assertThat(org.umgw.sip.SipMessage.requestUser("sips:alice@example.com")).isEqualTo("alice");
    assertThat(org.umgw.sip.SipMessage.requestUser("tel:+14255550100;phone-context=x"))
        .isEqualTo("+14255550100");
    assertThat(org.umgw.sip.SipMessage.requestUser("sip:umgw.example")).isEmpty();
  }

  /** Sends one request from {@code source} and returns the final response (1xx skipped). */
  private static SipMessage exchange(String source, byte[] request) throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(source, 0))) {
      s.setSoTimeout(5000);
      s.send(new DatagramPacket(request, request.length, sip.address()));
      byte[] buf = new byte[65_536];
      while (true) {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        s.receive(p);
        SipMessage m = SipMessage.parse(p.getData(), 0, p.getLength(), 65_536);
        if (m.statusCode() >= 200) {
          return m;
        }
      }
    }
  }
}
