package org.umgw.console.auth;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.SSLUtil;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.X509TrustManager;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.UmgwException;

/**
 * Logs a user in by binding to the directory as that user: the directory checks the password, and
 * its access control later decides each edit made over that same connection. A user name without
 * {@code =} is mapped to a DN by searching {@code loginBase} for {@code (|(uid=NAME)(cn=NAME))}
 * with the console's own connection; exactly one entry must match.
 */
public final class LdapLogin {
  /** Results meaning the credentials, not the server, are wrong. */
  private static final Set<ResultCode> REFUSALS =
      Set.of(
          ResultCode.INVALID_CREDENTIALS,
          ResultCode.INAPPROPRIATE_AUTHENTICATION,
          ResultCode.CONFIDENTIALITY_REQUIRED,
          ResultCode.STRONG_AUTH_REQUIRED,
          ResultCode.UNWILLING_TO_PERFORM);

  /**
   * Where users bind: the same servers, TLS settings and trust as the console's own connection.
   *
   * @param trust the certificates to trust for ldaps:// and StartTLS ({@code null}: no TLS)
   */
  public record Target(
      List<LDAPURL> urls, boolean startTls, X509TrustManager trust, Duration timeout) {
    public Target {
      urls = List.copyOf(urls);
    }
  }

  /** The login failed: the message is for the user (it never tells which part was wrong). */
  public static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A successful login: the DN bound as, and a store over that connection. */
  public record LoggedIn(String dn, DirectoryStore store) {}

  private final Target target;
  private final LDAPConnectionPool lookup;
  private final DN loginBase;
  private final DirectoryLayout layout;

  public LdapLogin(Target target, LDAPConnectionPool lookup, DN loginBase, DirectoryLayout layout) {
    this.target = target;
    this.lookup = lookup;
    this.loginBase = loginBase;
    this.layout = layout;
  }

  public DN loginBase() {
    return loginBase;
  }

  /**
   * Binds as {@code user} and returns a store over that one connection (re-bound the same way if it
   * drops). The caller owns the store's pool.
   *
   * @throws Refused wrong DN, name or password, or an empty password (an unauthenticated bind)
   * @throws UmgwException the directory cannot be reached
   */
  public LoggedIn login(String user, String password) throws Refused {
    if (user == null || user.isBlank() || password == null || password.isEmpty()) {
      throw new Refused("enter a user name and a password", null);
    }
    String dn = dnFor(user.strip());
    SimpleBindRequest bind = new SimpleBindRequest(dn, password);
    try {
      LDAPConnectionPool pool = new LDAPConnectionPool(servers(bind), bind, 1, 1, null);
      pool.setRetryFailedOperationsDueToInvalidConnections(true);
      pool.setConnectionPoolName("umgw-console-user");
      return new LoggedIn(dn, new DirectoryStore(pool, layout));
    } catch (LDAPException e) {
      if (REFUSALS.contains(e.getResultCode())) {
        throw new Refused("the directory refused this user name and password", e);
      }
      throw new UmgwException(
          "cannot reach the directory to log in: " + e.getResultCode() + " " + e.getMessage(), e);
    }
  }

  /** {@code user} itself when it is a DN, else the one entry whose uid or cn it is. */
  String dnFor(String user) throws Refused {
    if (user.indexOf('=') > 0) {
      if (!DN.isValidDN(user)) {
        throw new Refused("\"" + user + "\" is not a DN", null);
      }
      return user;
    }
    Filter f =
        Filter.createORFilter(
            Filter.createEqualityFilter("uid", user), Filter.createEqualityFilter("cn", user));
    SearchRequest search = new SearchRequest(loginBase.toString(), SearchScope.SUB, f, "1.1");
    search.setSizeLimit(2);
    try {
      SearchResult r = lookup.search(search);
      if (r.getEntryCount() == 1) {
        return r.getSearchEntries().get(0).getDN();
      }
    } catch (LDAPException e) {
      if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED
          && e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
        throw new UmgwException("cannot look up the user name: " + e.getMessage(), e);
      }
    }
    throw new Refused("the directory refused this user name and password", null);
  }

  private ServerSet servers(SimpleBindRequest bind) {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis((int) target.timeout().toMillis());
    options.setResponseTimeoutMillis(target.timeout().toMillis());
    SSLUtil ssl = target.trust() == null ? null : new SSLUtil(target.trust());
    if (ssl != null) {
      options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    }
    List<ServerSet> sets = new ArrayList<>();
    try {
      for (LDAPURL url : target.urls()) {
        boolean ldaps = url.getScheme().equals("ldaps");
        if ((ldaps || target.startTls()) && ssl == null) {
          throw new UmgwException("TLS to " + url + " needs a trust manager");
        }
        SocketFactory sockets = ldaps ? ssl.createSSLSocketFactory() : SocketFactory.getDefault();
        StartTLSPostConnectProcessor startTls =
            target.startTls()
                ? new StartTLSPostConnectProcessor(ssl.createSSLSocketFactory())
                : null;
        sets.add(
            new SingleServerSet(url.getHost(), url.getPort(), sockets, options, bind, startTls));
      }
    } catch (GeneralSecurityException e) {
      throw new UmgwException("cannot set up TLS for logins: " + e.getMessage(), e);
    }
    return sets.size() == 1 ? sets.get(0) : new FailoverServerSet(sets);
  }
}
