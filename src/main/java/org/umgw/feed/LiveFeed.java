package org.umgw.feed;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SingleServerSet;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntrySet;
import org.umgw.directory.PagedSearch;

/**
 * The {@link DirectoryFeed} of {@link DirectoryFeeds#open}: one thread that holds a dedicated
 * connection from the pool, follows the server through one mechanism, and on any failure reports
 * the disconnection, waits (exponential backoff with jitter), takes a new connection (the pool's
 * server set may hand one to the next server) and catches up.
 *
 * <p>The entry set outlives connections: a content-sync cookie is only worth something with the
 * entries it describes, and a full refresh after a reconnect sweeps the set instead of rebuilding
 * it, so unchanged entries are not mapped again and an unchanged directory is not delivered again.
 */
final class LiveFeed implements DirectoryFeed {
  private static final Logger LOG = LoggerFactory.getLogger(LiveFeed.class);
  private static final int E_SYNC_REFRESH_REQUIRED = 4096;
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
  private final ContentSync contentSync = new ContentSync(this);

  private volatile FeedKind kind;
  volatile boolean closed;
  private volatile LDAPConnection current;
  private LDAPConnection firstConnection;
  private Thread thread;
  private Listener listener;

  // Feed-thread state.
  private final Deliveries deliveries;
  private boolean live;
  private volatile boolean failingBack;
  private volatile String preferredServer;
  private ScheduledExecutorService failBack;

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
    if (pool.getServerSet() instanceof FailoverServerSet failover
        && failover.getServerSets()[0] instanceof SingleServerSet first) {
      failBack =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "umgw-directory-feed-failback");
                t.setDaemon(true);
                return t;
              });
      preferredServer = first.getAddress() + ":" + first.getPort();
      long every = options.failBackInterval().toMillis();
      failBack.scheduleWithFixedDelay(
          () -> checkFailBack(first), every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * After a fail-over, moves the feed back to the first server as soon as it answers again: the
   * connection pool retires its own fail-over connections the same way, and an operator expects the
   * directory named first to be the one followed. The move closes the feed's connection; the loop
   * then reconnects through the server set (first server first) without reporting an outage, and
   * catches up: from its content-sync cookie when the two servers replicate each other ({@link
   * SyncCookies}), else with a full refresh.
   */
  private void checkFailBack(SingleServerSet first) {
    LDAPConnection c = current;
    if (closed || c == null || !live) {
      return;
    }
    String following = name(c);
    String preferred = preferredServer;
    if (following.equals(preferred)) {
      return;
    }
    try (LDAPConnection probe = first.getConnection()) {
      ServerInfo.read(probe);
      ASN1OctetString resumeFrom = contentSync.cookie();
      List<String> csns =
          resumeFrom == null ? List.of() : SyncCookies.contextCsns(probe, layout.base());
      if (kind == FeedKind.SYNCREPL
          && options.resumeAcrossServers()
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
    failingBack = true;
    c.close();
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
    if (failBack != null) {
      failBack.shutdownNow();
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
      if (failingBack) {
        failingBack = false;
        try {
          // The pool may hold an idle connection to the fail-over server: replace it, so the
          // server set connects anew, first server first.
          LDAPConnection next = pool.getConnection();
          if (!name(next).equals(preferredServer)) {
            next = pool.replaceDefunctConnection(next);
          }
          synchronized (this) {
            firstConnection = next;
          }
        } catch (LDAPException e) {
          LOG.debug("fail-back: no new connection yet: {}", e.getMessage());
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
    if (failingBack) {
      // Our own doing (checkFailBack): not an outage.
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

  private static String name(LDAPConnection c) {
    return c.getConnectedAddress() + ":" + c.getConnectedPort();
  }

  /** Changes seen since the last delivery, delivered together once the window has passed. */
  final class Batch {
    private Instant first;
    private long due;
    int changed;

    void note(int count, Instant at) {
      if (count <= 0) {
        return;
      }
      if (first == null) {
        first = at;
        due = System.nanoTime() + options.coalesceWindow().toNanos();
      }
      changed += count;
    }

    long waitMillis() {
      if (first == null) {
        return IDLE_WAIT_MS;
      }
      return Math.max(0, TimeUnit.NANOSECONDS.toMillis(due - System.nanoTime()));
    }

    void deliverIfDue(FeedKind k, String server) {
      if (first != null && System.nanoTime() - due >= 0) {
        deliver(k, server, first, false, changed);
        first = null;
        changed = 0;
      }
    }
  }

  // ---------------------------------------------------------------- long-running searches

  /**
   * A search that lasts as long as the feed must never time out on the client: with the
   * connection's response timeout (the pool's, {@code --ldap-timeout}) the SDK ends it with 85
   * after that long without an answer, so an idle feed would drop and re-read everything every few
   * seconds. Ordinary operations, the full reads included, keep the timeout; a server that goes
   * away closes the connection, which ends the search at once, and one that stops answering fails
   * the {@link Heartbeat}.
   */
  static void longRunning(SearchRequest request) {
    request.setResponseTimeoutMillis(0L);
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
    ResultCode code = result.getResultCode();
    if (code.intValue() == E_SYNC_REFRESH_REQUIRED) {
      return new RefreshRequired(describe(result));
    }
    // A refusal of a resumed content sync is about the cookie, not the mechanism: after slapd is
    // killed before its syncprov checkpoint, it restarts with an older contextCSN and answers 53
    // "consumer state is newer than provider!". Start again from nothing (a full refresh); a
    // refusal without a cookie is the mechanism's, below.
    if (beforeAnything
        && k == FeedKind.SYNCREPL
        && contentSync.cookie() != null
        && code != ResultCode.SUCCESS
        && code.intValue() <= ResultCode.OTHER_INT_VALUE) {
      return new RefreshRequired(describe(result));
    }
    // A server may list a control and still refuse it (ApacheDS lists content sync, then answers
    // 80 "Replication is not allowed on this server" unless a replication provider is set up):
    // any refusal before the first answer moves to the next mechanism. Codes above 80 are the
    // client's own (server down, timeout, ...): those are a lost connection, not a refusal.
    if (beforeAnything
        && code != ResultCode.SUCCESS
        && code.intValue() <= ResultCode.OTHER_INT_VALUE) {
      return new MechanismRefused(k, describe(result));
    }
    return new LDAPException(
        code == ResultCode.SUCCESS ? ResultCode.SERVER_DOWN : code,
        server + " ended the " + k + " search: " + describe(result));
  }

  private static String describe(SearchResult r) {
    String diag = r.getDiagnosticMessage();
    return r.getResultCode().getName()
        + " ("
        + r.getResultCode().intValue()
        + ")"
        + (diag == null || diag.isBlank() ? "" : ": " + diag);
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

  /** The server refused a mechanism its root DSE offered: the next one is tried at once. */
  private static final class MechanismRefused extends Exception {
    private static final long serialVersionUID = 1L;
    final FeedKind kind;

    MechanismRefused(FeedKind kind, String message) {
      super(message);
      this.kind = kind;
    }
  }

  /** The server no longer knows the cookie (e-syncRefreshRequired): a full refresh, at once. */
  private static final class RefreshRequired extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    RefreshRequired(String reason) {
      super(reason);
      this.reason = reason;
    }
  }
}
