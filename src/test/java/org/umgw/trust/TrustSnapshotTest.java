package org.umgw.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.IpAddressFamily;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.TestDirectories;

/** The snapshot of the sample directory: peers, event 1175, admission and routing, outbound. */
class TrustSnapshotTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static DirectoryContents sample;
  private static TrustSnapshot snapshot;

  private static InetAddress ip(String text) {
    return InetAddresses.forString(text);
  }

  private static ResolvedName to(String... ips) {
    return new ResolvedName(List.of(ips).stream().map(TrustSnapshotTest::ip).toList(), false);
  }

  @BeforeAll
  static void build() {
    try (InMemoryLdap ldap = InMemoryLdap.start()) {
      var pool = ldap.pool();
      TestDirectories.load(pool, "ldif/sample.ldif");
      sample =
          new DirectoryStore(pool, DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE))
              .readAll()
              .contents();
      pool.close();
    }
    snapshot =
        TrustSnapshot.build(
            sample,
            Map.of(
                new NameKey("localhost", IpAddressFamily.IPv4Only), to("127.0.0.1"),
                new NameKey("edge.fabrikam.test", IpAddressFamily.Any), to("::1", "127.0.0.3"),
                new NameKey("pbx.contoso.test", IpAddressFamily.IPv4Only), to("127.0.0.3"),
                new NameKey("um01.contoso.test", IpAddressFamily.Any), to("127.0.0.8")),
            NOW);
  }

  @Test
  void names_areTheLinkedGatewayAndServerFqdns() {
    assertThat(TrustSnapshot.namesOf(sample))
        .containsExactlyInAnyOrder(
            new NameKey("localhost", IpAddressFamily.IPv4Only),
            new NameKey("edge.fabrikam.test", IpAddressFamily.Any),
            new NameKey("pbx.contoso.test", IpAddressFamily.IPv4Only),
            new NameKey("um01.contoso.test", IpAddressFamily.Any));
    // namesOf answers without building; it must ask for exactly what the build asks for.
    assertThat(TrustSnapshot.namesOf(sample))
        .isEqualTo(TrustSnapshot.build(sample, Map.of(), NOW).names());
  }

  @Test
  void peers_sortedIpv4ThenIpv6_withGatewaysServersNamesStatusAndTransport() {
    assertThat(snapshot.peers())
        .extracting(
            Peer::addressText,
            Peer::gatewayNames,
            Peer::servers,
            Peer::fqdns,
            Peer::status,
            Peer::transport,
            Peer::port)
        .containsExactly(
            tuple(
                "127.0.0.1",
                List.of("Fabrikam-SBC"),
                List.of(),
                List.of("localhost"),
                GatewayStatus.Enabled,
                Transport.tls,
                5061),
            tuple(
                "127.0.0.2",
                List.of("Contoso-SBC1"),
                List.of(),
                List.of(),
                GatewayStatus.Enabled,
                Transport.tcp,
                5060),
            tuple(
                "127.0.0.3",
                List.of("Fabrikam-Edge", "Legacy-PBX"),
                List.of(),
                List.of("edge.fabrikam.test", "pbx.contoso.test"),
                GatewayStatus.Enabled,
                Transport.tls,
                5061),
            tuple(
                "127.0.0.4",
                List.of("Retired-Gateway"),
                List.of(),
                List.of(),
                GatewayStatus.Disabled,
                Transport.tcp,
                5060),
            tuple(
                "127.0.0.5",
                List.of("Lab Simulator"),
                List.of(),
                List.of(),
                GatewayStatus.Enabled,
                Transport.tcp,
                5060),
            tuple(
                "127.0.0.7",
                List.of("Tokyo-Gateway"),
                List.of(),
                List.of(),
                GatewayStatus.Enabled,
                Transport.tcp,
                5060),
            tuple(
                "127.0.0.8",
                List.of(),
                List.of("UM-Server-01"),
                List.of("um01.contoso.test"),
                GatewayStatus.Enabled,
                Transport.tcp,
                5060),
            tuple(
                "127.0.0.9",
                List.of(),
                List.of("UM-Server-02"),
                List.of(),
                GatewayStatus.Enabled,
                Transport.tcp,
                5060),
            tuple(
                "::1",
                List.of("Contoso-PBX (Building 2)", "Fabrikam-Edge"),
                List.of(),
                List.of("edge.fabrikam.test"),
                GatewayStatus.Enabled,
                Transport.tls,
                5061));
    // The gateway without a hunt group is known to the directory but not a peer.
    assertThat(snapshot.lookup(ip("127.0.0.6"))).isEmpty();
  }

  @Test
  void members_eachGatewayKeepsItsOwnStatusTransportPortAndName() {
    assertThat(snapshot.lookup(ip("127.0.0.3")).orElseThrow().members())
        .containsExactly(
            new PeerMember(
                PeerMember.Kind.GATEWAY,
                "Fabrikam-Edge",
                GatewayStatus.Enabled,
                Transport.tls,
                5061,
                "edge.fabrikam.test"),
            new PeerMember(
                PeerMember.Kind.GATEWAY,
                "Legacy-PBX",
                GatewayStatus.NoNewCalls,
                Transport.tcp,
                5060,
                "pbx.contoso.test"));
    assertThat(snapshot.lookup(ip("::1")).orElseThrow().members())
        .extracting(PeerMember::name, PeerMember::transport, PeerMember::port, PeerMember::fqdn)
        .containsExactly(
            tuple("Contoso-PBX (Building 2)", Transport.tcp, 5060, null),
            tuple("Fabrikam-Edge", Transport.tls, 5061, "edge.fabrikam.test"));
    assertThat(snapshot.lookup(ip("127.0.0.8")).orElseThrow().members())
        .containsExactly(
            new PeerMember(
                PeerMember.Kind.SERVER,
                "UM-Server-01",
                GatewayStatus.Enabled,
                Transport.tcp,
                5060,
                "um01.contoso.test"));
    assertThat(snapshot.peers())
        .filteredOn(p -> !p.allowListed())
        .extracting(Peer::addressText)
        .containsExactly("127.0.0.4");
  }

  @Test
  void members_serverBesideADisabledGateway_isAllowListedAndTheIpEnabled() {
    Peer p = gatewayAndServerOnOneIp(GatewayStatus.Disabled).peers().get(0);

    assertThat(p.members())
        .extracting(PeerMember::kind, PeerMember::name, PeerMember::status, PeerMember::allowListed)
        .containsExactly(
            tuple(PeerMember.Kind.GATEWAY, "gw-shared", GatewayStatus.Disabled, false),
            tuple(PeerMember.Kind.SERVER, "um-shared", GatewayStatus.Enabled, true));
    assertThat(p.allowListed()).isTrue();
    assertThat(p.status()).isEqualTo(GatewayStatus.Enabled);
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }

  @Test
  void duplicates_event1175ForTwoNamesAndForTwoGatewaysOnOneIp() {
    assertThat(snapshot.duplicates())
        .extracting(Event::id, e -> e.details().get("address"), e -> e.details().get("gateways"))
        .containsExactly(
            tuple(1175, "127.0.0.3", List.of("Fabrikam-Edge", "Legacy-PBX")),
            tuple(1175, "::1", List.of("Contoso-PBX (Building 2)", "Fabrikam-Edge")));
    assertThat(snapshot.duplicates().get(0).message())
        .isEqualTo(
            "IP address 127.0.0.3 is reached by UM IP gateway Fabrikam-Edge, UM IP gateway"
                + " Legacy-PBX (names edge.fabrikam.test, pbx.contoso.test); all of them stay"
                + " trusted on this address");
  }

  @Test
  void equalIpLiteralsOnTwoGateways_event1175() {
    Gateway a = Gateway.builder("a", "192.0.2.1").build();
    Gateway b = Gateway.builder("b", "192.0.2.1").build();
    DirectoryContents c =
        new DirectoryContents(
            sample.dialPlans(),
            List.of(a, b),
            List.of(
                org.umgw.model.HuntGroup.defaultFor("a", "Contoso Extensions"),
                org.umgw.model.HuntGroup.defaultFor("b", "Contoso Extensions")),
            List.of());
    TrustSnapshot s = TrustSnapshot.build(c, Map.of(), NOW);
    assertThat(s.peers()).hasSize(1);
    assertThat(s.duplicates()).extracting(Event::type).containsExactly(EventId.DUPLICATE_PEER_IP);
  }

  /** A gateway {@code status} and a UM server on 192.0.2.20, the gateway in Contoso Extensions. */
  private static TrustSnapshot gatewayAndServerOnOneIp(GatewayStatus status) {
    Gateway g = Gateway.builder("gw-shared", "192.0.2.20").status(status).build();
    return TrustSnapshot.build(
        new DirectoryContents(
            sample.dialPlans(),
            List.of(g),
            List.of(org.umgw.model.HuntGroup.defaultFor("gw-shared", "Contoso Extensions")),
            List.of(
                org.umgw.model.UmServer.of(
                    "um-shared", "https://192.0.2.20/EWS/Exchange.asmx", null))),
        Map.of(),
        NOW);
  }

  @Test
  void serverSharingIpWithDisabledGateway_staysAllowListed_andIsNotRefusedAsNotEnabled() {
    TrustSnapshot s = gatewayAndServerOnOneIp(GatewayStatus.Disabled);

    // The server on the IP is trusted whatever the gateway's status: every allow-list keeps it.
    assertThat(org.umgw.export.TrustList.of(s, List.of(), NOW).allowed())
        .extracting(Peer::addressText)
        .containsExactly("192.0.2.20");
    // A request from it is a trusted peer's without a hunt group, not a disabled gateway's.
    Admission.Refused r = (Admission.Refused) s.admit(ip("192.0.2.20"), "1", false, CLOCK);
    assertThat(r.reason()).isEqualTo(Admission.Reason.NO_HUNT_GROUP);
    assertThat(r.event().id()).isNotEqualTo(1442);
  }

  @Test
  void serverSharingIpWithNoNewCallsGateway_isRefusedForNoHuntGroup() {
    TrustSnapshot s = gatewayAndServerOnOneIp(GatewayStatus.NoNewCalls);

    Admission.Refused r = (Admission.Refused) s.admit(ip("192.0.2.20"), "1", false, CLOCK);

    assertThat(r.reason()).isEqualTo(Admission.Reason.NO_HUNT_GROUP);
  }

  @Test
  void serverSharingIpWithEnabledGateway_isRoutedByTheGatewaysHuntGroup() {
    TrustSnapshot s = gatewayAndServerOnOneIp(GatewayStatus.Enabled);

    Admission a = s.admit(ip("192.0.2.20"), "1", false, CLOCK);

    assertThat(a).isInstanceOf(Admission.Accepted.class);
    assertThat(((Admission.Accepted) a).gateway().name()).isEqualTo("gw-shared");
  }

  @Test
  void gatewayAndServerOnOneIp_event1175NamingBoth() {
    TrustSnapshot s = gatewayAndServerOnOneIp(GatewayStatus.Enabled);

    assertThat(s.duplicates()).hasSize(1);
    Event e = s.duplicates().get(0);
    assertThat(e.type()).isEqualTo(EventId.DUPLICATE_PEER_IP);
    assertThat(e.details())
        .containsEntry("address", "192.0.2.20")
        .containsEntry("gateways", List.of("gw-shared"))
        .containsEntry("servers", List.of("um-shared"));
    assertThat(e.message())
        .isEqualTo(
            "IP address 192.0.2.20 is reached by UM IP gateway gw-shared, UM server um-shared;"
                + " all of them stay trusted on this address");
  }

  @Test
  void twoServersOnOneIp_event1175() {
    TrustSnapshot s =
        TrustSnapshot.build(
            new DirectoryContents(
                List.of(),
                List.of(),
                List.of(),
                List.of(
                    org.umgw.model.UmServer.of("um-a", "https://192.0.2.30/EWS", null),
                    org.umgw.model.UmServer.of("um-b", "https://192.0.2.30/EWS", null))),
            Map.of(),
            NOW);

    assertThat(s.duplicates())
        .extracting(e -> e.details().get("address"), e -> e.details().get("servers"))
        .containsExactly(tuple("192.0.2.30", List.of("um-a", "um-b")));
  }

  @ParameterizedTest(name = "{0} pilot \"{1}\" tls={2} -> {3}")
  @CsvSource(
      nullValues = "null",
      value = {
        // trusted, exact pilot, other dial plan
        "127.0.0.2, +14255550199, false, ACCEPTED, Contoso-SBC1, Sales Voice Mail, Contoso E.164",
        // catch-all
        "127.0.0.2, 12345, false, ACCEPTED, Contoso-SBC1, Default Hunt Group, Contoso Extensions",
        "127.0.0.2, '', false, ACCEPTED, Contoso-SBC1, Default Hunt Group, Contoso Extensions",
        "127.0.0.2, null, false, ACCEPTED, Contoso-SBC1, Default Hunt Group, Contoso Extensions",
        // TLS call to an unsecured gateway: no hunt group matches
        "127.0.0.2, 12345, true, NO_HUNT_GROUP, null, null, null",
        // pilot in another case, secured dial plan over TLS
        "127.0.0.1, UMPilot, true, ACCEPTED, Fabrikam-SBC, Lync Pilot, Fabrikam Lync",
        // same pilot without TLS: security must match
        "127.0.0.1, umpilot, false, NO_HUNT_GROUP, null, null, null",
        // no catch-all, unknown pilot
        "127.0.0.1, other, true, NO_HUNT_GROUP, null, null, null",
        // two gateways on one IP: the Enabled one routes
        "127.0.0.3, overflow, true, ACCEPTED, Fabrikam-Edge, Lync Overflow, Fabrikam Lync",
        "::1, 4444, false, ACCEPTED, Contoso-PBX (Building 2), Default Hunt Group, Contoso Extensions",
        "::1, 4444, true, ACCEPTED, Fabrikam-Edge, Default Hunt Group, Fabrikam Secure Voice",
        // Disabled
        "127.0.0.4, 12345, false, GATEWAY_NOT_ENABLED, null, null, null",
        // simulator is trusted
        "127.0.0.5, 59999, false, ACCEPTED, Lab Simulator, Test Pilot, Contoso Extensions",
        // untrusted, and a gateway without hunt group
        "127.0.0.99, 12345, false, UNTRUSTED_SOURCE, null, null, null",
        "127.0.0.6, 12345, false, UNTRUSTED_SOURCE, null, null, null",
        // a UM server's address is trusted but has no hunt group
        "127.0.0.9, 12345, false, NO_HUNT_GROUP, null, null, null",
      })
  void admit_table(
      String source,
      String pilot,
      boolean tls,
      String outcome,
      String gateway,
      String huntGroup,
      String dialPlan) {
    Admission a = snapshot.admit(ip(source), pilot, tls, CLOCK);
    if (outcome.equals("ACCEPTED")) {
      assertThat(a).isInstanceOf(Admission.Accepted.class);
      Admission.Accepted ok = (Admission.Accepted) a;
      assertThat(ok.gateway().name()).isEqualTo(gateway);
      assertThat(ok.huntGroup().name()).isEqualTo(huntGroup);
      assertThat(ok.dialPlan().name()).isEqualTo(dialPlan);
    } else {
      assertThat(a).isInstanceOf(Admission.Refused.class);
      assertThat(((Admission.Refused) a).reason()).hasToString(outcome);
    }
  }

  @Test
  void admit_noNewCalls_event1442() {
    TrustSnapshot s =
        TrustSnapshot.build(
            sample,
            Map.of(new NameKey("pbx.contoso.test", IpAddressFamily.IPv4Only), to("127.0.0.30")),
            NOW);
    Admission.Refused r = (Admission.Refused) s.admit(ip("127.0.0.30"), "1", false, CLOCK);
    assertThat(r.reason()).isEqualTo(Admission.Reason.GATEWAY_NOT_ENABLED);
    assertThat(r.event().id()).isEqualTo(1442);
    assertThat(r.event().message())
        .isEqualTo(
            "A call from 127.0.0.30 was refused: UM IP gateway Legacy-PBX (NoNewCalls) is not"
                + " Enabled");
  }

  @Test
  void admit_untrusted_event1021NamesTheAddress() {
    Admission.Refused r = (Admission.Refused) snapshot.admit(ip("2001:db8::99"), "1", false, CLOCK);
    assertThat(r.event().id()).isEqualTo(1021);
    assertThat(r.event().message())
        .isEqualTo("No valid UM IP gateway was found with address 2001:db8::99");
    assertThat(r.event().time()).isEqualTo(NOW);
  }

  @Test
  void admit_trustedCall_returnsPrebuiltAnswer() {
    assertThat(snapshot.admit(ip("127.0.0.2"), "x", false, CLOCK))
        .isSameAs(snapshot.admit(ip("127.0.0.2"), "y", false, CLOCK));
  }

  @Test
  void outboundAndMwi_enabledNonSimulatorAllowedAndFqdnForSecured() {
    assertThat(snapshot.outboundGateways("Contoso Extensions"))
        .extracting(Gateway::name)
        .containsExactly("Contoso-PBX (Building 2)", "Contoso-SBC1");
    assertThat(snapshot.outboundGateway("Fabrikam Lync").map(Gateway::name))
        .contains("Fabrikam-SBC");
    assertThat(snapshot.mwiGateway("Fabrikam Lync").map(Gateway::name)).contains("Fabrikam-Edge");
    assertThat(snapshot.outboundGateway("Contoso E.164").map(Gateway::name))
        .contains("Contoso-SBC1");
    assertThat(snapshot.outboundGateway("No Such Plan")).isEmpty();
    // A gateway whose name does not resolve cannot carry outbound calls.
    TrustSnapshot unresolved = TrustSnapshot.build(sample, Map.of(), NOW);
    assertThat(unresolved.outboundGateway("Fabrikam Lync")).isEmpty();
  }

  @Test
  void lookup_returnsTheSameOptionalEveryTime() {
    assertThat(snapshot.lookup(ip("127.0.0.2"))).isSameAs(snapshot.lookup(ip("127.0.0.2")));
    assertThat(snapshot.lookup(ip("127.0.0.2")).orElseThrow().gatewayNames())
        .containsExactly("Contoso-SBC1");
  }
}
