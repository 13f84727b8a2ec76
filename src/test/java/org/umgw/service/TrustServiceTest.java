package org.umgw.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.net.InetAddresses;
import com.unboundid.ldap.sdk.Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryUnavailableException;
import org.umgw.directory.EntryMapper;
import org.umgw.dns.DnsResolver;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.service.GatewayStatusChange.CallAction;
import org.umgw.testing.InMemoryLdap;

/** The service's own logic over a scripted feed: rules, last good, salvage, listeners, disk. */
class TrustServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private InMemoryLdap ldap;
  private DnsResolver resolver;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<GatewayStatusChange> statusChanges = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    ldap = InMemoryLdap.start();
    // Every gateway below has an IP literal: nothing is ever sent to a DNS server.
    resolver =
        DnsResolver.builder()
            .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
            .hostsFiles(List.of(Path.of("/dev/null")))
            .build();
  }

  @AfterEach
  void tearDown() {
    resolver.close();
    ldap.close();
  }

  private static DirectoryContents plan(int gateways, GatewayStatus status) {
    List<Gateway> gws = new ArrayList<>();
    List<HuntGroup> hgs = new ArrayList<>();
    for (int i = 1; i <= gateways; i++) {
      String name = "gw" + i;
      gws.add(
          Gateway.builder(name, "192.0.2." + i)
              .status(i == 1 ? status : GatewayStatus.Enabled)
              .build());
      hgs.add(HuntGroup.defaultFor(name, "dp"));
    }
    return new DirectoryContents(
        List.of(DialPlan.of("dp", UriType.TelExtn, 4)), gws, hgs, List.of());
  }

  private TrustService.Builder builder(ScriptedFeed feed) {
    return TrustService.builder()
        .directory(ldap.pool())
        .resolver(resolver)
        .feed((pool, layout) -> feed)
        .startTimeout(Duration.ofSeconds(5));
  }

  private TrustService started(ScriptedFeed feed, TrustService.Builder b) {
    TrustService s = b.build();
    s.addEventListener(events::add);
    s.addGatewayStatusListener(statusChanges::add);
    return s.start();
  }

  /** Nothing listens on port 1. */
  private static final DirectoryConfig DEAD =
      DirectoryConfig.builder("ldap://127.0.0.1:1").connectTimeout(Duration.ofMillis(500)).build();

  /** Starts with the directory unreachable, so only the on-disk copy can serve. */
  private TrustService startOffline(Path copy) {
    return TrustService.builder()
        .directory(DEAD)
        .resolver(resolver)
        .feed((pool, layout) -> new ScriptedFeed(null))
        .snapshotFile(copy)
        .build()
        .start();
  }

  private static java.net.InetAddress ip(String s) {
    return InetAddresses.forString(s);
  }

  @Test
  void start_servesTheFirstDelivery() throws Exception {
    ScriptedFeed feed = new ScriptedFeed(plan(3, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      assertThat(s.lookup(ip("192.0.2.2"))).isPresent();
      assertThat(s.admit(ip("192.0.2.3"), "", false).accepted()).isTrue();
      assertThat(s.admit(ip("192.0.2.99"), "", false).accepted()).isFalse();
      assertThat(s.status().source()).isEqualTo(TrustService.Source.DIRECTORY);
      assertThat(s.status().connected()).isTrue();
    }
    assertThat(feed.closed).isTrue();
  }

  @Test
  void start_onADirectoryThatBreaksARule_servesIt_holdingBackWhatTheRuleImplicates() {
    ScriptedFeed feed = new ScriptedFeed(plan(201, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      // Every hunt group of the over-full dial plan is held back, as if just added.
      assertThat(s.snapshot().peers()).isEmpty();
      assertThat(s.status().rejection()).contains("DIAL_PLAN_CAPACITY", "\"dp\"");
      assertThat(events)
          .filteredOn(e -> e.id() == 9201)
          .singleElement()
          .satisfies(e -> assertThat(e.message()).contains("201 UM IP gateways", "held back"));
      // Fixing it serves everything, with the all-clear.
      feed.deliver(plan(200, GatewayStatus.Enabled));
      await().atMost(WAIT).until(() -> s.snapshot().peers().size() == 200);
      await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.id() == 9204));
      assertThat(s.status().rejection()).isNull();
    }
  }

  /** gw1..gwN as LDAP entries, each with a default hunt group to "dp". */
  private static Map<String, Entry> entries(int gateways) {
    EntryMapper m = new EntryMapper(DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
    Map<String, Entry> out = new LinkedHashMap<>();
    DirectoryContents c = plan(gateways, GatewayStatus.Enabled);
    c.dialPlans().forEach(d -> out.put(d.name(), m.toEntry(d)));
    c.gateways().forEach(g -> out.put(g.name(), m.toEntry(g)));
    c.huntGroups().forEach(h -> out.put(h.gateway() + "/hg", m.toEntry(h)));
    return out;
  }

  @Test
  void finding1_aBrokenRuleNeverFreezesAnUnrelatedDisable() {
    ScriptedFeed feed = new ScriptedFeed(plan(3, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      Map<String, Entry> dir = entries(3);
      dir.get("gw2").setAttribute("umAddress", "192.0.2.3"); // onto gw3's address
      feed.deliver(dir.values());
      await().atMost(WAIT).until(() -> s.status().rejection() != null);
      dir.get("gw1").setAttribute("umStatus", "Disabled");
      feed.deliver(dir.values());
      await().atMost(WAIT).until(() -> !s.admit(ip("192.0.2.1"), "", false).accepted());
      assertThat(statusChanges)
          .contains(
              new GatewayStatusChange(
                  "gw1", GatewayStatus.Enabled, GatewayStatus.Disabled, CallAction.DROP_CALLS),
              new GatewayStatusChange(
                  "gw2", GatewayStatus.Enabled, GatewayStatus.Disabled, CallAction.DROP_CALLS));
      assertThat(s.admit(ip("192.0.2.3"), "", false).accepted()).isTrue();
      assertThat(s.status().rejection()).contains("ADDRESS_UNIQUE", "gw2");
    }
  }

  @Test
  void finding2_aBotchedDisable_neverKeepsTheGatewayTrusted() {
    ScriptedFeed feed = new ScriptedFeed(plan(2, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      Map<String, Entry> dir = entries(2);
      dir.get("gw1").setAttribute("umStatus", "Disable");
      feed.deliver(dir.values());
      await().atMost(WAIT).until(() -> !statusChanges.isEmpty());
      assertThat(statusChanges)
          .containsExactly(
              new GatewayStatusChange(
                  "gw1", GatewayStatus.Enabled, GatewayStatus.Disabled, CallAction.DROP_CALLS));
      assertThat(s.admit(ip("192.0.2.1"), "", false).accepted()).isFalse();
      assertThat(events)
          .filteredOn(e -> e.id() == 9201)
          .anySatisfy(e -> assertThat(e.message()).contains("umStatus \"Disable\"", "Disabled"));
    }
  }

  @Test
  void finding12_theAllClearFollowsTheFix_once() {
    ScriptedFeed feed = new ScriptedFeed(plan(2, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      Map<String, Entry> dir = entries(2);
      dir.get("gw1").setAttribute("umPort", "x");
      feed.deliver(dir.values());
      await().atMost(WAIT).until(() -> s.status().rejection() != null);
      assertThat(events).noneMatch(e -> e.id() == 9204);
      feed.deliver(entries(2).values());
      await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.id() == 9204));
      assertThat(s.status().rejection()).isNull();
      feed.deliver(plan(3, GatewayStatus.Enabled));
      await().atMost(WAIT).until(() -> s.snapshot().peers().size() == 3);
      assertThat(events).filteredOn(e -> e.id() == 9204).hasSize(1);
    }
  }

  @Test
  void theAllClear_alsoEndsAnOutage() {
    ScriptedFeed feed = new ScriptedFeed(plan(2, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      feed.disconnect();
      feed.reconnect();
      feed.deliver(plan(2, GatewayStatus.Enabled));
      await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.id() == 9204));
      assertThat(events.stream().map(Event::id).filter(id -> id > 9201))
          .containsExactly(9202, 9203, 9204);
    }
  }

  @Test
  void aChangeThatBreaksARule_keepsTheLastGoodSnapshotAndRaises9201() {
    ScriptedFeed feed = new ScriptedFeed(plan(200, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      feed.deliver(plan(201, GatewayStatus.Enabled));
      await().atMost(WAIT).until(() -> s.status().rejection() != null);
      assertThat(events).anySatisfy(e -> assertThat(e.id()).isEqualTo(9201));
      assertThat(s.lookup(ip("192.0.2.200"))).isPresent();
      assertThat(s.lookup(ip("192.0.2.201"))).isEmpty();
      assertThat(s.snapshot().peers()).hasSize(200);
      // Fixing the directory takes effect and clears the rejection.
      feed.deliver(plan(199, GatewayStatus.Enabled));
      await().atMost(WAIT).until(() -> s.snapshot().peers().size() == 199);
      assertThat(s.status().rejection()).isNull();
    }
  }

  @Test
  void anEntryWithAnUnreadablePort_keepsItsLastGoodPort_andStaysTrusted() {
    ScriptedFeed feed = new ScriptedFeed(plan(3, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      Map<String, Entry> dir = entries(3);
      dir.get("gw2").setAttribute("umPort", "x");
      feed.deliver(dir.values());
      await()
          .atMost(WAIT)
          .until(() -> events.stream().anyMatch(e -> e.type() == EventId.DIRECTORY_REJECTED));
      assertThat(s.lookup(ip("192.0.2.2"))).isPresent();
      assertThat(s.admit(ip("192.0.2.2"), "", false).accepted()).isTrue();
      assertThat(events)
          .filteredOn(e -> e.type() == EventId.DIRECTORY_REJECTED)
          .first()
          .satisfies(e -> assertThat(e.message()).contains("umPort \"x\"", "last good umPort 0"));
    }
  }

  @Test
  void statusChanges_tellTheSipServerWhatToDoWithCalls() {
    ScriptedFeed feed = new ScriptedFeed(plan(3, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      feed.deliver(plan(3, GatewayStatus.Disabled));
      await().atMost(WAIT).until(() -> statusChanges.size() == 1);
      feed.deliver(plan(3, GatewayStatus.NoNewCalls));
      await().atMost(WAIT).until(() -> statusChanges.size() == 2);
      feed.deliver(plan(2, GatewayStatus.NoNewCalls));
      await().atMost(WAIT).until(() -> statusChanges.size() == 3);
      assertThat(statusChanges)
          .containsExactly(
              new GatewayStatusChange(
                  "gw1", GatewayStatus.Enabled, GatewayStatus.Disabled, CallAction.DROP_CALLS),
              new GatewayStatusChange(
                  "gw1",
                  GatewayStatus.Disabled,
                  GatewayStatus.NoNewCalls,
                  CallAction.REFUSE_NEW_CALLS),
              new GatewayStatusChange("gw3", GatewayStatus.Enabled, null, CallAction.DROP_CALLS));
    }
  }

  @Test
  void aBuilder_buildsEachServiceWithItsFeedOptionsAsOfThatBuild() {
    FeedOptions first = FeedOptions.defaults().withKind(FeedKind.POLLING);
    FeedOptions second = FeedOptions.defaults().withKind(FeedKind.CHANGELOG);
    TrustService.Builder b = TrustService.builder().directory(ldap.pool()).resolver(resolver);
    b.feedOptions(first).build().close();
    assertThat(b.feedOptions(second).settings().feedFactory())
        .isEqualTo(new TrustService.DefaultFeed(second)); // not the first build's feed
    TrustService.FeedFactory own = (pool, layout) -> new ScriptedFeed(null);
    assertThat(b.feed(own).settings().feedFactory()).isSameAs(own);
  }

  @Test
  void aSecondStart_isRefused_andTheServiceKeepsFollowing() {
    ScriptedFeed feed = new ScriptedFeed(plan(3, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      assertThatThrownBy(s::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("starts once");
      feed.deliver(plan(2, GatewayStatus.Enabled));
      await().atMost(WAIT).until(() -> s.snapshot().peers().size() == 2);
      assertThat(s.status().connected()).isTrue();
    }
  }

  @Test
  void disconnects_raise9202Once_andReconnects9203() {
    ScriptedFeed feed = new ScriptedFeed(plan(3, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed))) {
      feed.disconnect();
      feed.disconnect();
      assertThat(s.status().connected()).isFalse();
      assertThat(s.lookup(ip("192.0.2.1"))).isPresent();
      feed.reconnect();
      assertThat(s.status().connected()).isTrue();
      assertThat(events.stream().map(Event::id).filter(id -> id > 9201))
          .containsExactly(9202, 9203);
    }
  }

  @Test
  void restartDuringAnOutage_servesTheOnDiskCopy() throws Exception {
    Path copy = dir.resolve("last-good.json");
    ScriptedFeed feed = new ScriptedFeed(plan(3, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed).snapshotFile(copy))) {
      await().atMost(WAIT).until(() -> Files.exists(copy));
    }
    try (TrustService s = startOffline(copy)) {
      assertThat(s.status().source()).isEqualTo(TrustService.Source.DISK);
      assertThat(s.admit(ip("192.0.2.3"), "", false).accepted()).isTrue();
      assertThat(s.snapshot().peers()).hasSize(3);
    }
  }

  @Test
  void close_savesAChangeSwappedInJustBefore() throws Exception {
    Path copy = dir.resolve("last-good.json");
    ScriptedFeed feed = new ScriptedFeed(plan(3, GatewayStatus.Enabled));
    try (TrustService s = started(feed, builder(feed).snapshotFile(copy))) {
      feed.deliver(plan(4, GatewayStatus.Enabled));
      await().atMost(WAIT).until(() -> s.snapshot().peers().size() == 4);
    } // well within the 200 ms save delay
    try (TrustService s = startOffline(copy)) {
      assertThat(s.snapshot().peers()).hasSize(4);
    }
  }

  @Test
  void startWithoutDirectoryOrCopy_failsNamingBoth() {
    Path copy = dir.resolve("none.json");
    assertThatThrownBy(() -> startOffline(copy))
        .isInstanceOf(DirectoryUnavailableException.class)
        .hasMessageContaining("ldap://127.0.0.1:1")
        .hasMessageContaining("no on-disk copy at " + copy);
  }

  @Test
  void aCorruptOnDiskCopy_isNamedInTheError() throws Exception {
    Path copy = dir.resolve("bad.json");
    Files.writeString(copy, "{\"format\":\"something else\"}");
    assertThatThrownBy(() -> startOffline(copy))
        .isInstanceOf(DirectoryUnavailableException.class)
        .hasMessageContaining(copy + " is not usable: not a umgw-trust-snapshot file");
  }
}
