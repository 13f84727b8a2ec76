package org.umgw.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.net.InetAddresses;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryConnector;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;
import org.umgw.sip.OptionsProber;
import org.umgw.sip.ProbeResult;
import org.umgw.sip.ProberOptions;
import org.umgw.sip.SipTransport;
import org.umgw.testing.RawSipPeers;
import org.umgw.testing.Sipp;
import org.umgw.testing.TestCertificate;
import org.umgw.trust.NameKey;
import org.umgw.trust.ResolvedName;
import org.umgw.trust.TrustSnapshot;

class HealthMonitorTest {
  private static final Duration SHORT = Duration.ofMillis(600);
  private static final HealthOptions FAST =
      HealthOptions.defaults().withDeadline(SHORT).withInterval(Duration.ofSeconds(1));

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<HealthTransition> transitions = new CopyOnWriteArrayList<>();
  private OptionsProber prober;

  @BeforeEach
  void open() throws Exception {
    prober =
        OptionsProber.open(
            ProberOptions.defaults()
                .withBind(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")));
  }

  @AfterEach
  void close() {
    prober.close();
  }

  private HealthMonitor monitor(HealthOptions o, TrustSnapshot s) {
    HealthMonitor m = new HealthMonitor(prober, o, events::add);
    m.addListener(transitions::add);
    m.setSnapshot(s);
    return m;
  }

  /** A snapshot of plain gateways on literal IPs (no DNS), each in one Unsecured dial plan. */
  static TrustSnapshot snapshot(Gateway... gws) {
    return snapshot(VoipSecurity.Unsecured, Map.of(), gws);
  }

  static TrustSnapshot snapshot(
      VoipSecurity security, Map<NameKey, ResolvedName> resolved, Gateway... gws) {
    DialPlan dp = DialPlan.of("Plan", UriType.TelExtn, 4).withVoipSecurity(security);
    List<HuntGroup> hgs = new ArrayList<>();
    for (Gateway g : gws) {
      hgs.add(HuntGroup.defaultFor(g.name(), "Plan"));
    }
    return TrustSnapshot.build(
        new DirectoryContents(List.of(dp), List.of(gws), hgs, List.of()), resolved, Instant.now());
  }

  private static Gateway gw(String name, String ip, int port) {
    return Gateway.builder(name, ip).port(port).build();
  }

  private static int deadUdpPort(String ip) throws Exception {
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName(ip))) {
      return s.getLocalPort();
    }
  }

  @Test
  void runRound_sippAnsweringOverUdp_isUpWithCodeAndRtt() {
    try (Sipp.Uas sipp = Sipp.uas("127.0.0.1", 0, "u1", 200)) {
      HealthMonitor m = monitor(FAST, snapshot(gw("gw1", "127.0.0.1", sipp.address().getPort())));

      HealthReport r = m.runRound();

      HealthReport.Gateway g = r.gateway("gw1").orElseThrow();
      assertThat(g.state()).isEqualTo(HealthState.Up);
      HealthReport.Address a = g.addresses().get(0);
      assertThat(a.address()).isEqualTo("127.0.0.1");
      assertThat(a.transport()).isEqualTo(SipTransport.UDP);
      assertThat(a.code()).hasValue(200);
      assertThat(a.rttMillis()).hasValueSatisfying(ms -> assertThat(ms).isPositive());
      assertThat(events).isEmpty();
      assertThat(transitions)
          .extracting(HealthTransition::toString)
          .containsExactly(
              "gw1 127.0.0.1 Unknown -> Up (200 OK in "
                  + a.last().toString().split(" in ")[1]
                  + ")",
              "gw1 Unknown -> Up (" + a.last() + ")");
    }
  }

  @Test
  void runRound_sippAnsweringOverTcp_isUp() {
    try (Sipp.Uas sipp = Sipp.uas("127.0.0.1", 0, "t1", 200)) {
      HealthMonitor m =
          monitor(
              FAST.withPlainTransport(SipTransport.TCP),
              snapshot(gw("gw1", "127.0.0.1", sipp.address().getPort())));

      HealthReport.Gateway g = m.runRound().gateway("gw1").orElseThrow();

      assertThat(g.state()).isEqualTo(HealthState.Up);
      assertThat(g.addresses().get(0).transport()).isEqualTo(SipTransport.TCP);
    }
  }

