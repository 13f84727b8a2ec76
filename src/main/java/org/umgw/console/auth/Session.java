package org.umgw.console.auth;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.time.Instant;
import org.umgw.directory.DirectoryStore;

/**
 * One browser's session, in memory only: its CSRF token (synchronizer token, checked on every
 * POST), and after a login the user's DN and a directory store over a connection bound as that
 * user, so every edit is decided by the directory's own access control.
 */
public final class Session {
  private final String id;
  private final String csrfToken;
  private final String userDn;
  private final LDAPConnectionPool userPool;
  private final DirectoryStore store;
  private final Instant created;
  private volatile Instant lastSeen;
  private volatile String flash;
  private volatile boolean flashIsError;

  Session(String id, String csrfToken, String userDn, DirectoryStore store, Instant now) {
    this.id = id;
    this.csrfToken = csrfToken;
    this.userDn = userDn;
    this.store = store;
    this.userPool = store == null ? null : store.pool();
    this.created = now;
    this.lastSeen = now;
  }

  public String id() {
    return id;
  }

  public String csrfToken() {
    return csrfToken;
  }

  /** The DN logged in as, or {@code null} before a login. */
  public String userDn() {
    return userDn;
  }

  public boolean loggedIn() {
    return userDn != null;
  }

  /** The store bound as the user; {@code null} before a login. */
  public DirectoryStore store() {
    return store;
  }

  Instant created() {
    return created;
  }

  Instant lastSeen() {
    return lastSeen;
  }

  void touch(Instant now) {
    lastSeen = now;
  }

  /** A one-time message for the next page (after a POST-redirect-GET). */
  public void flash(String message, boolean error) {
    this.flash = message;
    this.flashIsError = error;
  }

  /** The pending message, cleared; {@code null} when none. */
  public Flash takeFlash() {
    String m = flash;
    if (m == null) {
      return null;
    }
    flash = null;
    return new Flash(m, flashIsError);
  }

  /** A message shown once, and whether it reports a refusal. */
  public record Flash(String message, boolean error) {}

  void close() {
    if (userPool != null) {
      userPool.close();
    }
  }
}
