package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.embedded.EmbeddedDirectory;
import org.umgw.embedded.ServeOptions;

/** The changelog feed against the embedded directory, in process and served over LDAP. */
class DirectoryFeedEmbeddedTest {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryFeedEmbeddedTest.class);
  private static final Duration GENEROUS = Duration.ofSeconds(20);

  @TempDir Path dataDir;

  @Test
  void embedded_changelog_initialLoadThenAddModifyDeleteReachDeliveries() throws Exception {
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(dataDir);
        DirectoryFeed feed = DirectoryFeeds.open(dir.pool(), dir.layout(), FeedOptions.defaults());
        LDAPConnection writer = dir.connection()) {
      assertThat(feed.kind()).isEqualTo(FeedKind.CHANGELOG);
      FeedRecorder recorder = new FeedRecorder();
      feed.start(recorder);
      FeedRecorder.Delivery first = recorder.awaitInitial(GENEROUS);
      assertThat(first.update().kind()).isEqualTo(FeedKind.CHANGELOG);
      assertThat(first.read().contents().gateways()).hasSize(9);
      List<Double> ms =
          FeedScenario.run(
              "embedded changelog",
              dir.layout().base().toString(),
              "changelog",
              203,
              ldif -> DirectoryFeedApacheDsTest.apply(writer, ldif),
              recorder,
              GENEROUS);
      LOG.info("embedded changelog latencies (ms): {}", ms);
    }
  }

  @Test
  void embeddedRestarted_changeNumbersStartAgain_feedReadsEverythingAndSeesAChangeMadeMeanwhile()
      throws Exception {
    EmbeddedDirectory dir = EmbeddedDirectory.open(dataDir);
    InetSocketAddress at = dir.serve("127.0.0.1", 0, ServeOptions.defaults());
    String url = "ldap://127.0.0.1:" + at.getPort();
    LDAPConnectionPool pool = DirectoryConnector.open(DirectoryConfig.builder(url).build());
    try (DirectoryFeed feed =
        DirectoryFeeds.open(
            pool,
            dir.layout(),
            FeedOptions.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)))) {
      FeedRecorder recorder = new FeedRecorder();
      feed.start(recorder);
      recorder.awaitInitial(GENEROUS);
      dir.close();
      // Changed while nobody serves it: the feed cannot see this live.
      try (EmbeddedDirectory offline = EmbeddedDirectory.open(dataDir);
          LDAPConnection c = offline.connection()) {
        c.delete("cn=Default Hunt Group,cn=Tokyo-Gateway,ou=gateways," + offline.layout().base());
      }
      dir = EmbeddedDirectory.open(dataDir);
      dir.serve("127.0.0.1", at.getPort(), ServeOptions.defaults());
      FeedRecorder.Delivery d =
          recorder.await(
              "deletion made while down",
              r -> FeedScenario.huntGroup(r, "Tokyo-Gateway", "Default Hunt Group") == null,
              GENEROUS);
      assertThat(d.update().fullRefresh()).isTrue();
      assertThat(d.read().contents().gateways()).hasSize(9);
      assertThat(recorder.disconnected).isNotEmpty();
    } finally {
      pool.close();
      dir.close();
    }
  }
}