  @Test
  void runRound_ipv6Gateway_isProbedOnLoopback() {
    try (Sipp.Uas sipp = Sipp.uas("::1", 0, "u1", 200)) {
      HealthMonitor m = monitor(FAST, snapshot(gw("gw6", "::1", sipp.address().getPort())));

      HealthReport.Gateway g = m.runRound().gateway("gw6").orElseThrow();

      assertThat(g.state()).isEqualTo(HealthState.Up);
      assertThat(g.addresses().get(0).address()).isEqualTo("::1");
    }
  }

  @Test
  void nothingListening_isDownAfterExactlyNRoundsWithEvent1400() throws Exception {
    int port = deadUdpPort("127.0.0.1");
    HealthMonitor m = monitor(FAST, snapshot(gw("gw1", "127.0.0.1", port)));

    assertThat(m.runRound().gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Unknown);
    assertThat(m.runRound().gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Unknown);
    assertThat(events).isEmpty();
    HealthReport r = m.runRound();

    assertThat(r.gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Down);
    assertThat(r.gateway("gw1").orElseThrow().addresses().get(0).failures()).isEqualTo(3);
    assertThat(events).hasSize(1);
    Event e = events.get(0);
    assertThat(e.type()).isEqualTo(EventId.PEERS_UNHEALTHY);
    assertThat(e.id()).isEqualTo(1400);
    assertThat(e.details())
        .containsEntry("gateway", "gw1")
        .containsEntry("addresses", List.of("127.0.0.1"))
        .containsEntry(
            "failure", "timeout: no final response from udp 127.0.0.1:" + port + " within 600 ms");
    assertThat(e.message())
        .isEqualTo(
            "UM IP gateway gw1 does not answer SIP OPTIONS at udp 127.0.0.1:"
                + port
                + ": timeout: no final response from udp 127.0.0.1:"
                + port
                + " within 600 ms");
    m.runRound();
    assertThat(events).hasSize(1); // no repeat while it stays Down
  }

  @Test
  void sippStartedAgain_event1401AfterExactlyMSuccesses() throws Exception {
    int port = deadUdpPort("127.0.0.1");
    HealthMonitor m = monitor(FAST, snapshot(gw("gw1", "127.0.0.1", port)));
    for (int i = 0; i < 3; i++) {
      m.runRound();
    }
    assertThat(events).extracting(Event::id).containsExactly(1400);

    try (Sipp.Uas sipp = Sipp.uas("127.0.0.1", port, "u1", 200)) {
      HealthReport first = m.runRound();
      assertThat(first.gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Down);
      assertThat(first.gateway("gw1").orElseThrow().addresses().get(0).successes()).isEqualTo(1);
      assertThat(events).extracting(Event::id).containsExactly(1400);

      HealthReport second = m.runRound();

      assertThat(second.gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Up);
      assertThat(events).extracting(Event::id).containsExactly(1400, 1401);
      assertThat(events.get(1).details())
          .containsEntry("gateway", "gw1")
          .containsEntry("addresses", List.of("127.0.0.1"));
    }
  }

  @Test
  void sippAnswering403_isDegradedAtOnceWithoutEvents() {
    try (Sipp.Uas sipp = Sipp.uas("127.0.0.1", 0, "u1", 403)) {
      HealthMonitor m = monitor(FAST, snapshot(gw("gw1", "127.0.0.1", sipp.address().getPort())));

      HealthReport.Gateway g = m.runRound().gateway("gw1").orElseThrow();

      assertThat(g.state()).isEqualTo(HealthState.Degraded);
      assertThat(g.addresses().get(0).code()).hasValue(403);
      assertThat(events).isEmpty();
    }
  }

  @Test
  void acceptedCode_countsAsUp() {
    try (Sipp.Uas sipp = Sipp.uas("127.0.0.1", 0, "u1", 403)) {
      HealthMonitor m =
          monitor(
              FAST.withAccepted(Set.of(403)),
              snapshot(gw("gw1", "127.0.0.1", sipp.address().getPort())));

      assertThat(m.runRound().gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Up);
    }
  }

  @Test
  void degradedThenAnswering200_isUpOnlyAfterMSuccesses() {
    int port;
    HealthMonitor m;
    try (Sipp.Uas refusing = Sipp.uas("127.0.0.1", 0, "u1", 403)) {
      port = refusing.address().getPort();
      m = monitor(FAST, snapshot(gw("gw1", "127.0.0.1", port)));
      assertThat(m.runRound().gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Degraded);
    }
    try (Sipp.Uas ok = Sipp.uas("127.0.0.1", port, "u1", 200)) {
      assertThat(m.runRound().gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Degraded);
      assertThat(m.runRound().gateway("gw1").orElseThrow().state()).isEqualTo(HealthState.Up);
      assertThat(events).isEmpty(); // never Down, so no 1400 and no 1401
    }
  }

