package org.umgw.feed;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchResult;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntrySet;
import org.umgw.directory.PagedSearch;
import org.umgw.feed.LongSearches.MechanismRefused;
import org.umgw.feed.LongSearches.RefreshRequired;

/**
 * The {@link DirectoryFeed} of {@link DirectoryFeeds#open}: one thread that holds a dedicated
 * connection from the pool, follows the server through one mechanism, and on any failure reports
 * the disconnection, waits (exponential backoff with jitter), takes a new connection (the pool's
 * server set may hand one to the next server) and catches up.
 *
 * <p>The entry set outlives connections: a content-sync cookie is only worth something with the
 * entries it describes, and a full refresh after a reconnect sweeps the set instead of rebuilding
 * it, so unchanged entries are not mapped again and an unchanged directory is not delivered again.
 *
 * <p>This class is the connection loop; the parts: the mechanisms ({@link ContentSync}, {@link
 * PersistentSearch}, {@link Changelog}, polling here), {@link LongSearches} (what a search's end
 * means), {@link Batch} (coalescing), {@link Deliveries} (what changed since the last delivery) and
 * {@link FailBack} (back to the first server after a fail-over).
 */
final class LiveFeed implements DirectoryFeed {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
  static final long IDLE_WAIT_MS = 1000;

  private final LDAPConnectionPool pool;
  final DirectoryLayout layout;
  final Filter filter = EntryMapper.ANY_OBJECT;
  final FeedOptions options;
  final EntrySet entries;

  /** Mechanisms a server refused although its root DSE offered them ({@code server/kind}). */
  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  final AtomicLong fullRefreshes = new AtomicLong();
  final AtomicLong resumedRefreshes = new AtomicLong();
  final AtomicLong resumedAcrossServers = new AtomicLong();
  private final AtomicLong cookiesRefused = new AtomicLong();
  final ContentSync contentSync = new ContentSync(this);

  private volatile FeedKind kind;
  volatile boolean closed;
  volatile LDAPConnection current;
  private LDAPConnection firstConnection;
  private Thread thread;
  private Listener listener;

  // Feed-thread state.
  private final Deliveries deliveries;
  boolean live;

  /** Moves the feed back to the first server after a fail-over, or {@code null}: no fail-over. */
  private volatile FailBack failBack;

  LiveFeed(
      LDAPConnectionPool pool,
      DirectoryLayout layout,
      FeedOptions options,
      FeedKind kind,
      LDAPConnection firstConnection) {
    this.pool = pool;
    this.layout = layout;
    this.options = options;
    this.entries = new EntrySet(layout);
    this.deliveries = new Deliveries(entries);
    this.kind = kind;
    this.firstConnection = firstConnection;
  }

  @Override
  public synchronized void start(Listener listener) {
    if (listener == null) {
      throw new NullPointerException("listener == null");
    }
    if (closed) {
      throw new IllegalStateException("the feed is closed");
    }
    if (thread != null) {
      throw new IllegalStateException("the feed is already started");
    }
    this.listener = listener;
    thread = new Thread(this::run, "umgw-directory-feed");
    thread.setDaemon(true);
    thread.start();
    failBack = FailBack.start(pool, this);
  }

  @Override
  public FeedKind kind() {
    return kind;
  }

  @Override
  public FeedStats stats() {
    return new FeedStats(
        fullRefreshes.get(),
        resumedRefreshes.get(),
        resumedAcrossServers.get(),
        cookiesRefused.get());
  }

  @Override
  public void close() {
    Thread t;
    LDAPConnection unused;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      t = thread;
      unused = t == null ? firstConnection : null;
    }
    if (unused != null) {
      pool.releaseConnection(unused);
    }
    if (t == null) {
      return;
    }
    FailBack f = failBack;
    if (f != null) {
      f.close();
    }
    t.interrupt();
    LDAPConnection c = current;
    if (c != null) {
      c.close(); // wakes an operation the interrupt does not reach
    }
    if (t != Thread.currentThread()) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------- connection loop

  private void run() {
    Backoff backoff = new Backoff(options.backoffMin(), options.backoffMax());
    String server = "the directory";
    while (!closed) {
      LDAPConnection c = null;
      live = false;
      try {
        c = connection();
        server = name(c);
        ServerInfo info;
        try {
          info = ServerInfo.read(c);
        } catch (LDAPException stale) {
          // A pooled connection to a server that went away: let the server set pick again.
          c = replace(c);
          server = name(c);
          info = ServerInfo.read(c);
        }
        FeedKind chosen = choose(info, server);
        kind = chosen;
        LOG.debug("following {} through {}", server, chosen);
        switch (chosen) {
          case SYNCREPL -> contentSync.run(c, server);
          case PERSISTENT_SEARCH -> new PersistentSearch(this).run(c, server);
          case CHANGELOG -> new Changelog(this).run(c, server, info);
          case POLLING -> polling(c, server);
        }
      } catch (MechanismRefused e) {
        if (options.kind() != null) {
          // Forced: nothing else to try; retry with backoff in case the server gets fixed.
          disconnected(server, e);
        } else {
          refused.add(server + "/" + e.kind);
          LOG.warn("{} refused {} ({}); trying the next mechanism", server, e.kind, e.getMessage());
          release(c);
          continue;
        }
      } catch (RefreshRequired e) {
        if (contentSync.cookie() != null) {
          LOG.info(
              "{}: refused the cookie {} issued ({}); reading everything again",
              server,
              contentSync.cookieServer(),
              e.reason);
          cookiesRefused.incrementAndGet();
          contentSync.dropCookie();
          release(c);
          continue;
        }
        // Refused even without a cookie: a server fault, not lost state.
        disconnected(server, e);
      } catch (InterruptedException e) {
        if (closed) {
          release(c);
          break;
        }
        disconnected(server, e);
      } catch (Exception e) {
        // Never let the thread die: whatever failed, report it, back off and start again.
        if (closed) {
          release(c);
          break;
        }
        disconnected(server, e);
      }
      release(c);
      if (closed) {
        break;
      }
      FailBack f = failBack;
      if (f != null && f.moving()) {
        LDAPConnection next = f.reconnect(pool);
        if (next != null) {
          synchronized (this) {
            firstConnection = next;
          }
        }
        continue; // reconnect at once: the first server answered a moment ago
      }
      if (live) {
        backoff.reset();
      }
      // Equal jitter, so that many clients of a restarted server do not reconnect in step.
      try {
        Thread.sleep(backoff.next().toMillis());
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      }
    }
  }

