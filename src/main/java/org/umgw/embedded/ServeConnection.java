package org.umgw.embedded;

import com.unboundid.ldap.sdk.DN;

/**
 * What {@link ServeAccess} knows of one client connection of the {@code serve} listener: the
 * identity of its last successful bind ({@link DN#NULL_DN} when anonymous) and whether it runs over
 * TLS. Written by the connection's own operations, read by them and by nobody else.
 */
final class ServeConnection {
  private volatile DN bound = DN.NULL_DN;
  private volatile boolean tls;

  DN bound() {
    return bound;
  }

  void bound(DN dn) {
    this.bound = dn == null ? DN.NULL_DN : dn;
  }

  boolean tls() {
    return tls;
  }

  void tls(boolean tls) {
    this.tls = tls;
  }
}
