package org.umgw.service;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPURL;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.DirectoryUnavailableException;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;
import org.umgw.feed.Backoff;
import org.umgw.feed.DirectoryChanges;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedUpdate;
import org.umgw.model.DirectoryContents;

/**
 * Follows the directory for the service: opens the pool and the change feed (retrying with backoff
 * while no server answers), forwards every delivery, and reports each outage once (9202) and its
 * end (9203). The service keeps serving its snapshot throughout; this class never touches it.
 */
final class DirectoryFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryFollower.class);
  private static final Duration CONNECT_BACKOFF_MIN = Duration.ofSeconds(1);
  private static final Duration CONNECT_BACKOFF_MAX = Duration.ofSeconds(30);

  /** What the service hears; called on the feed's thread or the scheduler's. */
  interface Listener {
    void onChanges(DirectoryChanges changes);

    void onConnected(String server, FeedKind kind);

    void onDisconnected(String server, Exception cause);
  }

  private final DirectoryConfig config;
  private final LDAPConnectionPool givenPool;
  private final DirectoryLayout layout;
  private final TrustService.FeedFactory feedFactory;
  private final ScheduledExecutorService scheduler;
  private final EventListener events;
  private final Clock clock;
  private final IntSupplier servedPeers;
  private final Listener listener;
  private final Backoff backoff = new Backoff(CONNECT_BACKOFF_MIN, CONNECT_BACKOFF_MAX);

  // Guarded by this.
  private boolean closed;
  private LDAPConnectionPool pool;
  private DirectoryFeed feed;

  private volatile boolean outageReported;

  DirectoryFollower(
      DirectoryConfig config,
      LDAPConnectionPool givenPool,
      DirectoryLayout layout,
      TrustService.FeedFactory feedFactory,
      ScheduledExecutorService scheduler,
      EventListener events,
      Clock clock,
      IntSupplier servedPeers,
      Listener listener) {
    this.config = config;
    this.givenPool = givenPool;
    this.layout = requireNonNull(layout, "layout == null");
    this.feedFactory = requireNonNull(feedFactory, "feedFactory == null");
    this.scheduler = requireNonNull(scheduler, "scheduler == null");
    this.events = requireNonNull(events, "events == null");
    this.clock = requireNonNull(clock, "clock == null");
    this.servedPeers = requireNonNull(servedPeers, "servedPeers == null");
    this.listener = requireNonNull(listener, "listener == null");
  }

  /** The configured servers, for messages. */
  String where() {
    if (config == null) {
      return "the given connection pool";
    }
    return config.urls().stream().map(LDAPURL::toString).collect(Collectors.joining(", "));
  }

  /**
   * Opens the pool and the feed.
   *
   * @throws DirectoryUnavailableException when no server answers
   */
  void connect() {
    LDAPConnectionPool p = givenPool != null ? givenPool : DirectoryConnector.open(config);
    DirectoryFeed f;
    try {
      f = feedFactory.open(p, layout);
    } catch (RuntimeException e) {
      if (p != givenPool) {
        p.close();
      }
      throw e;
    }
    synchronized (this) {
      if (closed) {
        f.close();
        if (p != givenPool) {
          p.close();
        }
        return;
      }
      pool = p;
      feed = f;
    }
    f.start(new Relay());
  }

  /** Keeps trying {@link #connect} in the background, with backoff, until it works or closes. */
  void connectInBackground() {
    try {
      scheduler.schedule(this::retry, backoff.next().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closedAlready) {
      LOG.debug("not reconnecting: the service is closed");
    }
  }

  private void retry() {
    try {
      connect();
    } catch (DirectoryUnavailableException e) {
      LOG.debug("directory still unreachable: {}", e.getMessage());
      connectInBackground();
    } catch (RuntimeException e) {
      LOG.warn("cannot follow the directory at {}: {}", where(), e.getMessage());
      connectInBackground();
    }
  }

  /**
   * Marks the service as not following the directory (it started from its on-disk copy), so that
   * the first connection reports 9203.
   */
  void startedDisconnected() {
    outageReported = true;
  }

  @Override
  public void close() {
    DirectoryFeed f;
    LDAPConnectionPool p;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      f = feed;
      p = pool;
    }
    if (f != null) {
      f.close();
    }
    if (p != null && p != givenPool) {
      p.close();
    }
  }

  private final class Relay implements DirectoryFeed.Listener {
    private DirectoryContents lastRead;

    /** A feed that only has whole reads: the service works out what changed. */
    @Override
    public void onContents(DirectoryRead read, FeedUpdate update) {
      DirectoryContents previous;
      synchronized (this) {
        previous = lastRead;
        lastRead = read.contents();
      }
      listener.onChanges(DirectoryChanges.between(previous, read, update));
    }

    @Override
    public void onChanges(DirectoryChanges changes) {
      synchronized (this) {
        lastRead = changes.read().contents();
      }
      listener.onChanges(changes);
    }

    @Override
    public void onConnected(String server, FeedKind kind) {
      listener.onConnected(server, kind);
      if (outageReported) {
        outageReported = false;
        events.onEvent(
            Event.of(
                EventId.DIRECTORY_RECONNECTED,
                clock.instant(),
                "Following the directory at " + server + " again (" + kind + ")",
                "server",
                server,
                "feed",
                kind.name()));
      }
    }

    @Override
    public void onDisconnected(String server, Exception cause) {
      listener.onDisconnected(server, cause);
      if (!outageReported) {
        outageReported = true;
        events.onEvent(
            Event.of(
                EventId.DIRECTORY_UNREACHABLE,
                clock.instant(),
                "Lost the directory at "
                    + server
                    + " ("
                    + cause.getMessage()
                    + "): the last trust list served ("
                    + servedPeers.getAsInt()
                    + " peers) stays in service while reconnecting",
                "server",
                String.valueOf(server),
                "reason",
                String.valueOf(cause.getMessage())));
      }
    }
  }
}
