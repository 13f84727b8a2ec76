package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ContentSyncDoneControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.testing.SampleDs389;

/**
 * The feed against 389-DS with the Retro Changelog and Content Synchronization plugins on: the root
 * DSE then lists the RFC 4533 control and {@code changelog: cn=changelog}, the feed picks content
 * sync, resumes from 389's cookie after a restart, and the retro changelog serves the changelog
 * mode when it is forced.
 */
class DirectoryFeedDs389ContentSyncTest {
  private static final Logger LOG =
      LoggerFactory.getLogger(DirectoryFeedDs389ContentSyncTest.class);
  private static final Duration GENEROUS = Duration.ofSeconds(30);

  @RegisterExtension static final SampleDs389 DS = SampleDs389.contentSync();

  @RegisterExtension static final Ds389Follower FOLLOWER = Ds389Follower.asReader(DS);

  private static FeedRecorder follow(FeedOptions options) {
    return FOLLOWER.follow(options);
  }

  @Test
  void rootDse_withThePlugins_offersContentSyncFirst() throws Exception {
    try (LDAPConnection c = new LDAPConnection(DS.ds().host(), DS.ds().port())) {
      ServerInfo info = ServerInfo.read(c);
      assertThat(info.changelog()).isEqualToIgnoringCase("cn=changelog");
      assertThat(info.offered())
          .containsExactly(
              FeedKind.SYNCREPL, FeedKind.PERSISTENT_SEARCH, FeedKind.CHANGELOG, FeedKind.POLLING);
    }
  }

  @Test
  void contentSync_initialLoadThenAddModifyDelete_eachReachesADelivery() throws Exception {
    FeedRecorder recorder = follow(FeedOptions.defaults());
    assertThat(FOLLOWER.feed().kind()).isEqualTo(FeedKind.SYNCREPL);
    FeedRecorder.Delivery first = recorder.awaitInitial(GENEROUS);
    assertThat(first.update().kind()).isEqualTo(FeedKind.SYNCREPL);
    assertThat(first.read().contents().gateways()).hasSize(9);
    assertThat(first.read().contents().huntGroups()).hasSize(10);
    assertThat(first.read().contents().dialPlans()).hasSize(4);
    assertThat(first.read().problems()).isEmpty();
    List<Double> ms =
        FeedScenario.run(
            "389-DS content sync",
            DS.ds().suffix(),
            "ds389sync",
            212,
            ldif -> DS.ds().ldapmodify(ldif),
            recorder,
            GENEROUS);
    LOG.info("389-DS content sync latencies (ms): {}", ms);
    assertThat(recorder.disconnected).isEmpty();
  }

  @Test
  void anonymousFollower_refusedContentSync_fallsBackToPersistentSearch() throws Exception {
    try (LDAPConnectionPool anonymous =
        DirectoryConnector.open(DirectoryConfig.builder(DS.ds().url()).build())) {
      FeedRecorder recorder = FOLLOWER.follow(anonymous, FeedOptions.defaults());
      FeedRecorder.Delivery first = recorder.awaitInitial(GENEROUS);
      assertThat(first.update().kind()).isEqualTo(FeedKind.PERSISTENT_SEARCH);
      assertThat(first.read().contents().gateways()).hasSize(9);
      FOLLOWER.feed().close(); // before its pool
    }
  }

