package org.umgw.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.dns.DnsResolver;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.DirectoryFeeds;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.feed.FeedStats;
import org.umgw.model.GatewayStatus;
import org.umgw.testing.Slapd;
import org.umgw.testing.SlapdReplication;

/**
 * Two real slapd providers in OpenLDAP multi-provider replication: a service follows either one,
 * and a service given both URLs fails over and back by resuming content sync from its cookie, never
 * reading the whole directory again.
 */
class TrustServiceReplicationSlapdTest {
  private static final Logger LOG = LoggerFactory.getLogger(TrustServiceReplicationSlapdTest.class);
  private static final Duration GENEROUS = Duration.ofSeconds(30);

  @Test
  void followsEitherProvider_andFailsOverAndBackWithoutAFullReload() throws Exception {
    Path hosts = Slapd.sampleHostsFile();
    try (Slapd a = Slapd.start();
        Slapd b = Slapd.start();
        DnsResolver resolver = resolver(hosts)) {
      List<Slapd> both = List.of(a, b);
      SlapdReplication.multiProvider(both);
      a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      SlapdReplication.awaitConverged(both, GENEROUS);

      // A change written on A reaches a service that follows B.
      try (TrustService onB = start(resolver, a, b.url(), FeedOptions.defaults(), null)) {
        assertThat(onB.status().server()).isEqualTo(name(b));
        setStatus(a, "Contoso-SBC1", GatewayStatus.Disabled);
        awaitStatus(onB, "Contoso-SBC1", GatewayStatus.Disabled);
      }

      AtomicReference<DirectoryFeed> feed = new AtomicReference<>();
      FeedOptions options =
          FeedOptions.defaults()
              .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
              .withFailBackInterval(Duration.ofMillis(300));
      try (TrustService s = start(resolver, a, a.url() + "," + b.url(), options, feed)) {
        assertThat(s.status().server()).isEqualTo(name(a));
        assertThat(s.status().feed()).isEqualTo(FeedKind.SYNCREPL);
        assertThat(feed.get().stats()).isEqualTo(new FeedStats(1, 0, 0, 0));

        // A dies: the service follows B from its cookie; changes written on B arrive.
        a.kill9();
        setStatus(b, "Tokyo-Gateway", GatewayStatus.NoNewCalls);
        awaitStatus(s, "Tokyo-Gateway", GatewayStatus.NoNewCalls);
        assertThat(s.status().server()).isEqualTo(name(b));
        FeedStats afterFailover = feed.get().stats();
        assertThat(afterFailover.fullRefreshes()).as("full reloads after failover").isEqualTo(1);
        assertThat(afterFailover.resumedAcrossServers()).isEqualTo(1);
        setStatus(b, "Contoso-SBC1", GatewayStatus.Enabled);
        awaitStatus(s, "Contoso-SBC1", GatewayStatus.Enabled);

        // A returns with the same data and port, catches up from B, and a change written on A
        // arrives; the feed moves back to A once A has caught up, again from its cookie.
        a.restart();
        SlapdReplication.awaitConverged(both, GENEROUS);
        setStatus(a, "Tokyo-Gateway", GatewayStatus.Enabled);
        awaitStatus(s, "Tokyo-Gateway", GatewayStatus.Enabled);
        await().atMost(GENEROUS).until(() -> name(a).equals(s.status().server()));
        setStatus(a, "Contoso-SBC1", GatewayStatus.NoNewCalls);
        awaitStatus(s, "Contoso-SBC1", GatewayStatus.NoNewCalls);
        FeedStats end = feed.get().stats();
        LOG.info("replicated failover and fail-back: {}", end);
        assertThat(end.fullRefreshes()).as("full reloads over the whole run").isEqualTo(1);
        assertThat(end.resumedAcrossServers()).isEqualTo(2);
        assertThat(end.cookiesRefused()).isZero();
      }
    } finally {
      Files.deleteIfExists(hosts);
    }
  }

  static DnsResolver resolver(Path hosts) {
    // Every sample name is in the hosts file; nothing listens on port 9, so DNS is never used.
    return DnsResolver.builder()
        .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
        .hostsFiles(List.of(hosts))
        .timeout(Duration.ofMillis(200))
        .retries(0)
        .build();
  }

  static TrustService start(
      DnsResolver resolver,
      Slapd credentials,
      String urls,
      FeedOptions options,
      AtomicReference<DirectoryFeed> feed) {
    TrustService.Builder b =
        TrustService.builder()
            .directory(
                DirectoryConfig.builder(urls)
                    .bind(credentials.rootDn(), credentials.rootPasswordFile())
                    .connectTimeout(Duration.ofSeconds(1))
                    .responseTimeout(Duration.ofSeconds(5))
                    .build())
            .resolver(resolver)
            .baseDn(credentials.suffix())
            .feedOptions(options);
    if (feed != null) {
      b.feed(
          (pool, layout) -> {
            DirectoryFeed f = DirectoryFeeds.open(pool, layout, options);
            feed.set(f);
            return f;
          });
    }
    return b.build().start();
  }

  static String name(Slapd s) {
    return s.host() + ":" + s.port();
  }

  static void setStatus(Slapd server, String gateway, GatewayStatus status) throws Exception {
    server.ldapmodify(
        "dn: cn="
            + gateway
            + ",ou=gateways,"
            + server.suffix()
            + "\nchangetype: modify\nreplace: umStatus\numStatus: "
            + status
            + "\n");
  }

  static void awaitStatus(TrustService s, String gateway, GatewayStatus status) {
    await()
        .atMost(GENEROUS)
        .until(
            () ->
                s.snapshot().contents().gateways().stream()
                    .anyMatch(g -> g.name().equals(gateway) && g.status() == status));
  }
}
