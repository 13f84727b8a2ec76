package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryProblem;
import org.umgw.testing.Slapd;

/**
 * Polling forced on slapd (which offers content sync), over a directory with one bad entry: the
 * initial delivery holds every other object and names the problem; edits reach the deliveries.
 */
class DirectoryFeedPollingSlapdTest {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryFeedPollingSlapdTest.class);
  private static final Duration GENEROUS = Duration.ofSeconds(20);
  private static Slapd slapd;
  private static LDAPConnectionPool pool;

  @BeforeAll
  static void start() {
    slapd = Slapd.start();
    slapd.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
    slapd
        .ldapTool(
            "ldapadd",
            "-f",
            Slapd.projectPath("ldif/invalid/problem-gateway-port-out-of-range.ldif").toString())
        .assertOk();
    pool =
        DirectoryConnector.open(
            DirectoryConfig.builder(slapd.url())
                .bind(slapd.rootDn(), slapd.rootPasswordFile())
                .build());
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  @Test
  void pollingForced_badEntryListedAsProblem_othersDelivered_andEditsArrive() throws Exception {
    FeedOptions polling =
        FeedOptions.defaults().withKind(FeedKind.POLLING).withPollInterval(Duration.ofMillis(200));
    try (DirectoryFeed feed =
        DirectoryFeeds.open(pool, DirectoryLayout.of(slapd.suffix()), polling)) {
      assertThat(feed.kind()).isEqualTo(FeedKind.POLLING);
      FeedRecorder recorder = new FeedRecorder();
      feed.start(recorder);
      FeedRecorder.Delivery first = recorder.awaitInitial(GENEROUS);
      assertThat(first.update().kind()).isEqualTo(FeedKind.POLLING);
      assertThat(first.read().contents().gateways()).hasSize(9);
      assertThat(first.read().contents().huntGroups()).hasSize(10);
      assertThat(first.read().problems())
          .extracting(EntryProblem::dn, EntryProblem::attribute, EntryProblem::value)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  "cn=Big-Port,ou=gateways," + slapd.suffix(), "umPort", "70000"));
      // Unchanged polls deliver nothing.
      Thread.sleep(700);
      assertThat(recorder.all).hasSize(1);
      slapd.ldapTool("ldapdelete", "cn=Big-Port,ou=gateways," + slapd.suffix()).assertOk();
      recorder.await("bad entry deleted", r -> r.problems().isEmpty(), GENEROUS);
      List<Double> ms =
          FeedScenario.run(
              "slapd polling every 200 ms",
              slapd.suffix(),
              "poll",
              204,
              ldif -> DirectoryFeedSlapdTest.ldapmodify(slapd, ldif),
              recorder,
              GENEROUS);
      LOG.info("slapd polling latencies (ms): {}", ms);
    }
  }
}
