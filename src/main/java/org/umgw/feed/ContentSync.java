package org.umgw.feed;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.IntermediateResponse;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ContentSyncDoneControl;
import com.unboundid.ldap.sdk.controls.ContentSyncInfoIntermediateResponse;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import com.unboundid.ldap.sdk.controls.ContentSyncStateControl;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.EntrySet;

/**
 * RFC 4533 content sync (refreshAndPersist) for a {@link LiveFeed}, one connection at a time, and
 * the cookie that outlives connections: which server issued it, and on which others it may be
 * offered ({@link SyncCookies}). The entry set, the coalescing and the listener stay the feed's.
 */
final class ContentSync {
  private static final Logger LOG = LoggerFactory.getLogger(ContentSync.class);

  private final LiveFeed feed;

  // Written by the feed thread; the cookie is also read by the fail-back check.
  private volatile ASN1OctetString cookie;
  private volatile String cookieServer;
  private String cookieBaseUuid;

  ContentSync(LiveFeed feed) {
    this.feed = feed;
  }

  /** The cookie of the last completed refresh or persist-stage change, or null. */
  ASN1OctetString cookie() {
    return cookie;
  }

  /** The server that issued {@link #cookie()}. */
  String cookieServer() {
    return cookieServer;
  }

  /** Forgets the cookie: the next refresh is a full one. */
  void dropCookie() {
    cookie = null;
  }

  /**
   * refreshAndPersist from the cookie when this server can honour it (it issued it, or it shares
   * the issuer's replication history: {@link #resumable}), else from nothing (a full refresh, which
   * sweeps the entry set so deletions made meanwhile are seen). Entries are keyed by the entryUUID
   * of their sync state, which is also how deletions name them. The cookie is kept once a refresh
   * has completed, and after each change in the persist stage.
   */
  void run(LDAPConnection c, String server) throws Exception {
    String baseUuid = SyncCookies.baseUuid(c, feed.layout.base());
    boolean full = cookie == null || !resumable(c, server, baseUuid);
    boolean across = !full && !server.equals(cookieServer);
    ASN1OctetString pending = full ? null : cookie;
    if (across) {
      LOG.info("{}: resuming content sync from the cookie {} issued", server, cookieServer);
    } else if (full && cookie != null) {
      LOG.info(
          "{}: full refresh: the cookie {} issued does not apply here"
              + " (not the same entries or replication history, or resuming across servers is off)",
          server,
          cookieServer);
    }
    Inbox inbox = new Inbox();
    SearchRequest request =
        new SearchRequest(
            inbox,
            feed.layout.base().toString(),
            SearchScope.SUB,
            feed.filter,
            EntrySet.ATTRIBUTES);
    request.setIntermediateResponseListener(inbox);
    LongSearches.longRunning(request);
    request.addControl(
        new ContentSyncRequestControl(
            true, ContentSyncRequestMode.REFRESH_AND_PERSIST, pending, false));
    c.asyncSearch(request);
    feed.entries.beginSweep();
    boolean refreshing = true;
    boolean heard = false;
    Instant refreshStart = Instant.now();
    Batch batch = new Batch(feed);
    Heartbeat heartbeat = new Heartbeat(c);
    try {
      while (!feed.closed) {
        Inbox.Item item = inbox.poll(refreshing ? LiveFeed.IDLE_WAIT_MS : batch.waitMillis());
        if (item == null) {
          heartbeat.checkIfDue();
        } else {
          heartbeat.heard();
          Object message = item.message();
          if (message instanceof SearchResultEntry e) {
            heard = true;
            ContentSyncStateControl state = ContentSyncStateControl.get(e);
            if (state == null) {
              LOG.debug("{}: entry without a sync state: {}", server, e.getDN());
              continue;
            }
            String key = EntrySet.uuidKey(state.getEntryUUID());
            int n =
                switch (state.getState()) {
                  case ADD, MODIFY ->
                      feed.inScope(e) ? (feed.entries.put(key, e) ? 1 : 0) : feed.remove(key);
                  case DELETE -> feed.remove(key);
                  case PRESENT -> {
                    feed.entries.markPresent(key);
                    yield 0;
                  }
                };
            if (state.getCookie() != null) {
              pending = state.getCookie();
            }
            batch.note(n, item.at());
          } else if (message instanceof IntermediateResponse response) {
            heard = true;
            if (!ContentSyncInfoIntermediateResponse.SYNC_INFO_OID.equals(response.getOID())) {
              continue;
            }
            ContentSyncInfoIntermediateResponse info =
                ContentSyncInfoIntermediateResponse.decode(response);
            if (info.getCookie() != null) {
              pending = info.getCookie();
            }
            boolean done = false;
            switch (info.getType()) {
              case NEW_COOKIE -> {}
              case SYNC_ID_SET -> {
                for (UUID uuid : info.getEntryUUIDs()) {
                  if (info.refreshDeletes()) {
                    batch.note(feed.remove(EntrySet.uuidKey(uuid)), item.at());
                  } else {
                    feed.entries.markPresent(EntrySet.uuidKey(uuid));
                  }
                }
              }
              case REFRESH_PRESENT -> {
                // The end of a present phase: whatever was not named is gone.
                if (!full) {
                  batch.note(feed.entries.endSweep(), item.at());
                }
                done = info.refreshDone();
              }
              case REFRESH_DELETE -> {
                // A delete phase names the deletions; nothing else is gone.
                if (!full) {
                  feed.entries.abandonSweep();
                }
                done = info.refreshDone();
              }
            }
            if (done && refreshing) {
              refreshing = false;
              if (full) {
                feed.entries.endSweep();
              } else {
                feed.entries.abandonSweep();
              }
              cookie = pending;
              cookieServer = server;
              cookieBaseUuid = baseUuid;
              if (full) {
                feed.fullRefreshes.incrementAndGet();
              } else {
                feed.resumedRefreshes.incrementAndGet();
                if (across) {
                  feed.resumedAcrossServers.incrementAndGet();
                }
              }
              feed.connected(server, FeedKind.SYNCREPL);
              if (full) {
                feed.deliver(FeedKind.SYNCREPL, server, refreshStart, true, feed.entries.size());
              } else {
                feed.deliver(FeedKind.SYNCREPL, server, refreshStart, false, batch.changed);
              }
              batch = new Batch(feed);
            }
          } else if (message instanceof SearchResult result) {
            ContentSyncDoneControl syncDone = ContentSyncDoneControl.get(result);
            if (syncDone != null && syncDone.getCookie() != null && !refreshing) {
              cookie = syncDone.getCookie();
            }
            throw feed.ended(result, FeedKind.SYNCREPL, server, refreshing && !heard);
          }
        }
        if (!refreshing) {
          cookie = pending;
          batch.deliverIfDue(FeedKind.SYNCREPL, server);
        }
      }
    } finally {
      feed.entries.abandonSweep();
    }
  }

  /**
   * Whether the cookie may be offered to {@code server}: always to the server that issued it; to
   * another one when {@link FeedOptions#resumeAcrossServers()} is on, the base entry has the same
   * entryUUID on both, and they share a replication history ({@link SyncCookies}).
   */
  private boolean resumable(LDAPConnection c, String server, String baseUuid) {
    if (server.equals(cookieServer)) {
      return true;
    }
    return feed.options.resumeAcrossServers()
        && baseUuid != null
        && baseUuid.equals(cookieBaseUuid)
        && SyncCookies.sharesHistory(cookie, SyncCookies.contextServerIds(c, feed.layout.base()));
  }
}