  private LDAPConnection connection() throws LDAPException {
    LDAPConnection c;
    synchronized (this) {
      c = firstConnection;
      firstConnection = null;
    }
    if (c == null || !c.isConnected()) {
      if (c != null) {
        pool.releaseDefunctConnection(c);
      }
      c = pool.getConnection();
    }
    current = c;
    if (closed) {
      c.close();
    }
    return c;
  }

  private LDAPConnection replace(LDAPConnection stale) throws LDAPException {
    current = null;
    LDAPConnection c = pool.replaceDefunctConnection(stale);
    current = c;
    return c;
  }

  private void release(LDAPConnection c) {
    if (c == null) {
      return;
    }
    current = null;
    // A connection that carried a persistent search or content sync still has it running on the
    // server: never hand it back for reuse.
    try {
      pool.releaseDefunctConnection(c);
    } catch (RuntimeException e) {
      LOG.debug("releasing the feed connection", e);
    }
  }

  private FeedKind choose(ServerInfo info, String server) {
    if (options.kind() != null) {
      return options.kind();
    }
    for (FeedKind k : info.offered()) {
      if (!refused.contains(server + "/" + k)) {
        return k;
      }
    }
    return FeedKind.POLLING;
  }

  private void disconnected(String server, Exception cause) {
    FailBack f = failBack;
    if (f != null && f.moving()) {
      // Our own doing (FailBack): not an outage.
      return;
    }
    LOG.warn("directory feed lost {}: {}", server, cause.toString());
    if (closed) {
      return;
    }
    try {
      listener.onDisconnected(server, cause);
    } catch (RuntimeException e) {
      LOG.error("feed listener failed in onDisconnected", e);
    }
  }

  void connected(String server, FeedKind k) {
    kind = k;
    live = true;
    LOG.info("directory feed following {} through {}", server, k);
    if (closed) {
      return;
    }
    try {
      listener.onConnected(server, k);
    } catch (RuntimeException e) {
      LOG.error("feed listener failed in onConnected", e);
    }
  }

  /**
   * Delivers what changed in the entry set since the last delivery ({@link Deliveries}), unless
   * nothing did.
   */
  void deliver(FeedKind k, String server, Instant at, boolean full, int changed) {
    DirectoryChanges changes = deliveries.next(new FeedUpdate(k, server, at, full, changed));
    if (changes == null || closed) {
      return;
    }
    try {
      listener.onChanges(changes);
    } catch (RuntimeException e) {
      LOG.error("feed listener failed in onContents", e);
    }
  }

  static String name(LDAPConnection c) {
    return c.getConnectedAddress() + ":" + c.getConnectedPort();
  }

  int remove(String key) {
    return entries.remove(key) ? 1 : 0;
  }

  boolean inScope(Entry e) {
    try {
      return e.getParsedDN().isDescendantOf(layout.base(), false);
    } catch (LDAPException bad) {
      return true; // the entry set reports it as a problem
    }
  }

  /** Turns the end of a long-running search into the exception that says what to do next. */
  Exception ended(SearchResult result, FeedKind k, String server, boolean beforeAnything) {
    return LongSearches.ended(result, k, server, beforeAnything, contentSync.cookie() != null);
  }

  // ---------------------------------------------------------------- polling

  private void polling(LDAPConnection c, String server) throws Exception {
    boolean first = true;
    while (!closed) {
      Instant at = Instant.now();
      int read = fullRead(c);
      if (first) {
        connected(server, FeedKind.POLLING);
        first = false;
      }
      deliver(FeedKind.POLLING, server, at, true, read);
      Thread.sleep(options.pollInterval().toMillis());
    }
  }

  /** Reads everything into the entry set, removing what is gone. */
  int fullRead(LDAPConnection c) throws LDAPException {
    fullRefreshes.incrementAndGet();
    entries.beginSweep();
    try {
      int read = PagedSearch.run(c, layout.base(), filter, entries::put, EntrySet.ATTRIBUTES);
      entries.endSweep();
      return read;
    } finally {
      entries.abandonSweep();
    }
  }
}
