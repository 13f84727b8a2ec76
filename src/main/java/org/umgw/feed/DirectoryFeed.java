package org.umgw.feed;

import org.umgw.directory.DirectoryRead;

/**
 * Follows one directory (through a connection pool whose server set does the failover) and delivers
 * its contents after every change: the whole directory, and what changed since the previous
 * delivery ({@link Listener#onChanges}).
 *
 * <p>Contract: {@link #start} returns at once; the first delivery is the initial full load; calls
 * to the listener come from one feed thread, never concurrently; a delivery whose contents equal
 * the previous one is skipped; when the connection is lost the feed reports {@link
 * Listener#onDisconnected}, retries with exponential backoff, and after reconnecting catches up
 * (incrementally where the server keeps the sync state, else with a full refresh, which replaces
 * everything, so deletions made while disconnected are seen).
 */
public interface DirectoryFeed extends AutoCloseable {

  /** Starts following; returns immediately. */
  void start(Listener listener);

  /** The mechanism in use (it may change after failing over to another server). */
  FeedKind kind();

  /**
   * Full and resumed refreshes so far ({@link FeedStats#NONE} for feeds that do not count them).
   */
  default FeedStats stats() {
    return FeedStats.NONE;
  }

  /** Stops following and releases the connection; idempotent; the listener is not called after. */
  @Override
  void close();

  /** Receives what the feed sees; must return quickly and not throw. */
  interface Listener {
    /** The whole directory as it is now (valid objects plus a problem per unmappable entry). */
    void onContents(DirectoryRead read, FeedUpdate update);

    /**
     * A delivery: the whole directory as it is now and what changed since the previous delivery.
     * The feed calls this for every delivery; the default passes the whole directory on to {@link
     * #onContents}, so listeners written before deltas keep working. A listener that keeps its own
     * state overrides it and applies {@link DirectoryChanges#delta()} in O(change).
     */
    default void onChanges(DirectoryChanges changes) {
      onContents(changes.read(), changes.update());
    }

    /** Connected (or reconnected) to {@code server} and following it through {@code kind}. */
    default void onConnected(String server, FeedKind kind) {}

    /** The connection was lost or could not be made; the feed keeps retrying. */
    default void onDisconnected(String server, Exception cause) {}
  }
}
