package org.umgw.feed;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.concurrent.TimeUnit;

/**
 * Proves the connection of a long-running search alive while it is quiet. The search itself has no
 * client timeout (an idle directory sends nothing for hours), so a server that stops answering
 * without closing the connection (frozen, or cut off by the network) would otherwise be followed
 * for ever. After one response timeout of silence, a root DSE read on the same connection must
 * answer within the connection's ordinary response timeout; if it does not, the feed reconnects as
 * after any lost connection. A connection without a response timeout gets no heartbeat.
 */
final class Heartbeat {
  private final LDAPConnection connection;
  private final long intervalNanos;
  private long last = System.nanoTime();

  Heartbeat(LDAPConnection connection) {
    this.connection = connection;
    this.intervalNanos =
        TimeUnit.MILLISECONDS.toNanos(connection.getConnectionOptions().getResponseTimeoutMillis());
  }

  /** Something arrived on the search: the connection is alive. */
  void heard() {
    last = System.nanoTime();
  }

  /**
   * Reads the root DSE when the search has been quiet for one interval.
   *
   * @throws LDAPException when the server does not answer within the response timeout
   */
  void checkIfDue() throws LDAPException {
    if (intervalNanos <= 0 || System.nanoTime() - last < intervalNanos) {
      return;
    }
    connection.getRootDSE();
    last = System.nanoTime();
  }
}
