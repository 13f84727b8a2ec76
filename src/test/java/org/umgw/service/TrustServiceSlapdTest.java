package org.umgw.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.dns.DnsResolver;
import org.umgw.events.Event;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.model.GatewayStatus;
import org.umgw.service.GatewayStatusChange.CallAction;
import org.umgw.testing.SampleSlapd;
import org.umgw.testing.Slapd;
import org.umgw.testing.TestDirectories;

/**
 * The whole service against real slapd with syncprov: administrators' ldapmodify edits reach the
 * snapshot live, and lookups never fail while slapd is killed, restarted, or replaced by the second
 * server of a failover pair.
 */
class TrustServiceSlapdTest {
  private static final Logger LOG = LoggerFactory.getLogger(TrustServiceSlapdTest.class);
  private static final Duration GENEROUS = Duration.ofSeconds(20);

  private static final List<String> TRUSTED = TestDirectories.SAMPLE_TRUSTED;

  private static final InetAddress CONTOSO_SBC1 = InetAddresses.forString("127.0.0.2");

  @RegisterExtension static final SampleSlapd SAMPLE = new SampleSlapd();
  private static Slapd slapd; // SAMPLE's, named for brevity below
  private static Path hosts;
  @TempDir Path dir;
  private DnsResolver resolver;
  private TrustService service;
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<GatewayStatusChange> statusChanges = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void sample() {
    slapd = SAMPLE.slapd();
    hosts = SAMPLE.hosts();
  }

  @BeforeEach
  void setUp() {
    if (!slapd.isRunning()) {
      slapd.restart();
    }
    // Every sample name is in the hosts file; nothing listens on port 9, so DNS is never used.
    resolver =
        DnsResolver.builder()
            .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
            .hostsFiles(List.of(hosts))
            .timeout(Duration.ofMillis(200))
            .retries(0)
            .build();
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    resolver.close();
  }

  private DirectoryConfig config(String urls) {
    return DirectoryConfig.builder(urls)
        .bind(slapd.rootDn(), slapd.rootPasswordFile())
        .connectTimeout(Duration.ofSeconds(1))
        .responseTimeout(Duration.ofSeconds(5))
        .build();
  }

  private TrustService start(TrustService.Builder b) {
    TrustService s = b.resolver(resolver).baseDn(slapd.suffix()).build();
    s.addEventListener(events::add);
    s.addGatewayStatusListener(statusChanges::add);
    service = s.start();
    return service;
  }

  private static void ldapmodify(Slapd server, String ldif) throws Exception {
    server.ldapmodify(ldif);
  }

  private static InetAddress ip(String text) {
    return InetAddresses.forString(text);
  }

  private static void setStatus(Slapd server, String gateway, GatewayStatus status)
      throws Exception {
    ldapmodify(
        server,
        "dn: cn="
            + gateway
            + ",ou=gateways,dc=umgw,dc=example\nchangetype: modify\nreplace: umStatus\numStatus: "
            + status
            + "\n");
  }

