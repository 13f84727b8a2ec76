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
   * S is A rebuilt from a backup (same entryUUIDs, A's server ID, not replicating yet), taken
   * before A's last change. Offered A's cookie, S finds it newer than its own state and refuses it
   * (slapd answers 53 "consumer state is newer than provider"; RFC 4533 servers answer
   * e-syncRefreshRequired): the feed reads S in full, the directory as far as anyone alive can
   * tell.
   *
   * <p>(Replicas, multi-provider peers included, accept a cookie newer than their state and send
   * nothing: the feed keeps the change it already had, which they receive once A returns.)
   */
  @Test
  void cookieRefusedByAStandbyRestoredFromABackup_endsInAFullRefreshOfItsContents()
      throws Exception {
    try (Slapd a = Slapd.start();
        Slapd b = Slapd.start();
        Slapd standby = Slapd.start()) {
      SlapdReplication.multiProvider(List.of(a, b));
      a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);
      SlapdReplication.restoreBackup(a, standby);
      // A rebuilt from its backup keeps its server ID: slapd only refuses a cookie that is newer
      // than its state for its own server ID (for others it may just be behind its peers).
      SlapdReplication.serverId(standby, 1);

      try (Following f = follow(a, a.url() + "," + standby.url(), FeedOptions.defaults())) {
        f.recorder.awaitInitial(GENEROUS);
        DirectoryFeedSlapdTest.ldapmodify(
            a,
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + a.suffix()
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disabled\n-\n");
        f.recorder.await("change on A", rd -> disabled(rd, "Contoso-SBC1"), GENEROUS);
        a.kill9();

        FeedRecorder.Delivery after =
            f.recorder.await(
                "full refresh of the standby, which misses the change",
                rd -> !disabled(rd, "Contoso-SBC1"),
                GENEROUS);
        assertThat(after.update().server()).isEqualTo(name(standby));
        assertThat(after.update().fullRefresh()).isTrue();
        assertThat(after.read().contents().gateways()).hasSize(9);
        assertThat(after.read().problems()).isEmpty();
        assertThat(f.feed.stats())
            .as("initial load, refusal, full refresh")
            .isEqualTo(new FeedStats(2, 0, 0, 1));
      }
    }
  }

  /**
   * B, a peer of A, was down while A took a change, and A dies before B is back: offered A's
   * cookie, newer than its state, B accepts it and sends nothing (slapd refuses a newer cookie only
   * for its own server ID). The feed keeps the change it already had, no full refresh, and once A
   * returns B catches up and the two agree again.
   */
  @Test
  void peerBehindTheCookie_acceptsIt_andTheFeedKeepsWhatItHad() throws Exception {
    try (Slapd a = Slapd.start();
        Slapd b = Slapd.start()) {
      SlapdReplication.multiProvider(List.of(a, b));
      a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);

      try (Following f = follow(a, a.url() + "," + b.url(), FeedOptions.defaults())) {
        f.recorder.awaitInitial(GENEROUS);
        b.stop();
        DirectoryFeedSlapdTest.ldapmodify(
            a,
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + a.suffix()
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disabled\n-\n");
        f.recorder.await("change on A", rd -> disabled(rd, "Contoso-SBC1"), GENEROUS);
        a.stop();
        b.restart();
        org.awaitility.Awaitility.await()
            .atMost(GENEROUS)
            .until(() -> f.feed.stats().resumedAcrossServers() == 1);
        assertThat(f.feed.stats()).isEqualTo(new FeedStats(1, 1, 1, 0));
        assertThat(disabled(f.recorder.latest(), "Contoso-SBC1")).isTrue();

        a.restart();
        SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);
        DirectoryFeedSlapdTest.ldapmodify(
            b,
            "dn: cn=Tokyo-Gateway,ou=gateways,"
                + b.suffix()
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disabled\n-\n");
        f.recorder.await("change on B", rd -> disabled(rd, "Tokyo-Gateway"), GENEROUS);
        assertThat(disabled(f.recorder.latest(), "Contoso-SBC1")).isTrue();
        assertThat(f.feed.stats().fullRefreshes()).isEqualTo(1);
      }
    }
  }

  /**
   * C is not a replica (the same sample loaded separately) but claims A's server ID (a rebuilt
   * server given a reused ID) and changed after A's cookie: slapd would find nothing wrong with the
   * cookie and resume, naming entries the feed never received (it was seen to leave A's and C's
   * copies of a gateway side by side). The base entry's entryUUID differs, so the feed never offers
   * the cookie and reads C in full.
   */
  @Test
  void nonReplicaWithAReusedServerId_isNotOfferedTheCookie_andIsReadInFull() throws Exception {
    try (Slapd c = Slapd.start();
        Slapd a = Slapd.start();
        Slapd b = Slapd.start()) {
      SlapdReplication.serverId(c, 1);
      c.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      c.ldapTool("ldapdelete", TOKYO_HUNT_GROUP + c.suffix()).assertOk();
      SlapdReplication.multiProvider(List.of(a, b));
      a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);

      try (Following f = follow(a, a.url() + "," + c.url(), FeedOptions.defaults())) {
        f.recorder.awaitInitial(GENEROUS);
        // C changes after A's cookie: its state is newer, so slapd accepts the cookie.
        DirectoryFeedSlapdTest.ldapmodify(
            c,
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + c.suffix()
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disabled\n-\n");
        a.kill9();
        FeedRecorder.Delivery after =
            f.recorder.await(
                "the non-replica's contents",
                r ->
                    FeedScenario.huntGroup(r, "Tokyo-Gateway", "Default Hunt Group") == null
                        && FeedScenario.gateway(r, "Contoso-SBC1").status()
                            == org.umgw.model.GatewayStatus.Disabled,
                GENEROUS);
        assertThat(after.update().server()).isEqualTo(name(c));
        assertThat(after.read().contents().gateways()).hasSize(9);
        assertThat(after.read().problems()).isEmpty();
        Thread.sleep(500);
        assertThat(f.recorder.latest()).isEqualTo(after.read());
        assertThat(f.feed.stats())
            .as("initial load, then a full refresh: the cookie is not offered")
            .isEqualTo(new FeedStats(2, 0, 0, 0));
      }
    }
  }

  /**
   * The deployment of docs/scaling.md: a SIP server follows its local read-only replica R of a
   * multi-provider set, with the providers after it in the failover list. R dies: the feed resumes
   * on provider A from R's cookie (R's contextCSN carries the providers' server IDs).
   */
  @Test
  void localReplicaDies_feedResumesOnAProviderFromItsCookie() throws Exception {
    try (Slapd a = Slapd.start();
        Slapd b = Slapd.start();
        Slapd r = Slapd.start()) {
      SlapdReplication.multiProvider(List.of(a, b));
      SlapdReplication.consumer(r, a, 11);
      a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      SlapdReplication.awaitConverged(List.of(a, b, r), GENEROUS);

      try (Following f = follow(a, r.url() + "," + a.url(), FeedOptions.defaults())) {
        FeedRecorder.Delivery initial = f.recorder.awaitInitial(GENEROUS);
        assertThat(initial.update().server()).isEqualTo(name(r));
        r.kill9();
        DirectoryFeedSlapdTest.ldapmodify(
            b,
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + b.suffix()
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disabled\n-\n");
        FeedRecorder.Delivery after =
            f.recorder.await("change on B, via A", rd -> disabled(rd, "Contoso-SBC1"), GENEROUS);
        assertThat(after.update().server()).isEqualTo(name(a));
        assertThat(after.update().fullRefresh()).isFalse();
        assertThat(f.feed.stats()).isEqualTo(new FeedStats(1, 1, 1, 0));
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

  private static boolean disabled(org.umgw.directory.DirectoryRead r, String gateway) {
    return FeedScenario.gateway(r, gateway).status() == org.umgw.model.GatewayStatus.Disabled;
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
