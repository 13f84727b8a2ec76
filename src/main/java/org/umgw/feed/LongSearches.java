package org.umgw.feed;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;

/**
 * The searches a {@link LiveFeed} keeps running (content sync, persistent search): how they are set
 * up, and what their end means for the feed's loop (reconnect, next mechanism, full refresh).
 */
final class LongSearches {
  private static final int E_SYNC_REFRESH_REQUIRED = 4096;

  private LongSearches() {}

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

  /**
   * Turns the end of a long-running search into the exception that says what to do next.
   *
   * @param resuming a content sync that started from a cookie
   */
  static Exception ended(
      SearchResult result, FeedKind k, String server, boolean beforeAnything, boolean resuming) {
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
        && resuming
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

  /** The server refused a mechanism its root DSE offered: the next one is tried at once. */
  static final class MechanismRefused extends Exception {
    private static final long serialVersionUID = 1L;
    final FeedKind kind;

    MechanismRefused(FeedKind kind, String message) {
      super(message);
      this.kind = kind;
    }
  }

  /** The server no longer knows the cookie (e-syncRefreshRequired): a full refresh, at once. */
  static final class RefreshRequired extends Exception {
    private static final long serialVersionUID = 1L;
    final String reason;

    RefreshRequired(String reason) {
      super(reason);
      this.reason = reason;
    }
  }
}