  @Test
  void gatewayWithTwoAddresses_isUpIfAnyAddressIsUp() throws Exception {
    try (Sipp.Uas sipp = Sipp.uas("127.0.0.1", 0, "u1", 200)) {
      Map<NameKey, ResolvedName> resolved = new HashMap<>();
      resolved.put(
          new NameKey("gw-two.example.test", IpAddressFamily.IPv4Only),
          new ResolvedName(
              List.of(InetAddresses.forString("127.0.0.1"), InetAddresses.forString("127.0.0.2")),
              false));
      Gateway two = gw("gw-two", "gw-two.example.test", sipp.address().getPort());
      HealthMonitor m =
          monitor(FAST.withHysteresis(1, 1), snapshot(VoipSecurity.Unsecured, resolved, two));

      HealthReport.Gateway g = m.runRound().gateway("gw-two").orElseThrow();

      assertThat(g.state()).isEqualTo(HealthState.Up);
      assertThat(g.addresses())
          .extracting(HealthReport.Address::address, HealthReport.Address::state)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("127.0.0.1", HealthState.Up),
              org.assertj.core.groups.Tuple.tuple("127.0.0.2", HealthState.Down));
      assertThat(events).isEmpty();
    }
  }

  @Test
  void disabledGateway_isNotProbed() throws Exception {
    int port = deadUdpPort("127.0.0.1");
    HealthMonitor m =
        monitor(FAST, snapshot(gw("off", "127.0.0.1", port).withStatus(GatewayStatus.Disabled)));

    HealthReport r = m.runRound();

    assertThat(r.gateways()).isEmpty();
    assertThat(prober.stats().probes()).isZero();
  }

  @Test
  void gatewayRemovedFromTheSnapshot_dropsOutOfTheReport() {
    try (Sipp.Uas sipp = Sipp.uas("127.0.0.1", 0, "u1", 200)) {
      int port = sipp.address().getPort();
      HealthMonitor m =
          monitor(FAST, snapshot(gw("a", "127.0.0.1", port), gw("b", "127.0.0.1", port)));
      assertThat(m.runRound().gateways())
          .extracting(HealthReport.Gateway::name)
          .containsExactly("a", "b");
      assertThat(prober.stats().probes()).isEqualTo(1); // same IP, port and transport: one probe

      m.setSnapshot(snapshot(gw("b", "127.0.0.1", port)));

      assertThat(m.runRound().gateways())
          .extracting(HealthReport.Gateway::name)
          .containsExactly("b");
    }
  }

  @Test
  void tlsGateway_certificateForItsFqdn_isUp_andForAnotherName_isDown(@TempDir Path dir)
      throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "gw-tls.example.test");
    prober.close();
    prober =
        OptionsProber.open(
            ProberOptions.defaults()
                .withBind(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))
                .withTlsTrust(DirectoryConnector.trustManager(cert.pem(), null)));
    try (RawSipPeers.Tls responder = new RawSipPeers.Tls(cert, 200, "OK")) {
      int port = responder.address().getPort();
      Map<NameKey, ResolvedName> resolved = new HashMap<>();
      for (String name : List.of("gw-tls.example.test", "gw-wrong.example.test")) {
        resolved.put(
            new NameKey(name, IpAddressFamily.IPv4Only),
            new ResolvedName(List.of(InetAddresses.forString("127.0.0.1")), false));
      }
      HealthMonitor m =
          monitor(
              FAST.withHysteresis(1, 1),
              snapshot(
                  VoipSecurity.SIPSecured,
                  resolved,
                  gw("gw-tls", "gw-tls.example.test", port),
                  gw("gw-wrong", "gw-wrong.example.test", port)));

      HealthReport r = m.runRound();

      HealthReport.Address good = r.gateway("gw-tls").orElseThrow().addresses().get(0);
      assertThat(good.state()).isEqualTo(HealthState.Up);
      assertThat(good.transport()).isEqualTo(SipTransport.TLS);
      HealthReport.Address bad = r.gateway("gw-wrong").orElseThrow().addresses().get(0);
      assertThat(bad.state()).isEqualTo(HealthState.Down);
      assertThat(bad.last())
          .isInstanceOfSatisfying(
              ProbeResult.Failed.class,
              f -> assertThat(f.kind()).isEqualTo(ProbeResult.Failure.TLS));
      assertThat(events).extracting(Event::id).containsExactly(1400);
      assertThat(events.get(0).details()).containsEntry("gateway", "gw-wrong");
    }
  }

  /**
   * A plain gateway and a TLS gateway on one IP (the sample's 127.0.0.3): each is probed over its
   * own transport and port, with its own name, and a target shared by two gateways once a round.
   */
  @Test
  void plainGatewaySharingAnIpWithATlsGateway_isProbedOverItsOwnTransportAndPort(@TempDir Path dir)
      throws Exception {
    TestCertificate cert = TestCertificate.generate(dir, "gw-tls.example.test");
    prober.close();
    prober =
        OptionsProber.open(
            ProberOptions.defaults()
                .withBind(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"))
                .withTlsTrust(DirectoryConnector.trustManager(cert.pem(), null)));
    try (RawSipPeers.Tls tls = new RawSipPeers.Tls(cert, 200, "OK");
        Sipp.Uas plain = Sipp.uas("127.0.0.1", 0, "u1", 200)) {
      Map<NameKey, ResolvedName> resolved = new HashMap<>();
      for (String name : List.of("gw-tls.example.test", "gw-plain.example.test")) {
        resolved.put(
            new NameKey(name, IpAddressFamily.IPv4Only),
            new ResolvedName(List.of(InetAddresses.forString("127.0.0.1")), false));
      }
      DialPlan secured =
          DialPlan.of("Secured", UriType.TelExtn, 4).withVoipSecurity(VoipSecurity.SIPSecured);
      DialPlan unsecured = DialPlan.of("Plain", UriType.TelExtn, 4);
      TrustSnapshot s =
          TrustSnapshot.build(
              new DirectoryContents(
                  List.of(secured, unsecured),
                  List.of(
                      gw("gw-tls", "gw-tls.example.test", tls.address().getPort()),
                      gw("gw-plain", "gw-plain.example.test", plain.address().getPort()),
                      gw("gw-plain-literal", "127.0.0.1", plain.address().getPort())),
                  List.of(
                      HuntGroup.defaultFor("gw-tls", "Secured"),
                      HuntGroup.defaultFor("gw-plain", "Plain"),
                      HuntGroup.defaultFor("gw-plain-literal", "Plain")),
                  List.of()),
              resolved,
              Instant.now());
      HealthMonitor m = monitor(FAST.withHysteresis(1, 1), s);

      HealthReport r = m.runRound();

      assertThat(r.gateways())
          .extracting(
              HealthReport.Gateway::name,
              HealthReport.Gateway::state,
              g -> g.addresses().get(0).transport(),
              g -> g.addresses().get(0).port())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "gw-plain", HealthState.Up, SipTransport.UDP, plain.address().getPort()),
              org.assertj.core.groups.Tuple.tuple(
                  "gw-plain-literal", HealthState.Up, SipTransport.UDP, plain.address().getPort()),
              org.assertj.core.groups.Tuple.tuple(
                  "gw-tls", HealthState.Up, SipTransport.TLS, tls.address().getPort()));
      assertThat(events).isEmpty();
      // udp 127.0.0.1:plain is shared by the two plain gateways: one probe for both.
      assertThat(prober.stats().probes()).isEqualTo(2);
      assertThat(tls.answered()).isEqualTo(1);
      // And it stays Up round after round: no false Down, no 1400.
      assertThat(m.runRound().gateways())
          .extracting(HealthReport.Gateway::state)
          .containsOnly(HealthState.Up);
      assertThat(events).isEmpty();
      assertThat(prober.stats().probes()).isEqualTo(4);
    }
  }

  @Test
  void start_runsRoundsPeriodicallyUntilClosed() throws Exception {
    int port = deadUdpPort("127.0.0.1");
    try (HealthMonitor m =
        monitor(
            FAST.withInterval(Duration.ofMillis(700)).withHysteresis(2, 2),
            snapshot(gw("gw1", "127.0.0.1", port)))) {
      m.start();

      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> events.size() == 1);
      assertThat(events.get(0).id()).isEqualTo(1400);
      assertThatThrownBy(m::start).hasMessage("health monitor already started");
    }
  }

  @Test
  void options_badValues_areRefusedNamingThem() {
    assertThatThrownBy(() -> HealthOptions.defaults().withHysteresis(0, 2))
        .hasMessage("downAfter is 1..100: 0");
    assertThatThrownBy(() -> HealthOptions.defaults().withAccepted(Set.of(99)))
        .hasMessage("accepted SIP code is 200..699: 99");
    assertThatThrownBy(() -> HealthOptions.defaults().withDeadline(Duration.ofMinutes(1)))
        .hasMessage("probe interval PT30S is shorter than the deadline PT1M");
  }
}
