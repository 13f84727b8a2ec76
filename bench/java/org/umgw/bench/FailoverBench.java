package org.umgw.bench;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.DirectoryFeeds;
import org.umgw.feed.FeedOptions;
import org.umgw.feed.FeedStats;
import org.umgw.feed.FeedUpdate;

/**
 * The umgw side of {@code bench/failover.sh}: follows two multi-provider slapd servers through one
 * failover list, waits for the initial load from the first, kills the first (SIGKILL, by PID) and
 * times how long the feed takes to be following the second again: from the kill to the end of the
 * refresh there (a resumed one when the cookie is reused, else a full one), polled every
 * millisecond on {@link DirectoryFeed#stats()}.
 *
 * <pre>
 * java -cp umgw.jar org.umgw.bench.FailoverBench --urls ldap://A,ldap://B --base dc=umgw,dc=example
 *     --bind-dn cn=admin,dc=umgw,dc=example --password-file pw --kill-pid PID --resume true
 * </pre>
 *
 * <p>Prints {@code key=value} lines: {@code initial_ms}, {@code failover_ms}, {@code
 * full_refreshes}, {@code resumed_across}, {@code entries}. Exits 1 when the feed does not recover
 * within 120 s.
 */
public final class FailoverBench {
  private FailoverBench() {}

  public static void main(String[] args) throws Exception {
    String urls = null;
    String base = DirectoryLayout.DEFAULT_BASE;
    String bindDn = null;
    Path passwordFile = null;
    long killPid = -1;
    boolean resume = true;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--urls" -> urls = args[++i];
        case "--base" -> base = args[++i];
        case "--bind-dn" -> bindDn = args[++i];
        case "--password-file" -> passwordFile = Path.of(args[++i]);
        case "--kill-pid" -> killPid = Long.parseLong(args[++i]);
        case "--resume" -> resume = Boolean.parseBoolean(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (urls == null || bindDn == null || passwordFile == null || killPid <= 0) {
      throw new IllegalArgumentException("--urls, --bind-dn, --password-file, --kill-pid needed");
    }
    DirectoryConfig config = DirectoryConfig.builder(urls).bind(bindDn, passwordFile).build();
    LDAPConnectionPool pool = DirectoryConnector.open(config);
    // Reconnect at once: the bench measures the catch-up, not the backoff.
    FeedOptions options =
        FeedOptions.defaults()
            .withBackoff(Duration.ofMillis(1), Duration.ofMillis(10))
            .withResumeAcrossServers(resume);
    CountDownLatch initial = new CountDownLatch(1);
    int[] entries = new int[1];
    long start = System.nanoTime();
    try (DirectoryFeed feed = DirectoryFeeds.open(pool, DirectoryLayout.of(base), options)) {
      feed.start(
          new DirectoryFeed.Listener() {
            @Override
            public void onContents(DirectoryRead read, FeedUpdate update) {
              entries[0] = read.contents().gateways().size();
              initial.countDown();
            }
          });
      if (!initial.await(120, TimeUnit.SECONDS)) {
        System.err.println("no initial load within 120 s");
        System.exit(1);
      }
      System.out.println("initial_ms=" + (System.nanoTime() - start) / 1_000_000);
      System.out.println("entries=" + entries[0]);
      FeedStats before = feed.stats();
      ProcessHandle first =
          ProcessHandle.of(killPid)
              .orElseThrow(() -> new IllegalArgumentException("no process " + args[0]));
      long killed = System.nanoTime();
      first.destroyForcibly();
      long deadline = killed + TimeUnit.SECONDS.toNanos(120);
      FeedStats now = feed.stats();
      while (now.fullRefreshes() + now.resumedRefreshes()
          == before.fullRefreshes() + before.resumedRefreshes()) {
        if (System.nanoTime() - deadline > 0) {
          System.err.println("the feed did not recover within 120 s: " + now);
          System.exit(1);
        }
        Thread.sleep(1);
        now = feed.stats();
      }
      System.out.println("failover_ms=" + (System.nanoTime() - killed) / 1_000_000);
      System.out.println("full_refreshes=" + (now.fullRefreshes() - before.fullRefreshes()));
      System.out.println("resumed_across=" + now.resumedAcrossServers());
    } finally {
      pool.close();
    }
  }
}
