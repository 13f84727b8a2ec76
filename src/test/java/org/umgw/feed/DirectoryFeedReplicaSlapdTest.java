package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.Slapd;
import org.umgw.testing.SlapdReplication;

/**
 * Which cookie a feed offers after failing over, against real slapd: a server outside the
 * replication set that refuses it still ends in a correct full refresh, and resuming across servers
 * can be turned off.
 */
class DirectoryFeedReplicaSlapdTest {
  private static final Duration GENEROUS = Duration.ofSeconds(20);
  private static final String TOKYO_HUNT_GROUP =
      "cn=Default Hunt Group,cn=Tokyo-Gateway,ou=gateways,";

  /**
   * C is not a replica but claims A's server ID (a rebuilt server given a reused ID): the feed
   * offers it A's cookie, C finds the cookie newer than its own state and refuses it, and the feed
   * reads C in full, C's contents and nothing of A's.
   */
  @Test
  void cookieRefusedByANonReplica_endsInAFullRefreshOfItsContents() throws Exception {
    try (Slapd c = Slapd.start();
        Slapd a = Slapd.start();
        Slapd b = Slapd.start()) {
      SlapdReplication.serverId(c, 1);
      c.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      c.ldapTool("ldapdelete", TOKYO_HUNT_GROUP + c.suffix()).assertOk();
      SlapdReplication.multiProvider(List.of(a, b));
      a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);
      // Only A wrote: its cookie names server ID 1 alone, which C's contextCSN also names, so the
      // feed's own check lets the cookie through and the refusal is slapd's.
      assertThat(SlapdReplication.contextCsn(a)).allMatch(csn -> csn.contains("#001#"));
      assertThat(SlapdReplication.contextCsn(c)).allMatch(csn -> csn.contains("#001#"));

      try (Following f = follow(a, a.url() + "," + c.url(), FeedOptions.defaults())) {
        FeedRecorder.Delivery initial = f.recorder.awaitInitial(GENEROUS);
        assertThat(initial.update().server()).isEqualTo(name(a));

        a.kill9();
        FeedRecorder.Delivery after =
            f.recorder.await(
                "full refresh from the non-replica",
                r -> FeedScenario.huntGroup(r, "Tokyo-Gateway", "Default Hunt Group") == null,
                GENEROUS);
        assertThat(after.update().server()).isEqualTo(name(c));
        assertThat(after.update().fullRefresh()).isTrue();
        assertThat(after.read().contents().gateways()).hasSize(9);
        assertThat(after.read().problems()).isEmpty();
        assertThat(f.feed.stats())
            .isEqualTo(new FeedStats(2, 0, 0, 1))
            .as("initial load, refusal, full refresh");

        // And C is followed from there on.
        DirectoryFeedSlapdTest.ldapmodify(
            c,
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + c.suffix()
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disabled\n-\n");
        f.recorder.await(
            "change on the non-replica",
            r ->
                FeedScenario.gateway(r, "Contoso-SBC1").status()
                    == org.umgw.model.GatewayStatus.Disabled,
            GENEROUS);
      }
    }
  }

  /** With resuming across servers off, a fail-over within the replication set reads everything. */
  @Test
  void resumeAcrossServersOff_failoverReadsEverythingAgain() throws Exception {
    try (Slapd a = Slapd.start();
        Slapd b = Slapd.start()) {
      SlapdReplication.multiProvider(List.of(a, b));
      a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);
      try (Following f =
          follow(
              a, a.url() + "," + b.url(), FeedOptions.defaults().withResumeAcrossServers(false))) {
        f.recorder.awaitInitial(GENEROUS);
        a.kill9();
        DirectoryFeedSlapdTest.ldapmodify(
            b,
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + b.suffix()
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disabled\n-\n");
        FeedRecorder.Delivery after =
            f.recorder.await(
                "change on the second provider",
                r ->
                    FeedScenario.gateway(r, "Contoso-SBC1").status()
                        == org.umgw.model.GatewayStatus.Disabled,
                GENEROUS);
        assertThat(after.update().server()).isEqualTo(name(b));
        assertThat(f.feed.stats().fullRefreshes()).isEqualTo(2);
        assertThat(f.feed.stats().resumedAcrossServers()).isZero();
      }
    }
  }

  private record Following(LDAPConnectionPool pool, DirectoryFeed feed, FeedRecorder recorder)
      implements AutoCloseable {
    @Override
    public void close() {
      feed.close();
      pool.close();
    }
  }

  private static Following follow(Slapd credentials, String urls, FeedOptions options)
      throws Exception {
    LDAPConnectionPool pool =
        DirectoryConnector.open(
            DirectoryConfig.builder(urls)
                .bind(credentials.rootDn(), credentials.rootPasswordFile())
                .build());
    DirectoryFeed feed =
        DirectoryFeeds.open(
            pool,
            DirectoryLayout.of(credentials.suffix()),
            options.withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
    FeedRecorder recorder = new FeedRecorder();
    feed.start(recorder);
    return new Following(pool, feed, recorder);
  }

  private static String name(Slapd s) {
    return s.host() + ":" + s.port();
  }
}