  @Test
  void ldapEdits_reachTheSnapshotLive_throughContentSync() throws Exception {
    TrustService s = start(TrustService.builder().directory(config(slapd.url())));
    assertThat(s.status().feed()).isEqualTo(FeedKind.SYNCREPL);
    TRUSTED.forEach(a -> assertThat(s.lookup(ip(a))).as(a).isPresent());
    assertThat(s.lookup(ip("127.0.0.6"))).isEmpty();

    List<Long> millis = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      // Spare-Gateway has no hunt group: linking it trusts 127.0.0.6, deleting the link untrusts.
      long t0 = System.nanoTime();
      ldapmodify(
          slapd,
          """
          dn: cn=Default Hunt Group,cn=Spare-Gateway,ou=gateways,dc=umgw,dc=example
          changetype: add
          objectClass: top
          objectClass: umHuntGroup
          cn: Default Hunt Group
          umDialPlanLink: cn=Contoso Extensions,ou=dialplans,dc=umgw,dc=example
          """);
      await().atMost(GENEROUS).until(() -> s.lookup(ip("127.0.0.6")).isPresent());
      millis.add((System.nanoTime() - t0) / 1_000_000);
      t0 = System.nanoTime();
      ldapmodify(
          slapd,
          """
          dn: cn=Default Hunt Group,cn=Spare-Gateway,ou=gateways,dc=umgw,dc=example
          changetype: delete
          """);
      await().atMost(GENEROUS).until(() -> s.lookup(ip("127.0.0.6")).isEmpty());
      millis.add((System.nanoTime() - t0) / 1_000_000);
    }
    // A gateway and its hunt group added with ldapadd, then removed with ldapdelete.
    long t1 = System.nanoTime();
    Path add = Files.createTempFile(slapd.workDir(), "add-", ".ldif");
    Files.writeString(
        add,
        """
        dn: cn=Live-GW,ou=gateways,dc=umgw,dc=example
        objectClass: top
        objectClass: umIPGateway
        cn: Live-GW
        umAddress: 127.0.0.11

        dn: cn=Default Hunt Group,cn=Live-GW,ou=gateways,dc=umgw,dc=example
        objectClass: top
        objectClass: umHuntGroup
        cn: Default Hunt Group
        umDialPlanLink: cn=Contoso Extensions,ou=dialplans,dc=umgw,dc=example
        """);
    slapd.ldapTool("ldapadd", "-f", add.toString()).assertOk();
    await().atMost(GENEROUS).until(() -> s.lookup(ip("127.0.0.11")).isPresent());
    millis.add((System.nanoTime() - t1) / 1_000_000);
    t1 = System.nanoTime();
    slapd
        .ldapTool(
            "ldapdelete",
            "cn=Default Hunt Group,cn=Live-GW,ou=gateways,dc=umgw,dc=example",
            "cn=Live-GW,ou=gateways,dc=umgw,dc=example")
        .assertOk();
    await().atMost(GENEROUS).until(() -> s.lookup(ip("127.0.0.11")).isEmpty());
    millis.add((System.nanoTime() - t1) / 1_000_000);
    // A dial plan edit: Contoso Extensions takes five-digit extensions.
    long t0 = System.nanoTime();
    ldapmodify(
        slapd,
        """
        dn: cn=Contoso Extensions,ou=dialplans,dc=umgw,dc=example
        changetype: modify
        replace: umNumberOfDigitsInExtension
        umNumberOfDigitsInExtension: 5
        """);
    await()
        .atMost(GENEROUS)
        .until(
            () ->
                s.snapshot().contents().dialPlans().stream()
                    .anyMatch(
                        d ->
                            d.name().equals("Contoso Extensions")
                                && d.numberOfDigitsInExtension() == 5));
    millis.add((System.nanoTime() - t0) / 1_000_000);
    // ldapmodify itself (a process start, bind, write) is inside each figure.
    LOG.info("ldapadd/ldapmodify/ldapdelete to snapshot, ms: {}", millis);
    List<Long> sorted = millis.stream().sorted().toList();
    assertThat(sorted.get(sorted.size() / 2)).as("median ms of %s", millis).isLessThan(1000);
  }

  @Test
  void statusEdits_tellTheSipServerToDropOrRefuseCalls() throws Exception {
    TrustService s = start(TrustService.builder().directory(config(slapd.url())));
    try {
      setStatus(slapd, "Tokyo-Gateway", GatewayStatus.NoNewCalls);
      await().atMost(GENEROUS).until(() -> statusChanges.size() == 1);
      setStatus(slapd, "Tokyo-Gateway", GatewayStatus.Disabled);
      await().atMost(GENEROUS).until(() -> statusChanges.size() == 2);
      assertThat(statusChanges)
          .extracting(GatewayStatusChange::action)
          .containsExactly(CallAction.REFUSE_NEW_CALLS, CallAction.DROP_CALLS);
      assertThat(s.admit(ip("127.0.0.7"), "", false).accepted()).isFalse();
    } finally {
      setStatus(slapd, "Tokyo-Gateway", GatewayStatus.Enabled);
    }
  }

  @Test
  void aRuleBreakingEdit_isRefusedWith9201_andTheLastGoodListStays() throws Exception {
    TrustService s = start(TrustService.builder().directory(config(slapd.url())));
    List<?> before = s.snapshot().peers();
    // A second gateway serving the SIP URI dial plan with outcalls allowed.
    String edge =
        "dn: cn=Fabrikam-Edge,ou=gateways,dc=umgw,dc=example\nchangetype: modify\n"
            + "replace: umOutcallsAllowed\numOutcallsAllowed: %s\n";
    ldapmodify(slapd, edge.formatted("TRUE"));
    try {
      await().atMost(GENEROUS).until(() -> s.status().rejection() != null);
      assertThat(events).anySatisfy(e -> assertThat(e.id()).isEqualTo(9201));
      assertThat(s.status().rejection()).contains("Fabrikam-Edge");
      assertThat(s.snapshot().peers()).isEqualTo(before);
    } finally {
      ldapmodify(slapd, edge.formatted("FALSE"));
    }
    await().atMost(GENEROUS).until(() -> s.status().rejection() == null);
  }

  @Test
  void anEditTheSchemaAcceptsButTheMapperRefuses_keepsTheGatewaysLastGoodVersion()
      throws Exception {
    TrustService s = start(TrustService.builder().directory(config(slapd.url())));
    String port =
        "dn: cn=Contoso-SBC1,ou=gateways,dc=umgw,dc=example\nchangetype: modify\n"
            + "replace: umPort\numPort: %s\n";
    // INTEGER syntax takes 70000; a SIP port it is not.
    ldapmodify(slapd, port.formatted("70000"));
    try {
      await()
          .atMost(GENEROUS)
          .untilAsserted(
              () ->
                  assertThat(events)
                      .anySatisfy(
                          e -> {
                            assertThat(e.id()).isEqualTo(9201);
                            assertThat(e.message())
                                .contains("cn=Contoso-SBC1", "umPort \"70000\"", "last good");
                          }));
      assertThat(s.admit(CONTOSO_SBC1, "", false).accepted()).isTrue();
      assertThat(s.lookup(CONTOSO_SBC1).orElseThrow().port()).isEqualTo(5060);
    } finally {
      ldapmodify(slapd, port.formatted("5060"));
    }
  }

  @Test
  void slapdKilled_lookupsNeverFail_andAnOfflineChangeIsCaughtUpWithin5s() throws Exception {
    TrustService s =
        start(
            TrustService.builder()
                .directory(config(slapd.url()))
                .feedOptions(
                    FeedOptions.defaults()
                        .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))));
    AtomicBoolean run = new AtomicBoolean(true);
    AtomicLong lookups = new AtomicLong();
    AtomicLong failures = new AtomicLong();
    List<Thread> readers = new ArrayList<>();
    List<InetAddress> trusted = TRUSTED.stream().map(TrustServiceSlapdTest::ip).toList();
    for (int t = 0; t < 4; t++) {
      Thread reader =
          new Thread(
              () -> {
                while (run.get()) {
                  for (InetAddress a : trusted) {
                    lookups.incrementAndGet();
                    if (s.lookup(a).isEmpty()) {
                      failures.incrementAndGet();
                    }
                  }
                  if (!s.admit(CONTOSO_SBC1, "", false).accepted()) {
                    failures.incrementAndGet();
                  }
                }
              });
      reader.start();
      readers.add(reader);
    }
    try {
      slapd.kill9();
      await().atMost(GENEROUS).until(() -> !s.status().connected());
      Thread.sleep(1000);
      // While slapd is down, an administrator edits its database offline.
      slapd.slapmodify(
          "dn: cn=Tokyo-Gateway,ou=gateways,dc=umgw,dc=example\nchangetype: modify\n"
              + "replace: umStatus\numStatus: NoNewCalls\n");
      slapd.restart();
      long restarted = System.nanoTime();
      await()
          .atMost(GENEROUS)
          .until(
              () ->
                  s.snapshot().contents().gateways().stream()
                      .anyMatch(
                          g ->
                              g.name().equals("Tokyo-Gateway")
                                  && g.status() == GatewayStatus.NoNewCalls));
      long caughtUp = (System.nanoTime() - restarted) / 1_000_000;
      LOG.info("offline change caught up {} ms after slapd restarted", caughtUp);
      assertThat(caughtUp).isLessThan(5000);
      assertThat(s.status().connected()).isTrue();
    } finally {
      run.set(false);
      for (Thread r : readers) {
        r.join();
      }
      setStatus(slapd, "Tokyo-Gateway", GatewayStatus.Enabled);
    }
    LOG.info("{} lookups while slapd was killed and restarted, {} failed", lookups, failures);
    assertThat(lookups.get()).isGreaterThan(10_000);
    assertThat(failures.get()).isZero();
    assertThat(events.stream().map(Event::id)).contains(9202, 9203);
  }

  @Test
  void twoUrls_stoppingTheFirstFailsOverToTheSecond() throws Exception {
    try (Slapd second = Slapd.start()) {
      second.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      // Both servers share the root password file format; bind to each with its own root DN.
      DirectoryConfig both =
          DirectoryConfig.builder(slapd.url() + "," + second.url())
              .bind(slapd.rootDn(), slapd.rootPasswordFile())
              .connectTimeout(Duration.ofSeconds(1))
              .build();
      assertThat(second.rootPassword()).isEqualTo(slapd.rootPassword());
      TrustService s =
          start(
              TrustService.builder()
                  .directory(both)
                  .feedOptions(
                      FeedOptions.defaults()
                          .withBackoff(Duration.ofMillis(100), Duration.ofMillis(500))));
      assertThat(s.status().server()).endsWith(":" + slapd.port());
      slapd.stop();
      await()
          .atMost(GENEROUS)
          .until(() -> s.status().connected() && s.status().server().endsWith(":" + second.port()));
      TRUSTED.forEach(a -> assertThat(s.lookup(ip(a))).as(a).isPresent());
      setStatus(second, "Tokyo-Gateway", GatewayStatus.Disabled);
      await().atMost(GENEROUS).until(() -> !s.admit(ip("127.0.0.7"), "", false).accepted());
    }
  }

  @Test
  void restartDuringAnOutage_admitsFromTheOnDiskCopy_thenFollowsTheDirectory(@TempDir Path tmp)
      throws Exception {
    Path copy = tmp.resolve("last-good.json");
    TrustService first =
        start(TrustService.builder().directory(config(slapd.url())).snapshotFile(copy));
    await().atMost(GENEROUS).until(() -> Files.exists(copy));
    first.close();
    slapd.stop();
    TrustService s =
        start(
            TrustService.builder()
                .directory(config(slapd.url()))
                .snapshotFile(copy)
                .startTimeout(Duration.ofSeconds(2)));
    assertThat(s.status().source()).isEqualTo(TrustService.Source.DISK);
    TRUSTED.forEach(a -> assertThat(s.lookup(ip(a))).as(a).isPresent());
    assertThat(s.admit(CONTOSO_SBC1, "", false).accepted()).isTrue();
    slapd.restart();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> s.status().source() == TrustService.Source.DIRECTORY);
    assertThat(s.status().connected()).isTrue();
    TRUSTED.forEach(a -> assertThat(s.lookup(ip(a))).as(a).isPresent());
  }

  @Test
  void trustListWatch_followsTheSameFeed() throws Exception {
    java.util.concurrent.CompletableFuture<org.umgw.cli.CliRunner.Result> watch =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () ->
                org.umgw.cli.CliRunner.run(
                    java.util.Map.of(),
                    "trust-list",
                    "watch",
                    "--ldap-url",
                    slapd.url(),
                    "--bind-dn",
                    slapd.rootDn(),
                    "--bind-password-file",
                    slapd.rootPasswordFile().toString(),
                    "--hosts-file",
                    hosts.toString(),
                    "--dns-server",
                    "127.0.0.1:9",
                    "--count",
                    "1"));
    // The header is printed once the first snapshot is in service; then one edit.
    Thread.sleep(3000);
    setStatus(slapd, "Tokyo-Gateway", GatewayStatus.Disabled);
    try {
      org.umgw.cli.CliRunner.Result r = watch.get(30, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out()).contains(" trusted peers (SYNCREPL from 127.0.0.1:" + slapd.port());
      assertThat(r.out()).contains(" peers=9 added=[] removed=[]");
      assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow())
          .endsWith(" gateway Tokyo-Gateway Enabled -> Disabled: drop calls");
    } finally {
      setStatus(slapd, "Tokyo-Gateway", GatewayStatus.Enabled);
    }
  }
}
