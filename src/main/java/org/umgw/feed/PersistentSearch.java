package org.umgw.feed;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.EntryChangeNotificationControl;
import com.unboundid.ldap.sdk.controls.PersistentSearchChangeType;
import com.unboundid.ldap.sdk.controls.PersistentSearchRequestControl;
import java.time.Instant;
import org.umgw.directory.EntrySet;

/** Persistent search with entry change notifications for a {@link LiveFeed}, one connection. */
final class PersistentSearch {
  private final LiveFeed feed;

  PersistentSearch(LiveFeed feed) {
    this.feed = feed;
  }

  /**
   * Starts the persistent search first (changes only, with entry change notifications), then reads
   * everything on the same connection, then applies the changes that arrived meanwhile: none is
   * lost in the gap, and applying one the read already saw changes nothing.
   */
  void run(LDAPConnection c, String server) throws Exception {
    Inbox inbox = new Inbox();
    SearchRequest request =
        new SearchRequest(
            inbox,
            feed.layout.base().toString(),
            SearchScope.SUB,
            feed.filter,
            EntrySet.ATTRIBUTES);
    LongSearches.longRunning(request);
    request.addControl(
        new PersistentSearchRequestControl(
            PersistentSearchChangeType.allChangeTypes(), true, true, true));
    c.asyncSearch(request);
    Instant readAt = Instant.now();
    int read = feed.fullRead(c);
    Inbox.Item buffered;
    while ((buffered = inbox.poll()) != null) {
      applyPersistent(buffered, server, true);
    }
    feed.connected(server, FeedKind.PERSISTENT_SEARCH);
    feed.deliver(FeedKind.PERSISTENT_SEARCH, server, readAt, true, read);
    Batch batch = new Batch(feed);
    Heartbeat heartbeat = new Heartbeat(c);
    while (!feed.closed) {
      Inbox.Item item = inbox.poll(batch.waitMillis());
      if (item == null) {
        heartbeat.checkIfDue();
      } else {
        heartbeat.heard();
        batch.note(applyPersistent(item, server, false), item.at());
      }
      batch.deliverIfDue(FeedKind.PERSISTENT_SEARCH, server);
    }
  }

  private int applyPersistent(Inbox.Item item, String server, boolean beforeAnything)
      throws Exception {
    if (item.message() instanceof SearchResult result) {
      throw feed.ended(result, FeedKind.PERSISTENT_SEARCH, server, beforeAnything);
    }
    if (!(item.message() instanceof SearchResultEntry e)) {
      return 0;
    }
    EntryChangeNotificationControl change = EntryChangeNotificationControl.get(e);
    PersistentSearchChangeType type =
        change == null ? PersistentSearchChangeType.MODIFY : change.getChangeType();
    DN dn = e.getParsedDN();
    switch (type) {
      case DELETE -> {
        String key = EntrySet.keyOf(e);
        return feed.entries.remove(key) || feed.entries.removeDn(dn) ? 1 : 0;
      }
      case MODIFY_DN -> {
        // Keyed by entryUUID the entry moves with its subtree; keyed by DN the old name goes.
        String key = EntrySet.keyOf(e);
        if (change.getPreviousDN() != null) {
          DN previous = new DN(change.getPreviousDN());
          feed.entries
              .keyOfDn(previous)
              .filter(old -> !old.equals(key))
              .ifPresent(
                  old -> {
                    feed.entries.keysBelow(previous).forEach(feed.entries::remove);
                    feed.entries.remove(old);
                  });
        }
        return feed.inScope(e) ? (feed.entries.put(key, e) ? 1 : 0) : feed.remove(key);
      }
      default -> {
        return feed.entries.put(e) ? 1 : 0;
      }
    }
  }
}
