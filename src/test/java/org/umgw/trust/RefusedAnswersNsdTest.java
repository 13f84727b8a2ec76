package org.umgw.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.dns.DnsResolver;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.testing.Nsd;

/**
 * Finding 7 of issue 18: DNS and hosts-file answers that could never be written as a gateway
 * literal (unspecified, multicast, broadcast, IPv4-mapped) stay out of the trusted peers, each with
 * event 9105 naming the name and the address, once per change.
 */
class RefusedAnswersNsdTest {
  private static final DialPlan DP = DialPlan.of("dp", UriType.TelExtn, 4);

  @TempDir Path tmp;
  private Nsd nsd;
  private DnsResolver resolver;
  private TrustedPeers peers;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  private static String zone(int serial, String... records) {
    return "$ORIGIN example.test.\n$TTL 300\n"
        + "@ 3600 IN SOA ns hostmaster "
        + serial
        + " 3600 600 86400 1\n@ NS ns\nns A 127.0.0.1\n"
        + String.join("\n", records)
        + "\n";
  }

  private static final String[] RECORDS = {
    "mixed 1 A 0.0.0.0",
    "mixed 1 A 192.0.2.70",
    "mixed 1 A 224.0.0.1",
    "mixed 1 A 255.255.255.255",
    "mixed 1 AAAA ::",
    "mixed 1 AAAA ff02::1",
    "mixed 1 AAAA ::ffff:192.0.2.71",
    "mixed 1 AAAA 2001:db8::70",
    "zero 1 A 0.0.0.0",
  };

  private void start(List<Path> hostsFiles, String... records) {
    nsd = Nsd.start(Map.of("example.test", zone(1, records)));
    resolver =
        DnsResolver.builder()
            .servers(List.of(nsd.address()))
            .hostsFiles(hostsFiles)
            .timeout(Duration.ofMillis(300))
            .retries(0)
            .build();
    peers =
        new TrustedPeers(
            resolver,
            new TrustedPeers.Options(
                Duration.ofMillis(200),
                Duration.ofHours(1),
                Duration.ofHours(1),
                Duration.ofMillis(300)),
            Clock.systemUTC(),
            events::add);
  }

  @AfterEach
  void stop() {
    if (peers != null) {
      peers.close();
    }
    if (resolver != null) {
      resolver.close();
    }
    if (nsd != null) {
      nsd.close();
    }
  }

  private static DirectoryContents directory(Gateway... gateways) {
    return new DirectoryContents(
        List.of(DP),
        List.of(gateways),
        List.of(gateways).stream().map(g -> HuntGroup.defaultFor(g.name(), "dp")).toList(),
        List.of());
  }

  private static Gateway gw(String name, String address) {
    return Gateway.builder(name, address).ipAddressFamily(IpAddressFamily.Any).build();
  }

  private List<String> ipsOf(String gateway) {
    return peers.snapshot().peers().stream()
        .filter(p -> p.gatewayNames().contains(gateway))
        .map(Peer::addressText)
        .toList();
  }

  private List<String> refused() {
    return events.stream()
        .filter(e -> e.type() == EventId.PEER_ADDRESS_REFUSED)
        .map(e -> e.details().get("name") + " " + e.details().get("address"))
        .toList();
  }

  @Test
  void dnsAnswers_thatNoLiteralCouldBe_areLeftOut_eachWith9105_oncePerChange() throws Exception {
    start(List.of(), RECORDS);
    peers.update(directory(gw("GW", "mixed.example.test")));

    assertThat(ipsOf("GW")).containsExactlyInAnyOrder("192.0.2.70", "2001:db8::70");
    assertThat(refused())
        .containsExactlyInAnyOrder(
            "mixed.example.test 0.0.0.0",
            "mixed.example.test 224.0.0.1",
            "mixed.example.test 255.255.255.255",
            "mixed.example.test ::",
            "mixed.example.test ff02::1",
            "mixed.example.test ::ffff:c000:247");
    Event one =
        events.stream()
            .filter(e -> "0.0.0.0".equals(e.details().get("address")))
            .findFirst()
            .orElseThrow();
    assertThat(one.id()).isEqualTo(9105);
    assertThat(one.message())
        .contains("mixed.example.test")
        .contains("0.0.0.0")
        .contains("the unspecified address 0.0.0.0 cannot be a gateway address");

    // The records' TTL is 1 s: several re-resolutions later, nothing is reported again.
    Thread.sleep(2_500);
    assertThat(refused()).hasSize(6);

    // A change of the answer reports only what it newly refuses.
    nsd.zone(
        "example.test",
        zone(2, "mixed 1 A 192.0.2.70", "mixed 1 A 0.0.0.0", "mixed 1 A 239.1.2.3"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> refused().contains("mixed.example.test 239.1.2.3"));
    Thread.sleep(1_500);
    assertThat(refused()).hasSize(7);
    assertThat(ipsOf("GW")).containsExactly("192.0.2.70");
  }

  @Test
  void aNameWhoseEveryAnswerIsRefused_givesNoPeer() {
    start(List.of(), RECORDS);
    peers.update(directory(gw("GW", "zero.example.test"), gw("OK", "192.0.2.9")));

    assertThat(ipsOf("GW")).isEmpty();
    assertThat(ipsOf("OK")).containsExactly("192.0.2.9");
    assertThat(refused()).containsExactly("zero.example.test 0.0.0.0");
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.type()).isEqualTo(EventId.PEER_NAME_UNRESOLVED);
              assertThat(e.details()).containsEntry("name", "zero.example.test");
            });
  }

  @Test
  void hostsFileAnswers_passTheSameChecks() throws Exception {
    Path hosts = tmp.resolve("hosts");
    Files.writeString(
        hosts,
        "0.0.0.0 blocked.example.test\n"
            + "255.255.255.255 pinned.example.test\n"
            + "192.0.2.80 pinned.example.test\n"
            + "ff02::1 pinned.example.test\n");
    start(List.of(hosts), RECORDS);
    peers.update(
        directory(gw("BLOCKED", "blocked.example.test"), gw("PINNED", "pinned.example.test")));

    assertThat(ipsOf("BLOCKED")).isEmpty();
    assertThat(ipsOf("PINNED")).containsExactly("192.0.2.80");
    assertThat(refused())
        .containsExactlyInAnyOrder(
            "blocked.example.test 0.0.0.0",
            "pinned.example.test 255.255.255.255",
            "pinned.example.test ff02::1");
  }

  @Test
  void aSavedCopyHoldingARefusedAddress_isRestoredWithoutIt() throws Exception {
    start(List.of(), RECORDS);
    peers.restore(
        directory(gw("GW", "mixed.example.test")),
        Map.of(
            new NameKey("mixed.example.test", IpAddressFamily.Any),
            new ResolvedName(
                List.of(
                    java.net.InetAddress.getByName("0.0.0.0"),
                    java.net.InetAddress.getByName("192.0.2.70")),
                false)),
        java.time.Instant.now());

    assertThat(ipsOf("GW")).contains("192.0.2.70").doesNotContain("0.0.0.0");
    assertThat(refused()).contains("mixed.example.test 0.0.0.0");
  }
}
