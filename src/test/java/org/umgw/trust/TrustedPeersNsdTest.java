package org.umgw.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.net.InetAddresses;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * The trusted peers against a real nsd: family filtering, several records, 1175, 1194, a record
 * changed in the zone picked up after its TTL without restart, and nsd stopped (stale, then dropped
 * after max-stale).
 */
class TrustedPeersNsdTest {
  private static final DialPlan DP = DialPlan.of("dp", UriType.TelExtn, 4);

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
    "v4 1 A 192.0.2.1",
    "v6 1 AAAA 2001:db8::1",
    "both 1 A 192.0.2.2",
    "both 1 AAAA 2001:db8::2",
    "both2 1 A 192.0.2.3",
    "both2 1 AAAA 2001:db8::3",
    "many 1 A 192.0.2.11",
    "many 1 A 192.0.2.12",
    "many 1 A 192.0.2.13",
    "alias 1 A 192.0.2.50",
    "other 1 A 192.0.2.50",
    "moving 1 A 192.0.2.60",
  };

  @BeforeEach
  void start() {
    nsd = Nsd.start(Map.of("example.test", zone(1, RECORDS)));
    resolver =
        DnsResolver.builder()
            .servers(List.of(nsd.address()))
            .timeout(Duration.ofMillis(300))
            .retries(0)
            .build();
  }

  private TrustedPeers peers(Duration maxStale) {
    peers =
        new TrustedPeers(
            resolver,
            new TrustedPeers.Options(
                Duration.ofMillis(200), Duration.ofHours(1), maxStale, Duration.ofMillis(300)),
            Clock.systemUTC(),
            events::add);
    return peers;
  }

  @AfterEach
  void stop() {
    if (peers != null) {
      peers.close();
    }
    resolver.close();
    nsd.close();
  }

  private static Gateway gw(String name, String address, IpAddressFamily family) {
    return Gateway.builder(name, address).ipAddressFamily(family).build();
  }

  private static DirectoryContents directory(Gateway... gateways) {
    return new DirectoryContents(
        List.of(DP),
        List.of(gateways),
        List.of(gateways).stream().map(g -> HuntGroup.defaultFor(g.name(), "dp")).toList(),
        List.of());
  }

  private List<String> ipsOf(String gateway) {
    return peers.snapshot().peers().stream()
        .filter(p -> p.gatewayNames().contains(gateway))
        .map(Peer::addressText)
        .toList();
  }

  @Test
  void families_filterTheRecords_andEveryRecordCounts() {
    peers(Duration.ofHours(1))
        .update(
            directory(
                gw("v4-only", "both.example.test", IpAddressFamily.IPv4Only),
                gw("v6-only", "v6.example.test", IpAddressFamily.IPv6Only),
                gw("any", "both2.example.test", IpAddressFamily.Any),
                gw("v6-of-v4", "v4.example.test", IpAddressFamily.IPv6Only),
                gw("many", "many.example.test", IpAddressFamily.IPv4Only)));
    assertThat(ipsOf("v4-only")).containsExactly("192.0.2.2");
    assertThat(ipsOf("v6-only")).containsExactly("2001:db8::1");
    assertThat(ipsOf("any")).containsExactly("192.0.2.3", "2001:db8::3");
    assertThat(ipsOf("v6-of-v4")).isEmpty();
    assertThat(ipsOf("many")).containsExactly("192.0.2.11", "192.0.2.12", "192.0.2.13");
    // v4.example.test has no AAAA: NODATA for IPv6Only, event 1194.
    assertThat(events)
        .filteredOn(e -> e.id() == 1194)
        .extracting(e -> e.details().get("name"), e -> e.details().get("reason"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple("v4.example.test", "NODATA"));
    assertThat(events).noneMatch(e -> e.id() == 1175);
  }

  @Test
  void twoFqdnsOnOneIp_and_oneLiteralOnTwoGateways_raise1175() {
    peers(Duration.ofHours(1))
        .update(
            directory(
                gw("a", "alias.example.test", IpAddressFamily.IPv4Only),
                gw("b", "other.example.test", IpAddressFamily.IPv4Only),
                gw("c", "192.0.2.99", IpAddressFamily.IPv4Only),
                gw("d", "192.0.2.99", IpAddressFamily.IPv4Only)));
    assertThat(events)
        .filteredOn(e -> e.id() == 1175)
        .extracting(e -> e.details().get("address"), e -> e.details().get("gateways"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("192.0.2.50", List.of("a", "b")),
            org.assertj.core.groups.Tuple.tuple("192.0.2.99", List.of("c", "d")));
    Peer shared = peers.lookup(InetAddresses.forString("192.0.2.50")).orElseThrow();
    assertThat(shared.fqdns()).containsExactly("alias.example.test", "other.example.test");
  }

  @Test
  void nxdomain_raises1194_andLeavesTheNameOut() {
    peers(Duration.ofHours(1))
        .update(
            directory(
                gw("ok", "v4.example.test", IpAddressFamily.IPv4Only),
                gw("gone", "missing.example.test", IpAddressFamily.IPv4Only)));
    assertThat(ipsOf("ok")).containsExactly("192.0.2.1");
    assertThat(ipsOf("gone")).isEmpty();
    assertThat(events)
        .filteredOn(e -> e.id() == 1194)
        .extracting(e -> e.details().get("name"), e -> e.details().get("reason"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple("missing.example.test", "NXDOMAIN"));
  }

  @Test
  void changedRecord_pickedUpAfterItsTtl_withoutRestart() {
    peers(Duration.ofHours(1))
        .update(directory(gw("m", "moving.example.test", IpAddressFamily.IPv4Only)));
    assertThat(ipsOf("m")).containsExactly("192.0.2.60");
    long start = System.nanoTime();
    String[] moved = RECORDS.clone();
    moved[moved.length - 1] = "moving 1 A 192.0.2.61";
    nsd.zone("example.test", zone(2, moved));
    await().atMost(Duration.ofSeconds(5)).until(() -> ipsOf("m").equals(List.of("192.0.2.61")));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    Event refreshed = events.stream().filter(e -> e.id() == 1424).reduce((x, y) -> y).orElseThrow();
    assertThat(refreshed.details().get("added")).isEqualTo(List.of("192.0.2.61"));
    assertThat(refreshed.details().get("removed")).isEqualTo(List.of("192.0.2.60"));
    // TTL 1 s (clamped to at least 200 ms): the change shows within about a TTL.
    assertThat(tookMs).isLessThan(5_000);
  }

  @Test
  void nsdStopped_lastAddressesKeptStale_thenDroppedAfterMaxStale() {
    peers(Duration.ofSeconds(3))
        .update(directory(gw("m", "moving.example.test", IpAddressFamily.IPv4Only)));
    nsd.stop();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> peers.snapshot().peers().stream().anyMatch(Peer::stale));
    assertThat(ipsOf("m")).containsExactly("192.0.2.60");
    assertThat(events).anyMatch(e -> e.type() == EventId.PEER_ADDRESSES_STALE);
    // Still answering lookups from the stale address while DNS is down.
    assertThat(peers.lookup(InetAddresses.forString("192.0.2.60"))).isPresent();
    await().atMost(Duration.ofSeconds(8)).until(() -> ipsOf("m").isEmpty());
    assertThat(events).anyMatch(e -> e.type() == EventId.PEER_STALE_ADDRESSES_DROPPED);
    // nsd back: the name resolves again.
    nsd.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> ipsOf("m").equals(List.of("192.0.2.60")));
    assertThat(events).anyMatch(e -> e.type() == EventId.PEER_NAME_RESOLVED_AGAIN);
  }
}
