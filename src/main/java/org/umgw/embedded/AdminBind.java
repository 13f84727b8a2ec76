package org.umgw.embedded;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSASLBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import java.security.MessageDigest;

/**
 * Binds as the administrator: the in-memory server knows one administrator, {@code
 * cn=admin,<base>}, with a random secret held only in memory, which the process's own connections
 * use. A client's bind as that DN with the password of {@code admin.pw} is translated to the
 * secret, so the password can be read (and changed) when {@code serve} starts, while the server
 * configuration is fixed at open. SASL binds are refused: the server is configured without SASL
 * mechanisms, and a bind that bypassed this translation would bypass the password file.
 *
 * <p>Other DNs (the {@code --writer-dn} entries) bind against their entries' hashed passwords,
 * untouched.
 */
final class AdminBind extends InMemoryOperationInterceptor {
  private final DN adminDn;
  private final byte[] internalSecret;
  private volatile byte[] adminPassword;

  AdminBind(DN adminDn, byte[] internalSecret) {
    this.adminDn = adminDn;
    this.internalSecret = internalSecret.clone();
  }

  /** Sets the password an LDAP client gives to bind as the administrator. */
  void adminPassword(byte[] password) {
    this.adminPassword = password.clone();
  }

  @Override
  public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request)
      throws LDAPException {
    SimpleBindRequest bind = request.getRequest();
    String dn = bind.getBindDN();
    if (dn == null || dn.isEmpty()) {
      return;
    }
    DN parsed;
    try {
      parsed = new DN(dn);
    } catch (LDAPException e) {
      return; // the server answers invalidDNSyntax itself
    }
    if (!parsed.equals(adminDn)) {
      return;
    }
    byte[] given = bind.getPassword() == null ? new byte[0] : bind.getPassword().getValue();
    if (MessageDigest.isEqual(given, internalSecret)) {
      return;
    }
    byte[] expected = adminPassword;
    if (expected != null && given.length > 0 && MessageDigest.isEqual(given, expected)) {
      request.setRequest(new SimpleBindRequest(dn, internalSecret, bind.getControls()));
      return;
    }
    throw new LDAPException(ResultCode.INVALID_CREDENTIALS, "invalid credentials");
  }

  @Override
  public void processSASLBindRequest(InMemoryInterceptedSASLBindRequest request)
      throws LDAPException {
    throw new LDAPException(
        ResultCode.AUTH_METHOD_NOT_SUPPORTED, "this directory takes simple binds only");
  }
}
