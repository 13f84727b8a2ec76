package org.umgw.feed;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;

/**
 * Opens a {@link DirectoryFeed} on a connection pool, choosing the mechanism from the server's root
 * DSE: RFC 4533 content sync where it lists the sync request control (OpenLDAP with syncprov), else
 * persistent search (ApacheDS, 389-DS), else the changelog (the embedded directory), else polling.
 *
 * <pre>{@code
 * LDAPConnectionPool pool = DirectoryConnector.open(DirectoryConfig.builder(url).build());
 * try (DirectoryFeed feed = DirectoryFeeds.open(pool, layout, FeedOptions.defaults())) {
 *   feed.start((read, update) -> swap(read));
 *   ...
 * }
 * }</pre>
 *
 * <p>The feed holds one connection of the pool for as long as it runs (a persistent search or
 * content sync occupies its connection), so give the pool one more than its other users need.
 */
public final class DirectoryFeeds {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryFeeds.class);

  private DirectoryFeeds() {}

  /**
   * Takes a connection and reads the root DSE, so that {@link DirectoryFeed#kind()} tells the
   * mechanism at once; never fails for an unreachable directory: the feed then starts by retrying
   * (and {@code kind()} is the forced kind, else {@link FeedKind#POLLING}, until it connects).
   */
  public static DirectoryFeed open(
      LDAPConnectionPool pool, DirectoryLayout layout, FeedOptions options) {
    requireNonNull(pool, "pool == null");
    requireNonNull(layout, "layout == null");
    requireNonNull(options, "options == null");
    FeedKind kind = options.forcedKind().orElse(FeedKind.POLLING);
    LDAPConnection first = null;
    try {
      first = pool.getConnection();
      if (options.kind() == null) {
        kind = ServerInfo.read(first).offered().get(0);
      }
    } catch (LDAPException e) {
      LOG.debug("directory feed: no connection yet ({}); the feed will retry", e.toString());
      if (first != null) {
        pool.releaseDefunctConnection(first);
        first = null;
      }
    }
    return new LiveFeed(pool, layout, options, kind, first);
  }
}
