package org.umgw.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.net.InetAddresses;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;

/** Re-resolution by TTL, the DNS failure policy and snapshot swaps, on a scripted resolver. */
class TrustedPeersTest {
  private static final DialPlan DP = DialPlan.of("dp", UriType.TelExtn, 4);
  private final ScriptedResolver dns = new ScriptedResolver();
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private TrustedPeers peers;

  private TrustedPeers start(Duration maxStale) {
    peers =
        new TrustedPeers(
            dns,
            new TrustedPeers.Options(
                Duration.ofMillis(50), Duration.ofHours(1), maxStale, Duration.ofMillis(100)),
            Clock.systemUTC(),
            events::add);
    return peers;
  }

  @AfterEach
  void close() {
    if (peers != null) {
      peers.close();
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

  private List<String> ips() {
    return peers.snapshot().peers().stream().map(Peer::addressText).toList();
  }

  private List<Integer> ids() {
    return events.stream().map(Event::id).toList();
  }

  @Test
  void update_resolvesEveryNameAndRaises1424() {
    dns.answer("a.test", Duration.ofMinutes(5), "192.0.2.1", "192.0.2.2");
    dns.answer("b.test", Duration.ofMinutes(5), "2001:db8::1");
    start(Duration.ofHours(1)).update(directory(gw("a", "a.test"), gw("b", "b.test")));
    assertThat(ips()).containsExactly("192.0.2.1", "192.0.2.2", "2001:db8::1");
    assertThat(ids()).containsExactly(1424);
    assertThat(events.get(0).details().get("added"))
        .isEqualTo(List.of("192.0.2.1", "192.0.2.2", "2001:db8::1"));
  }

  @Test
  void changedRecord_pickedUpWhenItsTtlRunsOut() {
    dns.answer("a.test", Duration.ofMillis(100), "192.0.2.1");
    start(Duration.ofHours(1)).update(directory(gw("a", "a.test")));
    TrustSnapshot first = peers.snapshot();
    dns.answer("a.test", Duration.ofMillis(100), "192.0.2.9");
    await().atMost(Duration.ofSeconds(3)).until(() -> ips().equals(List.of("192.0.2.9")));
    assertThat(peers.snapshot()).isNotSameAs(first);
    Event refreshed = events.get(events.size() - 1);
    assertThat(refreshed.id()).isEqualTo(1424);
    assertThat(refreshed.details().get("added")).isEqualTo(List.of("192.0.2.9"));
    assertThat(refreshed.details().get("removed")).isEqualTo(List.of("192.0.2.1"));
    assertThat(refreshed.details().get("names").toString())
        .contains("a.test=[+192.0.2.9, -192.0.2.1]");
  }

  @Test
  void unchangedAnswers_keepTheSameSnapshot() throws Exception {
    dns.answer("a.test", Duration.ofMillis(50), "192.0.2.1");
    start(Duration.ofHours(1)).update(directory(gw("a", "a.test")));
    TrustSnapshot first = peers.snapshot();
    int before = dns.queries.get();
    await().atMost(Duration.ofSeconds(3)).until(() -> dns.queries.get() >= before + 3);
    assertThat(peers.snapshot()).isSameAs(first);
    assertThat(ids()).containsExactly(1424);
  }

  @Test
  void nxdomain_noAddressAndOne1194() throws Exception {
    dns.answer("a.test", Duration.ofMinutes(5), "192.0.2.1");
    dns.nxdomain("gone.test", Duration.ofMillis(50));
    start(Duration.ofHours(1)).update(directory(gw("a", "a.test"), gw("gone", "gone.test")));
    int before = dns.queries.get();
    await().atMost(Duration.ofSeconds(3)).until(() -> dns.queries.get() >= before + 3);
    assertThat(ips()).containsExactly("192.0.2.1");
    assertThat(events).filteredOn(e -> e.id() == 1194).hasSize(1);
    assertThat(events.stream().filter(e -> e.id() == 1194).findFirst().orElseThrow().message())
        .isEqualTo(
            "Peer host name gone.test does not resolve (NXDOMAIN for Any): it is left out of the"
                + " trusted peers");
  }

  @Test
  void failingLookup_keepsLastAddressesStale_thenDropsThemAfterMaxStale() {
    dns.answer("a.test", Duration.ofMillis(50), "192.0.2.1");
    start(Duration.ofMillis(800)).update(directory(gw("a", "a.test")));
    dns.fail("a.test", "timeout");
    await()
        .atMost(Duration.ofSeconds(3))
        .until(() -> peers.snapshot().peers().stream().anyMatch(Peer::stale));
    assertThat(ips()).containsExactly("192.0.2.1");
    assertThat(ids()).contains(EventId.PEER_ADDRESSES_STALE.id());
    await().atMost(Duration.ofSeconds(5)).until(() -> ips().isEmpty());
    assertThat(ids()).contains(EventId.PEER_STALE_ADDRESSES_DROPPED.id());
    // And back.
    dns.answer("a.test", Duration.ofMillis(50), "192.0.2.1");
    await().atMost(Duration.ofSeconds(3)).until(() -> ips().equals(List.of("192.0.2.1")));
    assertThat(peers.snapshot().peers().get(0).stale()).isFalse();
    assertThat(ids()).contains(EventId.PEER_NAME_RESOLVED_AGAIN.id());
  }

  @Test
  void neverResolved_givesNoAddressEvenWhenFailing() {
    dns.fail("a.test", "SERVFAIL");
    start(Duration.ofHours(1)).update(directory(gw("a", "a.test")));
    assertThat(ips()).isEmpty();
    assertThat(ids()).contains(1194);
  }

  @Test
  void directoryUpdate_resolvesNewNamesAndForgetsOldOnes() {
    dns.answer("a.test", Duration.ofMinutes(5), "192.0.2.1");
    dns.answer("b.test", Duration.ofMinutes(5), "192.0.2.2");
    start(Duration.ofHours(1)).update(directory(gw("a", "a.test")));
    peers.update(directory(gw("b", "b.test")));
    assertThat(ips()).containsExactly("192.0.2.2");
    assertThat(peers.snapshot().names())
        .containsExactly(new NameKey("b.test", IpAddressFamily.Any));
  }

  @Test
  void duplicateIp_1175RaisedOnceWhenItAppears() {
    dns.answer("a.test", Duration.ofMillis(50), "192.0.2.1");
    dns.answer("b.test", Duration.ofMillis(50), "192.0.2.2");
    start(Duration.ofHours(1)).update(directory(gw("a", "a.test"), gw("b", "b.test")));
    assertThat(ids()).doesNotContain(1175);
    dns.answer("b.test", Duration.ofMillis(50), "192.0.2.1");
    await().atMost(Duration.ofSeconds(3)).until(() -> ids().contains(1175));
    assertThat(peers.lookup(InetAddresses.forString("192.0.2.1")).orElseThrow().gatewayNames())
        .containsExactly("a", "b");
    assertThat(events).filteredOn(e -> e.id() == 1175).hasSize(1);
  }

  @Test
  void admit_refusalEventsGoToTheListeners() {
    start(Duration.ofHours(1)).update(directory(gw("a", "192.0.2.1")));
    peers.admit(InetAddresses.forString("192.0.2.77"), "1", false);
    // Passed on by the refusal log's own thread, so admission never waits for a logger.
    org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(ids()).contains(1021));
    for (int i = 0; i < 1000; i++) {
      peers.admit(InetAddresses.forString("192.0.2.77"), "1", false);
    }
    assertThat(peers.refusals(EventId.UNTRUSTED_SOURCE)).isEqualTo(1001);
    assertThat(ids().stream().filter(id -> id == 1021)).hasSize(1); // counted, not logged again
  }
}
