package org.umgw.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryRead;
import org.umgw.dns.DnsResolver;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.export.ExportFormat;
import org.umgw.export.ExportOptions;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedUpdate;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmgwException;
import org.umgw.model.UriType;
import org.umgw.service.TrustService;
import org.umgw.testing.InMemoryLdap;

/**
 * {@link TrustListSync}'s own logic over a {@link TrustService} fed by a scripted feed: what it
 * writes, when it reloads, how it retries. Real consumers are in the Kamailio and nftables tests.
 */
class TrustListSyncTest {
  @TempDir Path dir;
  private InMemoryLdap ldap;
  private DnsResolver resolver;
  private Feed feed;
  private TrustService service;
  private final List<Event> events = new CopyOnWriteArrayList<>();

  /** Deliveries made by the test. */
  private static final class Feed implements DirectoryFeed {
    private final DirectoryContents initial;
    private volatile Listener listener;

    Feed(DirectoryContents initial) {
      this.initial = initial;
    }

    @Override
    public void start(Listener l) {
      listener = l;
      new Thread(
              () -> {
                l.onConnected("scripted:1", FeedKind.POLLING);
                deliver(initial);
              })
          .start();
    }

    void deliver(DirectoryContents contents) {
      listener.onContents(
          new DirectoryRead(contents, List.of()),
          new FeedUpdate(FeedKind.POLLING, "scripted:1", Instant.now(), false, 1));
    }

    @Override
    public FeedKind kind() {
      return FeedKind.POLLING;
    }

    @Override
    public void close() {}
  }

  /** A consumer that fails while {@code failing} is positive (counting down). */
  private static final class Consumer implements Reloader {
    final List<String> taken = new CopyOnWriteArrayList<>();
    final AtomicInteger failing = new AtomicInteger();
    volatile Duration retryAfter = Duration.ZERO;

    @Override
    public void reload(Path file) throws ReloadException {
      if (failing.getAndDecrement() > 0) {
        throw new ReloadException("consumer down", retryAfter, null);
      }
      try {
        taken.add(Files.readString(file));
      } catch (java.io.IOException e) {
        throw new ReloadException("cannot read " + file, Duration.ZERO, e);
      }
    }

    @Override
    public String describe() {
      return "test consumer";
    }
  }

  @BeforeEach
  void setUp() {
    ldap = InMemoryLdap.start();
    resolver =
        DnsResolver.builder()
            .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
            .hostsFiles(List.of(Path.of("/dev/null")))
            .build();
  }

  @AfterEach
  void tearDown() {
    if (service != null) {
      service.close();
    }
    resolver.close();
    ldap.close();
  }

