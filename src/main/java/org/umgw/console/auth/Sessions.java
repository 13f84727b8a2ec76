package org.umgw.console.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.umgw.directory.DirectoryStore;

/**
 * The console's sessions, in memory (a restart logs everybody out). A session ends after {@code
 * idle} without a request, or {@code idle} × 24 after it began, whichever is first; at most {@link
 * #MAX_SESSIONS} live at once, the least recently used going first, so a flood of anonymous
 * visitors cannot grow the map without bound.
 */
public final class Sessions implements AutoCloseable {
  public static final int MAX_SESSIONS = 10_000;
  private static final Base64.Encoder TOKEN = Base64.getUrlEncoder().withoutPadding();

  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Duration idle;
  private final Duration absolute;
  private final Clock clock;

  public Sessions(Duration idle, Clock clock) {
    this.idle = idle;
    this.absolute = idle.multipliedBy(24);
    this.clock = clock;
  }

  public Duration idle() {
    return idle;
  }

  /** The live session with this cookie value, touched; {@code null} when none or expired. */
  public Session find(String id) {
    if (id == null) {
      return null;
    }
    Session s = byId.get(id);
    if (s == null) {
      return null;
    }
    Instant now = clock.instant();
    if (expired(s, now)) {
      remove(s);
      return null;
    }
    s.touch(now);
    return s;
  }

  /** A new session without a user (for the login form's CSRF token, and anonymous reading). */
  public Session anonymous() {
    return add(new Session(token(), token(), null, null, clock.instant()));
  }

  /**
   * After a successful bind: a new session (a new id, so a planted id is worth nothing) holding the
   * user's store; the old one ends.
   */
  public Session login(Session old, String userDn, DirectoryStore store) {
    if (old != null) {
      remove(old);
    }
    return add(new Session(token(), token(), userDn, store, clock.instant()));
  }

  public void remove(Session s) {
    if (byId.remove(s.id(), s)) {
      s.close();
    }
  }

  /** Whether {@code presented} is this session's CSRF token (compared in constant time). */
  public static boolean csrfMatches(Session s, String presented) {
    return presented != null
        && MessageDigest.isEqual(
            s.csrfToken().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            presented.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  public int size() {
    return byId.size();
  }

  private Session add(Session s) {
    if (byId.size() >= MAX_SESSIONS) {
      sweep();
    }
    while (byId.size() >= MAX_SESSIONS) {
      byId.values().stream().min(Comparator.comparing(Session::lastSeen)).ifPresent(this::remove);
    }
    byId.put(s.id(), s);
    return s;
  }

  private volatile Instant nextSweep = Instant.MIN;

  /**
   * Drops the expired sessions (closing their LDAP connections) at most once a minute; called on
   * each request, so a console nobody visits closes them at its next request.
   */
  public void sweepIfDue() {
    Instant now = clock.instant();
    if (now.isAfter(nextSweep)) {
      nextSweep = now.plusSeconds(60);
      sweep();
    }
  }

  /** Drops every expired session. */
  public void sweep() {
    Instant now = clock.instant();
    byId.values().stream().filter(s -> expired(s, now)).toList().forEach(this::remove);
  }

  private boolean expired(Session s, Instant now) {
    return s.lastSeen().plus(idle).isBefore(now) || s.created().plus(absolute).isBefore(now);
  }

  private String token() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return TOKEN.encodeToString(bytes);
  }

  @Override
  public void close() {
    byId.values().forEach(this::remove);
  }
}
