package org.umgw.feed;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SingleServerSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After a fail-over, moves a {@link LiveFeed} back to the first server as soon as it answers again:
 * the connection pool retires its own fail-over connections the same way, and an operator expects
 * the directory named first to be the one followed. The move closes the feed's connection; the
 * feed's loop then reconnects through the server set (first server first) without reporting an
 * outage, and catches up: from its content-sync cookie when the two servers replicate each other
 * ({@link SyncCookies}), else with a full refresh.
 */
final class FailBack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FailBack.class);

  private final LiveFeed feed;
  private final SingleServerSet first;
  private final String preferred;
  private final ScheduledExecutorService scheduler;
  private volatile boolean moving;

  private FailBack(LiveFeed feed, SingleServerSet first) {
    this.feed = feed;
    this.first = first;
    this.preferred = first.getAddress() + ":" + first.getPort();
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setNameFormat("umgw-directory-feed-failback")
                .setDaemon(true)
                .build());
    long every = feed.options.failBackInterval().toMillis();
    scheduler.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
  }

  /** Starts checking for {@code feed}, or {@code null} when {@code pool} does not fail over. */
  static FailBack start(LDAPConnectionPool pool, LiveFeed feed) {
    if (pool.getServerSet() instanceof FailoverServerSet failover
        && failover.getServerSets()[0] instanceof SingleServerSet first) {
      return new FailBack(feed, first);
    }
    return null;
  }

  /** A move is under way: the lost connection is not an outage. */
  boolean moving() {
    return moving;
  }

  /**
   * Ends the move: a new connection for the loop, to the first server, or {@code null} when there
   * is none yet (the loop then takes one as usual).
   */
  LDAPConnection reconnect(LDAPConnectionPool pool) {
    moving = false;
    try {
      // The pool may hold an idle connection to the fail-over server: replace it, so the server
      // set connects anew, first server first.
      LDAPConnection next = pool.getConnection();
      if (!LiveFeed.name(next).equals(preferred)) {
        next = pool.replaceDefunctConnection(next);
      }
      return next;
    } catch (LDAPException e) {
      LOG.debug("fail-back: no new connection yet: {}", e.getMessage());
      return null;
    }
  }

  private void check() {
    LDAPConnection c = feed.current;
    if (feed.closed || c == null || !feed.live) {
      return;
    }
    String following = LiveFeed.name(c);
    if (following.equals(preferred)) {
      return;
    }
    try (LDAPConnection probe = first.getConnection()) {
      ServerInfo.read(probe);
      ASN1OctetString resumeFrom = feed.contentSync.cookie();
      List<String> csns =
          resumeFrom == null ? List.of() : SyncCookies.contextCsns(probe, feed.layout.base());
      if (feed.kind() == FeedKind.SYNCREPL
          && feed.options.resumeAcrossServers()
          && SyncCookies.sameSet(resumeFrom, SyncCookies.serverIdsOf(csns))
          && !SyncCookies.caughtUp(resumeFrom, csns)) {
        // A returning provider of the same replication set catches up from the others first;
        // moving now would cost a full refresh (the cookie would not apply there yet). Try again
        // at the next check. A server of no set (or an unreadable contextCSN) is moved to at
        // once, with a full refresh, as before.
        LOG.debug("fail-back: {} answers but has not caught up with {} yet", preferred, following);
        return;
      }
    } catch (LDAPException stillDown) {
      LOG.debug("fail-back: {} still does not answer: {}", preferred, stillDown.getMessage());
      return;
    }
    LOG.info("directory feed: {} answers again; moving back from {}", preferred, following);
    moving = true;
    c.close();
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
