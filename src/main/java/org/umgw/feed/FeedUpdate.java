package org.umgw.feed;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Why a feed delivered contents.
 *
 * @param kind the mechanism that saw the change
 * @param server the server it came from ({@code host:port})
 * @param receivedAt when the first change of this delivery arrived from the server
 * @param fullRefresh the whole directory was read again (initial load, a reconnect that could not
 *     resume from the content-sync cookie, lost sync state); {@link DirectoryFeed#stats()} counts
 *     them
 * @param changedEntries entries added, modified or deleted since the previous delivery (for a full
 *     refresh: every entry read)
 */
public record FeedUpdate(
    FeedKind kind, String server, Instant receivedAt, boolean fullRefresh, int changedEntries) {
  public FeedUpdate {
    requireNonNull(kind, "kind == null");
    requireNonNull(server, "server == null");
    requireNonNull(receivedAt, "receivedAt == null");
  }
}