  private static DirectoryContents gateways(int n, GatewayStatus first) {
    List<Gateway> gws = new ArrayList<>();
    List<HuntGroup> hgs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      gws.add(
          Gateway.builder("gw" + i, "192.0.2." + i)
              .status(i == 1 ? first : GatewayStatus.Enabled)
              .build());
      hgs.add(HuntGroup.defaultFor("gw" + i, "dp"));
    }
    return new DirectoryContents(
        List.of(DialPlan.of("dp", UriType.TelExtn, 4)), gws, hgs, List.of());
  }

  private TrustService start(DirectoryContents initial) {
    feed = new Feed(initial);
    service =
        TrustService.builder()
            .directory(ldap.pool())
            .resolver(resolver)
            .feed((pool, layout) -> feed)
            .startTimeout(Duration.ofSeconds(5))
            .build();
    service.addEventListener(events::add);
    return service.start();
  }

  private SyncOptions options(ExportFormat format, Path file) {
    return SyncOptions.of(format, file, ExportOptions.defaults())
        .withRetry(Duration.ofMillis(50), Duration.ofMillis(200));
  }

  private long count(EventId id) {
    return events.stream().filter(e -> e.type() == id).count();
  }

  @Test
  void writesAndReloadsAtStart_thenOnlyWhenTheFormatsContentChanges() throws Exception {
    TrustService s = start(gateways(3, GatewayStatus.Enabled));
    Path file = dir.resolve("k.list");
    Consumer consumer = new Consumer();
    try (TrustListSync sync =
        new TrustListSync(s, options(ExportFormat.kamailio, file), consumer)) {
      sync.start();
      assertThat(consumer.taken).hasSize(1);
      assertThat(consumer.taken.get(0)).contains("1 192.0.2.3 32 0 gw3");
      assertThat(sync.state().inStep()).isTrue();

      // NoNewCalls: a new snapshot, the same allow-list: nothing written, nothing reloaded.
      feed.deliver(gateways(3, GatewayStatus.NoNewCalls));
      await().until(() -> count(EventId.PEER_CACHE_REFRESHED) >= 1);
      Thread.sleep(300);
      assertThat(consumer.taken).hasSize(1);
      assertThat(count(EventId.SYNC_FILE_WRITTEN)).isEqualTo(1);

      // Disabled: gw1 leaves the allow-list: written once, reloaded once.
      feed.deliver(gateways(3, GatewayStatus.Disabled));
      await().until(() -> consumer.taken.size() == 2);
      assertThat(consumer.taken.get(1)).doesNotContain("192.0.2.1 ").contains("192.0.2.2 ");
      assertThat(Files.readString(file)).isEqualTo(consumer.taken.get(1));
      assertThat(count(EventId.SYNC_FILE_WRITTEN)).isEqualTo(2);
      assertThat(count(EventId.SYNC_RELOADED)).isEqualTo(2);
    }
  }

  @Test
  void failedReloads_areRetriedWithBackoff_andRecover() throws Exception {
    TrustService s = start(gateways(2, GatewayStatus.Enabled));
    Consumer consumer = new Consumer();
    consumer.failing.set(3);
    try (TrustListSync sync =
        new TrustListSync(s, options(ExportFormat.text, dir.resolve("t.txt")), consumer)) {
      sync.start(); // a consumer that is down at start does not stop the sync
      assertThat(sync.state().inStep()).isFalse();
      assertThat(sync.state().lastError()).isEqualTo("consumer down");
      await().atMost(Duration.ofSeconds(5)).until(() -> consumer.taken.size() == 1);
      assertThat(count(EventId.SYNC_RELOAD_FAILED)).isEqualTo(3);
      assertThat(count(EventId.SYNC_RELOAD_RECOVERED)).isEqualTo(1);
      assertThat(sync.state().inStep()).isTrue();
      Event failed =
          events.stream().filter(e -> e.type() == EventId.SYNC_RELOAD_FAILED).findFirst().get();
      assertThat(failed.details()).containsEntry("consumer", "test consumer");
      assertThat(failed.message()).contains("retrying in");
    }
  }

  @Test
  void retryAfter_fromTheConsumer_isWaitedOut() throws Exception {
    TrustService s = start(gateways(2, GatewayStatus.Enabled));
    Consumer consumer = new Consumer();
    consumer.failing.set(1);
    consumer.retryAfter = Duration.ofMillis(1500); // Kamailio's "ongoing reload"
    try (TrustListSync sync =
        new TrustListSync(s, options(ExportFormat.text, dir.resolve("t.txt")), consumer)) {
      long t0 = System.nanoTime();
      sync.start();
      await().atMost(Duration.ofSeconds(5)).until(() -> consumer.taken.size() == 1);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(1400));
    }
  }

  @Test
  void aFileThatCannotBeReplaced_isEvent9604_andRetried() throws Exception {
    TrustService s = start(gateways(2, GatewayStatus.Enabled));
    Path file = dir.resolve("t.txt");
    Consumer consumer = new Consumer();
    try (TrustListSync sync = new TrustListSync(s, options(ExportFormat.text, file), consumer)) {
      sync.start();
      // Something puts a non-empty directory where the file was: the rename cannot replace it.
      Files.delete(file);
      Files.createDirectories(file.resolve("in-the-way"));
      feed.deliver(gateways(2, GatewayStatus.Disabled));
      await().atMost(Duration.ofSeconds(5)).until(() -> count(EventId.SYNC_WRITE_REFUSED) >= 1);
      assertThat(sync.state().inStep()).isFalse();
      Files.delete(file.resolve("in-the-way"));
      Files.delete(file);
      await().atMost(Duration.ofSeconds(5)).until(() -> consumer.taken.size() == 2);
      assertThat(Files.readString(file)).doesNotContain("192.0.2.1\n").contains("192.0.2.2\n");
      assertThat(sync.state().inStep()).isTrue();
    }
  }

  @Test
  void emptyFirstList_isRefused_unlessAllowed() throws Exception {
    TrustService s = start(gateways(0, GatewayStatus.Enabled));
    Path file = dir.resolve("k.list");
    Consumer consumer = new Consumer();
    TrustListSync refused = new TrustListSync(s, options(ExportFormat.kamailio, file), consumer);
    assertThatThrownBy(refused::start)
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("no address at all")
        .hasMessageContaining("--allow-empty");
    assertThat(file).doesNotExist();
    assertThat(consumer.taken).isEmpty();
    try (TrustListSync allowed =
        new TrustListSync(s, options(ExportFormat.kamailio, file).withGuards(20, true), consumer)) {
      allowed.start();
      assertThat(consumer.taken).hasSize(1);
    }
  }

  @Test
  void withoutAConsumer_onlyTheFileIsKept_noReloadCounted() throws Exception {
    TrustService s = start(gateways(2, GatewayStatus.Enabled));
    Path file = dir.resolve("t.txt");
    try (TrustListSync sync =
        new TrustListSync(s, options(ExportFormat.text, file), Reloader.NONE)) {
      sync.start();
      assertThat(Files.readString(file)).contains("192.0.2.2\n");
      assertThat(sync.state().inStep()).isTrue();
      feed.deliver(gateways(2, GatewayStatus.Disabled));
      await().until(() -> !Files.readString(file).contains("192.0.2.1\n"));
      assertThat(count(EventId.SYNC_FILE_WRITTEN)).isEqualTo(2);
      assertThat(count(EventId.SYNC_RELOADED)).isZero();
    }
  }
}
