package org.umgw.feed;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.SampleDs389;

/**
 * One feed at a time over one pool to a shared 389 instance, for the 389 feed tests: the feed is
 * closed after each test, and the instance restarted when a test left it stopped, so the next class
 * sharing it finds it running. Register it after the {@link SampleDs389} it follows.
 */
final class Ds389Follower implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
  private final SampleDs389 ds;
  private final boolean bound;
  private LDAPConnectionPool pool;
  private DirectoryFeed feed;

  private Ds389Follower(SampleDs389 ds, boolean bound) {
    this.ds = ds;
    this.bound = bound;
  }

  /** Reads anonymously, as a SIP server's follower would. */
  static Ds389Follower anonymous(SampleDs389 ds) {
    return new Ds389Follower(ds, false);
  }

  /** Binds as the harness's reader (389 refuses the content sync control to anonymous users). */
  static Ds389Follower asReader(SampleDs389 ds) {
    return new Ds389Follower(ds, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    DirectoryConfig.Builder config = DirectoryConfig.builder(ds.ds().url());
    if (bound) {
      config.bind(ds.ds().readerDn(), ds.ds().readerPasswordFile());
    }
    pool = DirectoryConnector.open(config.build());
  }

  /** Starts a feed over this follower's pool. */
  FeedRecorder follow(FeedOptions options) {
    return follow(pool, options);
  }

  /** Starts a feed over {@code over}; it is closed after the test like any other. */
  FeedRecorder follow(LDAPConnectionPool over, FeedOptions options) {
    feed = DirectoryFeeds.open(over, DirectoryLayout.of(ds.ds().suffix()), options);
    FeedRecorder recorder = new FeedRecorder();
    feed.start(recorder);
    return recorder;
  }

  /** The feed the running test started. */
  DirectoryFeed feed() {
    return feed;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (feed != null) {
      feed.close();
      feed = null;
    }
    if (!ds.ds().isRunning()) {
      ds.ds().restart();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (pool != null) {
      pool.close();
    }
  }
}