  /**
   * The feed resumes from 389's cookie after ns-slapd restarts, and the resumed refresh carries
   * what changed while it was away: a modification and a deletion written to the restarted server
   * before the feed reconnects (its back-off is longer than the restart).
   */
  @Test
  void restart_feedResumesFromTheCookie_andSeesWhatChangedMeanwhile() throws Exception {
    FeedRecorder recorder =
        follow(FeedOptions.defaults().withBackoff(Duration.ofSeconds(8), Duration.ofSeconds(8)));
    recorder.awaitInitial(GENEROUS);
    String base = DS.ds().suffix();
    String sbc1 = "cn=Contoso-SBC1,ou=gateways," + base;
    String plan = "cn=DS389 Resume,ou=dialplans," + base;
    // Changes the cookie covers, then a stop: the cookie is 389's own, resumable on it.
    DS.ds()
        .ldapmodify(
            "dn: "
                + plan
                + "\nchangetype: add\nobjectClass: top\nobjectClass: umDialPlan\n"
                + "cn: DS389 Resume\numURIType: TelExtn\numNumberOfDigitsInExtension: 4\n");
    recorder.await(
        "dial plan added before the stop",
        r -> FeedScenario.dialPlan(r, "DS389 Resume") != null,
        GENEROUS);
    DS.ds().stop();
    Awaitility.await().atMost(GENEROUS).until(() -> !recorder.disconnected.isEmpty());
    DS.ds().restart();
    try {
      DS.ds()
          .ldapmodify(
              "dn: "
                  + sbc1
                  + "\nchangetype: modify\nreplace: description\ndescription: while away\n\n"
                  + "dn: "
                  + plan
                  + "\nchangetype: delete\n");
      assertThat(recorder.connected).as("written before the feed reconnected").hasSize(1);
      FeedRecorder.Delivery d =
          recorder.await(
              "modification and deletion made while the feed was away",
              r ->
                  "while away".equals(FeedScenario.gateway(r, "Contoso-SBC1").description())
                      && FeedScenario.dialPlan(r, "DS389 Resume") == null,
              GENEROUS);
      assertThat(d.update().fullRefresh()).isFalse();
      assertThat(d.read().contents().gateways()).hasSize(9);
      assertThat(d.read().contents().dialPlans()).hasSize(4);
      assertThat(FOLLOWER.feed().stats().resumedRefreshes()).isEqualTo(1);
      assertThat(FOLLOWER.feed().stats().fullRefreshes())
          .as(FOLLOWER.feed().stats().toString())
          .isEqualTo(1);
      assertThat(FOLLOWER.feed().stats().cookiesRefused()).isZero();
    } finally {
      DS.ds()
          .ldapmodify(
              "dn: "
                  + sbc1
                  + "\nchangetype: modify\nreplace: description\n"
                  + "description: Session border controller, Redmond\n");
    }
  }

  /**
   * 389's cookie is {@code host:port#binddn:base:filter#changenumber}: the issuing server and a
   * retro changelog number local to it. It names no server IDs and 389 keeps no contextCSN, so the
   * feed never offers it to another server (a failover between 389 suppliers is a full refresh).
   */
  @Test
  void cookie_names389sServerAndChangeNumber_andIsNeverOfferedElsewhere() throws Exception {
    try (LDAPConnection c = new LDAPConnection(DS.ds().host(), DS.ds().port())) {
      c.bind(DS.ds().readerDn(), Files.readString(DS.ds().readerPasswordFile()));
      SearchRequest request =
          new SearchRequest(DS.ds().suffix(), SearchScope.SUB, "(objectClass=umDialPlan)", "cn");
      request.addControl(
          new ContentSyncRequestControl(true, ContentSyncRequestMode.REFRESH_ONLY, null, false));
      SearchResult result = c.search(request);
      ContentSyncDoneControl done = ContentSyncDoneControl.get(result);
      assertThat(done).isNotNull();
      ASN1OctetString cookie = done.getCookie();
      assertThat(cookie.stringValue())
          .matches("[^#]+:" + DS.ds().port() + "#cn=umgw-reader,dc=umgw,dc=example:.*#\\d+");
      assertThat(SyncCookies.serverIds(cookie)).isEmpty();
      assertThat(SyncCookies.contextCsns(c, new DN(DS.ds().suffix()))).isEmpty();
      assertThat(
              SyncCookies.sharesHistory(
                  cookie, SyncCookies.contextServerIds(c, new DN(DS.ds().suffix()))))
          .isFalse();
    }
  }

  @Test
  void changelogForced_retroChangelog_deliversAddModifyDelete() throws Exception {
    FeedRecorder recorder =
        follow(
            FeedOptions.defaults()
                .withKind(FeedKind.CHANGELOG)
                .withChangelogPollInterval(Duration.ofMillis(200)));
    FeedRecorder.Delivery first = recorder.awaitInitial(GENEROUS);
    assertThat(first.update().kind()).isEqualTo(FeedKind.CHANGELOG);
    assertThat(first.read().contents().gateways()).hasSize(9);
    List<Double> ms =
        FeedScenario.run(
            "389-DS retro changelog",
            DS.ds().suffix(),
            "ds389cl",
            213,
            ldif -> DS.ds().ldapmodify(ldif),
            recorder,
            GENEROUS);
    LOG.info("389-DS retro changelog latencies (ms): {}", ms);
  }
}
