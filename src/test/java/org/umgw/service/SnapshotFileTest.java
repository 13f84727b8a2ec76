package org.umgw.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UmServer;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.TestDirectories;
import org.umgw.trust.NameKey;
import org.umgw.trust.Peer;
import org.umgw.trust.ResolvedName;
import org.umgw.trust.TrustSnapshot;

/** The on-disk copy gives back the same peers, member by member, as the snapshot it saved. */
class SnapshotFileTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @Test
  void saveThenLoad_rebuildsTheSamePeersAndMembers(@TempDir Path dir) {
    DirectoryContents sample;
    try (InMemoryLdap ldap = InMemoryLdap.start()) {
      var pool = ldap.pool();
      TestDirectories.load(pool, "ldif/sample.ldif");
      sample =
          new DirectoryStore(pool, DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE))
              .readAll()
              .contents();
      pool.close();
    }
    // Plus a UM server beside a Disabled gateway: per-member status must survive the copy.
    List<Gateway> gateways = new ArrayList<>(sample.gateways());
    gateways.add(Gateway.builder("gw-off", "192.0.2.20").status(GatewayStatus.Disabled).build());
    List<HuntGroup> groups = new ArrayList<>(sample.huntGroups());
    groups.add(HuntGroup.defaultFor("gw-off", "Contoso Extensions"));
    List<UmServer> servers = new ArrayList<>(sample.servers());
    servers.add(UmServer.of("um-shared", "https://192.0.2.20/EWS", null));
    DirectoryContents contents =
        new DirectoryContents(sample.dialPlans(), gateways, groups, servers);
    TrustSnapshot saved =
        TrustSnapshot.build(
            contents,
            Map.of(
                new NameKey("localhost", IpAddressFamily.IPv4Only), to("127.0.0.1"),
                new NameKey("edge.fabrikam.test", IpAddressFamily.Any), to("::1", "127.0.0.3"),
                new NameKey("pbx.contoso.test", IpAddressFamily.IPv4Only), to("127.0.0.3"),
                new NameKey("um01.contoso.test", IpAddressFamily.Any), to("127.0.0.8")),
            NOW);
    SnapshotFile file =
        new SnapshotFile(
            dir.resolve("snapshot.json"), DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));

    file.save(saved, "ldap://127.0.0.1:389", NOW);
    SnapshotFile.Saved loaded = file.load().orElseThrow();
    TrustSnapshot restored = TrustSnapshot.build(loaded.contents(), loaded.names(), NOW);

    // Addresses read back from the copy are stale by design; everything else is equal.
    assertThat(restored.peers())
        .extracting(Peer::addressText, Peer::members, Peer::status, Peer::allowListed)
        .containsExactlyElementsOf(
            saved.peers().stream()
                .map(
                    p ->
                        org.assertj.core.groups.Tuple.tuple(
                            p.addressText(), p.members(), p.status(), p.allowListed()))
                .toList());
    assertThat(restored.lookup(InetAddresses.forString("192.0.2.20")).orElseThrow().allowListed())
        .isTrue();
    assertThat(restored.duplicates()).hasSameSizeAs(saved.duplicates()).hasSize(3);
  }

  private static ResolvedName to(String... ips) {
    return new ResolvedName(List.of(ips).stream().map(InetAddresses::forString).toList(), false);
  }
}
