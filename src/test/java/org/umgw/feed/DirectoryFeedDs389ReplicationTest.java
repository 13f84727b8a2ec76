package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.model.GatewayStatus;
import org.umgw.testing.Ds389;

/**
 * Two 389-DS suppliers in multi-supplier replication, both with content sync, and a feed with both
 * URLs: a change written on one reaches the feed following the other; when the followed supplier
 * dies the feed moves to the other with a full refresh, because a 389 cookie is local to the
 * supplier that issued it (unlike OpenLDAP's multi-provider CSN cookies), and the contents stay
 * right.
 */
class DirectoryFeedDs389ReplicationTest {
  private static final Duration GENEROUS = Duration.ofSeconds(60);

  private static boolean disabled(DirectoryRead read, String gateway) {
    var g = FeedScenario.gateway(read, gateway);
    return g != null && g.status() == GatewayStatus.Disabled;
  }

  private static String setStatus(Ds389 ds, String gateway, GatewayStatus status) {
    return "dn: cn="
        + gateway
        + ",ou=gateways,"
        + ds.suffix()
        + "\nchangetype: modify\nreplace: umStatus\numStatus: "
        + status
        + "\n";
  }

  @Test
  void changeOnOneSupplier_reachesTheFeedOnTheOther_andFailoverIsAFullRefresh() throws Exception {
    // Created side by side: most of an instance's creation is waiting for ns-slapd.
    CompletableFuture<Ds389> creatingB =
        CompletableFuture.supplyAsync(
            () -> Ds389.start(Ds389.options().contentSync(true).sample(false)));
    Ds389 createdA;
    try {
      createdA = Ds389.start(Ds389.options().contentSync(true));
    } catch (RuntimeException e) {
      creatingB.thenAccept(Ds389::close).exceptionally(t -> null).join();
      throw e;
    }
    try (Ds389 a = createdA;
        Ds389 b = creatingB.join()) {
      Ds389.replicate(a, b);
      // The follower's account and the ACIs came to B with the total init.
      try (LDAPConnectionPool pool =
              DirectoryConnector.open(
                  DirectoryConfig.builder(b.url() + "," + a.url())
                      .bind(a.readerDn(), a.readerPasswordFile())
                      .connectTimeout(Duration.ofSeconds(1))
                      .build());
          DirectoryFeed feed =
              DirectoryFeeds.open(
                  pool,
                  DirectoryLayout.of(a.suffix()),
                  FeedOptions.defaults()
                      .withBackoff(Duration.ofMillis(200), Duration.ofMillis(500)))) {
        FeedRecorder recorder = new FeedRecorder();
        feed.start(recorder);
        FeedRecorder.Delivery first = recorder.awaitInitial(GENEROUS);
        assertThat(first.update().kind()).isEqualTo(FeedKind.SYNCREPL);
        assertThat(first.update().server()).isEqualTo(b.host() + ":" + b.port());
        assertThat(first.read().contents().gateways()).hasSize(9);

        a.ldapmodify(setStatus(a, "Contoso-SBC1", GatewayStatus.Disabled));
        recorder.await(
            "change written on A, seen through B", r -> disabled(r, "Contoso-SBC1"), GENEROUS);

        b.kill9();
        // The initial load and the failover: A was not offered B's cookie.
        Awaitility.await().atMost(GENEROUS).until(() -> feed.stats().fullRefreshes() == 2);
        assertThat(feed.stats().resumedAcrossServers()).isZero();
        assertThat(feed.stats().cookiesRefused()).isZero();
        a.ldapmodify(setStatus(a, "Tokyo-Gateway", GatewayStatus.Disabled));
        FeedRecorder.Delivery last =
            recorder.await(
                "change on A after the failover", r -> disabled(r, "Tokyo-Gateway"), GENEROUS);
        assertThat(last.update().server()).isEqualTo(a.host() + ":" + a.port());
        assertThat(disabled(last.read(), "Contoso-SBC1")).isTrue();
        assertThat(last.read().contents().gateways()).hasSize(9);
        assertThat(last.read().problems()).isEmpty();
        assertThat(feed.stats().fullRefreshes()).isEqualTo(2);
      }
    }
  }
}
