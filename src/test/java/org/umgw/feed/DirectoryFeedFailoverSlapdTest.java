package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.Slapd;

/** Two slapd servers with the same sample, one pool over both URLs: the feed fails over. */
class DirectoryFeedFailoverSlapdTest {
  private static final Duration GENEROUS = Duration.ofSeconds(20);

  @Test
  void firstServerStopped_feedContinuesOnTheSecond_andFailsBackWhenTheFirstReturns()
      throws Exception {
    try (Slapd first = Slapd.start();
        Slapd second = Slapd.start()) {
      for (Slapd s : new Slapd[] {first, second}) {
        s.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      }
      // The second server lacks one hunt group: after failing over, the feed must not keep it.
      second
          .ldapTool(
              "ldapdelete", "cn=Default Hunt Group,cn=Tokyo-Gateway,ou=gateways," + second.suffix())
          .assertOk();
      LDAPConnectionPool pool =
          DirectoryConnector.open(
              DirectoryConfig.builder(first.url() + "," + second.url())
                  .bind(first.rootDn(), first.rootPasswordFile())
                  .build());
      try (DirectoryFeed feed =
          DirectoryFeeds.open(
              pool,
              DirectoryLayout.of(first.suffix()),
              FeedOptions.defaults()
                  .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                  .withFailBackInterval(Duration.ofMillis(500)))) {
        FeedRecorder recorder = new FeedRecorder();
        feed.start(recorder);
        FeedRecorder.Delivery initial = recorder.awaitInitial(GENEROUS);
        String firstServer = first.host() + ":" + first.port();
        String secondServer = second.host() + ":" + second.port();
        assertThat(initial.update().server()).isEqualTo(firstServer);
        assertThat(FeedScenario.huntGroup(initial.read(), "Tokyo-Gateway", "Default Hunt Group"))
            .isNotNull();

        first.stop();
        FeedRecorder.Delivery after =
            recorder.await(
                "full refresh from the second server",
                r -> FeedScenario.huntGroup(r, "Tokyo-Gateway", "Default Hunt Group") == null,
                GENEROUS);
        assertThat(after.update().server()).isEqualTo(secondServer);
        assertThat(after.update().fullRefresh()).isTrue();
        assertThat(after.read().contents().gateways()).hasSize(9);
        assertThat(recorder.connected).endsWith(secondServer + " SYNCREPL");
        assertThat(recorder.disconnected).isNotEmpty();

        DirectoryFeedSlapdTest.ldapmodify(
            second,
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + second.suffix()
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disabled\n-\n");
        recorder.await(
            "change on the second server",
            r ->
                FeedScenario.gateway(r, "Contoso-SBC1").status()
                    == org.umgw.model.GatewayStatus.Disabled,
            GENEROUS);

        // The first server is back: the feed moves back to it, with a full refresh (the
        // second server's cookie means nothing there), and no outage is reported for the move.
        int outages = recorder.disconnected.size();
        first.restart();
        FeedRecorder.Delivery back =
            recorder.await(
                "full refresh from the first server again",
                r -> FeedScenario.huntGroup(r, "Tokyo-Gateway", "Default Hunt Group") != null,
                GENEROUS);
        assertThat(back.update().server()).isEqualTo(firstServer);
        assertThat(back.update().fullRefresh()).isTrue();
        assertThat(recorder.connected).endsWith(firstServer + " SYNCREPL");
        assertThat(recorder.disconnected).hasSize(outages);
      } finally {
        pool.close();
      }
    }
  }
}
