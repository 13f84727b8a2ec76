package org.umgw.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.dns.DnsResolver;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.testing.Ds389;
import org.umgw.testing.SampleDs389;

/**
 * The whole service following a 389 Directory Server instance by persistent search (389's default):
 * ldapmodify edits and deletions reach the snapshot within seconds, and lookups keep answering from
 * the last good list while ns-slapd is killed, then the service catches up with a change made
 * before it could reconnect.
 */
class TrustServiceDs389Test {
  private static final Logger LOG = LoggerFactory.getLogger(TrustServiceDs389Test.class);
  private static final Duration GENEROUS = Duration.ofSeconds(30);
  private static final String SPARE_HG =
      "cn=Default Hunt Group,cn=Spare-Gateway,ou=gateways,dc=umgw,dc=example";

  @RegisterExtension static final SampleDs389 DS = SampleDs389.persistentSearch();

  private DnsResolver resolver;
  private TrustService service;

  @BeforeEach
  void setUp() {
    resolver =
        DnsResolver.builder()
            .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
            .hostsFiles(List.of(DS.hosts()))
            .timeout(Duration.ofMillis(200))
            .retries(0)
            .build();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (service != null) {
      service.close();
    }
    resolver.close();
    if (!DS.ds().isRunning()) {
      DS.ds().restart();
    }
    DS.ds().ldapTool("ldapdelete", SPARE_HG); // gone already, or left by a failed test
  }

  private TrustService start(FeedOptions feed) {
    Ds389 ds = DS.ds();
    service =
        TrustService.builder()
            .directory(
                DirectoryConfig.builder(ds.url())
                    .bind(ds.readerDn(), ds.readerPasswordFile())
                    .connectTimeout(Duration.ofSeconds(1))
                    .responseTimeout(Duration.ofSeconds(5))
                    .build())
            .feedOptions(feed)
            .resolver(resolver)
            .baseDn(ds.suffix())
            .build()
            .start();
    return service;
  }

  private static InetAddress ip(String text) {
    return InetAddresses.forString(text);
  }

  private static void linkSpareGateway() throws Exception {
    DS.ds()
        .ldapmodify(
            "dn: "
                + SPARE_HG
                + "\nchangetype: add\nobjectClass: top\nobjectClass: umHuntGroup\n"
                + "cn: Default Hunt Group\n"
                + "umDialPlanLink: cn=Contoso Extensions,ou=dialplans,dc=umgw,dc=example\n");
  }

  @Test
  void ldapmodifyAndDelete_reachTheSnapshotWithinSeconds_byPersistentSearch() throws Exception {
    TrustService s = start(FeedOptions.defaults());
    assertThat(s.status().feed()).isEqualTo(FeedKind.PERSISTENT_SEARCH);
    assertThat(s.lookup(ip("127.0.0.2"))).isPresent();
    assertThat(s.lookup(ip("127.0.0.6"))).isEmpty();
    List<Long> millis = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      // Spare-Gateway has no hunt group: linking it trusts 127.0.0.6, deleting the link untrusts.
      long t0 = System.nanoTime();
      linkSpareGateway();
      await().atMost(GENEROUS).until(() -> s.lookup(ip("127.0.0.6")).isPresent());
      millis.add((System.nanoTime() - t0) / 1_000_000);
      t0 = System.nanoTime();
      DS.ds().ldapTool("ldapdelete", SPARE_HG).assertOk();
      await().atMost(GENEROUS).until(() -> s.lookup(ip("127.0.0.6")).isEmpty());
      millis.add((System.nanoTime() - t0) / 1_000_000);
    }
    LOG.info("389-DS: ldapmodify/ldapdelete to snapshot, ms: {}", millis);
    List<Long> sorted = millis.stream().sorted().toList();
    assertThat(sorted.get(sorted.size() / 2)).as("median ms of %s", millis).isLessThan(2000);
  }

  @Test
  void nsSlapdKilled_lookupsKeepTheLastList_thenAChangeMadeBeforeTheReconnectIsCaughtUp()
      throws Exception {
    // An 8 s back-off leaves time to write to the restarted server before the feed is back.
    TrustService s =
        start(FeedOptions.defaults().withBackoff(Duration.ofSeconds(8), Duration.ofSeconds(8)));
    assertThat(s.lookup(ip("127.0.0.2"))).isPresent();
    DS.ds().kill9();
    await().atMost(GENEROUS).until(() -> !s.status().connected());
    assertThat(s.lookup(ip("127.0.0.2"))).as("last good list while 389 is down").isPresent();
    DS.ds().restart();
    linkSpareGateway();
    assertThat(s.status().connected()).as("written before the feed reconnected").isFalse();
    await().atMost(GENEROUS).until(() -> s.lookup(ip("127.0.0.6")).isPresent());
    assertThat(s.status().connected()).isTrue();
    assertThat(s.status().feed()).isEqualTo(FeedKind.PERSISTENT_SEARCH);
  }
}
