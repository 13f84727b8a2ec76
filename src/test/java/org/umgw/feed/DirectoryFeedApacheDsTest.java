package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import org.apache.directory.server.annotations.CreateLdapServer;
import org.apache.directory.server.annotations.CreateTransport;
import org.apache.directory.server.core.annotations.CreateDS;
import org.apache.directory.server.core.annotations.CreatePartition;
import org.apache.directory.server.core.integ.AbstractLdapTestUnit;
import org.apache.directory.server.core.integ.ApacheDSTestExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.ApacheDs;

/** The persistent-search feed against ApacheDS embedded, which refuses content sync. */
@ExtendWith(ApacheDSTestExtension.class)
@CreateDS(
    name = "DirectoryFeedApacheDsTestDS",
    partitions = @CreatePartition(name = "umgw", suffix = ApacheDs.BASE_DN))
@CreateLdapServer(transports = @CreateTransport(protocol = "LDAP", address = "127.0.0.1"))
class DirectoryFeedApacheDsTest extends AbstractLdapTestUnit {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryFeedApacheDsTest.class);
  private static final Duration GENEROUS = Duration.ofSeconds(20);
  private static LDAPConnection admin;
  private static LDAPConnectionPool pool;

  @BeforeAll
  static void start() throws Exception {
    admin = ApacheDs.prepare(classLdapServer);
    ApacheDs.addEntries(admin, ApacheDs.SAMPLE_LDIF);
    pool = new LDAPConnectionPool(ApacheDs.connect(classLdapServer), 1, 4);
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  static void apply(LDAPConnection connection, String ldif) throws Exception {
    try (LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
      for (LDIFChangeRecord r = reader.readChangeRecord();
          r != null;
          r = reader.readChangeRecord()) {
        r.processChange(connection);
      }
    }
  }

  @Test
  void apacheDs_persistentSearch_initialLoadThenAddModifyDeleteReachDeliveries() throws Exception {
    try (DirectoryFeed feed =
        DirectoryFeeds.open(pool, DirectoryLayout.of(ApacheDs.BASE_DN), FeedOptions.defaults())) {
      FeedRecorder recorder = new FeedRecorder();
      feed.start(recorder);
      FeedRecorder.Delivery first = recorder.awaitInitial(GENEROUS);
      // ApacheDS lists the content sync control but refuses it without a replication provider:
      // the feed moves on to persistent search without reporting a disconnection.
      assertThat(first.update().kind()).isEqualTo(FeedKind.PERSISTENT_SEARCH);
      assertThat(feed.kind()).isEqualTo(FeedKind.PERSISTENT_SEARCH);
      assertThat(recorder.disconnected).isEmpty();
      assertThat(first.read().contents().gateways()).hasSize(9);
      assertThat(first.read().contents().huntGroups()).hasSize(10);
      assertThat(first.read().problems()).isEmpty();
      List<Double> ms =
          FeedScenario.run(
              "ApacheDS persistent search",
              ApacheDs.BASE_DN,
              "psearch",
              202,
              ldif -> apply(admin, ldif),
              recorder,
              GENEROUS);
      LOG.info("ApacheDS persistent search latencies (ms): {}", ms);
    }
  }

  @Test
  void apacheDs_renamedGateway_takesItsHuntGroupsAlong() throws Exception {
    try (DirectoryFeed feed =
        DirectoryFeeds.open(pool, DirectoryLayout.of(ApacheDs.BASE_DN), FeedOptions.defaults())) {
      FeedRecorder recorder = new FeedRecorder();
      feed.start(recorder);
      recorder.awaitInitial(GENEROUS);
      apply(
          admin,
          "dn: cn=Legacy-PBX,ou=gateways,"
              + ApacheDs.BASE_DN
              + "\nchangetype: modrdn\nnewrdn: cn=Legacy-PBX-2\ndeleteoldrdn: 1\n");
      FeedRecorder.Delivery d =
          recorder.await(
              "renamed gateway",
              r ->
                  FeedScenario.gateway(r, "Legacy-PBX-2") != null
                      && FeedScenario.gateway(r, "Legacy-PBX") == null,
              GENEROUS);
      assertThat(d.read().contents().huntGroups())
          .filteredOn(h -> h.gateway().startsWith("Legacy-PBX"))
          .extracting(h -> h.gateway())
          .containsOnly("Legacy-PBX-2")
          .isNotEmpty();
      assertThat(d.read().problems()).isEmpty();
    }
  }

  /**
   * Finding 9 of issue 18: the persistent search lived only as long as the connection's response
   * timeout, so an idle feed dropped and re-read everything every {@code --ldap-timeout}.
   */
  @Test
  void apacheDs_idleFeed_withAShortResponseTimeout_staysConnected() throws Exception {
    LDAPConnection first = ApacheDs.connect(classLdapServer);
    LDAPConnectionOptions options = first.getConnectionOptions().duplicate();
    options.setResponseTimeoutMillis(1_000);
    first.setConnectionOptions(options);
    LDAPConnectionPool shortPool = new LDAPConnectionPool(first, 1, 2);
    try (DirectoryFeed feed =
        DirectoryFeeds.open(
            shortPool, DirectoryLayout.of(ApacheDs.BASE_DN), FeedOptions.defaults())) {
      FeedRecorder recorder = new FeedRecorder();
      feed.start(recorder);
      recorder.awaitInitial(GENEROUS);
      Thread.sleep(4_000);
      assertThat(recorder.disconnected).as("disconnections while idle").isEmpty();
      apply(
          admin,
          "dn: cn=Contoso-SBC1,ou=gateways,"
              + ApacheDs.BASE_DN
              + "\nchangetype: modify\nreplace: description\ndescription: after idling\n");
      recorder.await(
          "change after idling",
          r -> "after idling".equals(FeedScenario.gateway(r, "Contoso-SBC1").description()),
          GENEROUS);
      assertThat(recorder.disconnected).isEmpty();
      assertThat(recorder.connected).hasSize(1);
    } finally {
      shortPool.close();
    }
  }
}
