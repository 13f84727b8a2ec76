package org.umgw.directory;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.GetEntryLDAPConnectionPoolHealthCheck;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.SocketFactory;
import javax.net.ssl.TrustManager;
import org.umgw.model.UmgwException;

/**
 * Opens a connection pool from a {@link DirectoryConfig}: a failover server set over the URLs in
 * order, each connection bound and, with StartTLS, secured before use; certificates checked against
 * the trust store and the host name; a background health check that drops dead connections so the
 * pool moves to the next server.
 */
public final class DirectoryConnector {
  private static final long HEALTH_CHECK_INTERVAL_MS = 10_000;

  private DirectoryConnector() {}

  /**
   * @throws DirectoryUnavailableException when no server of the list can be reached or bound
   * @throws UmgwException when the password or trust store file cannot be read
   */
  public static LDAPConnectionPool open(DirectoryConfig config) {
    BindRequest bind =
        config.bindDn() == null
            ? null
            : new SimpleBindRequest(config.bindDn(), readSecret(config.bindPasswordFile(), "bind"));
    SSLUtil ssl = config.usesTls() ? sslUtil(config) : null;

    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis((int) config.connectTimeout().toMillis());
    options.setResponseTimeoutMillis(config.responseTimeout().toMillis());
    options.setUseKeepAlive(true);
    if (ssl != null) {
      options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    }

    List<ServerSet> servers = new ArrayList<>();
    for (LDAPURL url : config.urls()) {
      servers.add(serverSet(url, config, ssl, options, bind));
    }
    ServerSet serverSet = servers.size() == 1 ? servers.get(0) : new FailoverServerSet(servers);
    try {
      // The server sets bind and run StartTLS themselves; the pool is told the same bind so that
      // it can re-authenticate connections it replaces.
      LDAPConnectionPool pool = new LDAPConnectionPool(serverSet, bind, 1, config.maxConnections());
      pool.setRetryFailedOperationsDueToInvalidConnections(true);
      pool.setHealthCheck(
          new GetEntryLDAPConnectionPoolHealthCheck(
              "", config.responseTimeout().toMillis(), false, false, false, true, true));
      pool.setHealthCheckIntervalMillis(HEALTH_CHECK_INTERVAL_MS);
      pool.setConnectionPoolName("umgw");
      return pool;
    } catch (LDAPException e) {
      String where =
          config.urls().stream().map(LDAPURL::toString).collect(Collectors.joining(", "));
      throw new DirectoryUnavailableException(
          "cannot connect to the directory at " + where + ": " + describe(e), e.getResultCode(), e);
    }
  }

  private static ServerSet serverSet(
      LDAPURL url,
      DirectoryConfig config,
      SSLUtil ssl,
      LDAPConnectionOptions options,
      BindRequest bind) {
    boolean ldaps = url.getScheme().equals("ldaps");
    try {
      SocketFactory sockets = ldaps ? ssl.createSSLSocketFactory() : SocketFactory.getDefault();
      PostConnectProcessor startTls =
          config.startTls() ? new StartTLSPostConnectProcessor(ssl.createSSLContext()) : null;
      return new SingleServerSet(url.getHost(), url.getPort(), sockets, options, bind, startTls);
    } catch (GeneralSecurityException e) {
      throw new UmgwException("cannot set up TLS for " + url + ": " + e.getMessage(), e);
    }
  }

  private static SSLUtil sslUtil(DirectoryConfig config) {
    TrustManager trust;
    if (config.trustStore() == null) {
      trust = JVMDefaultTrustManager.getInstance();
    } else {
      Path store = config.trustStore();
      if (!Files.isReadable(store)) {
        throw new UmgwException("trust store " + store + " does not exist or is not readable");
      }
      char[] pin =
          config.trustStorePasswordFile() == null
              ? null
              : readSecret(config.trustStorePasswordFile(), "trust store").toCharArray();
      trust = new TrustStoreTrustManager(store.toFile(), pin, null, true);
    }
    SSLUtil ssl = new SSLUtil(trust);
    return ssl;
  }

  /**
   * Reads a secret from a file: its first line, without the line ending, so files written with
   * {@code echo} work as well as those written with {@code printf}.
   *
   * @throws UmgwException naming the file when it is missing, unreadable or empty
   */
  public static String readSecret(Path file, String what) {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8);
      int eol = text.indexOf('\n');
      String line = eol < 0 ? text : text.substring(0, eol);
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isEmpty()) {
        throw new UmgwException(what + " password file " + file + " is empty");
      }
      return line;
    } catch (NoSuchFileException e) {
      throw new UmgwException(what + " password file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UmgwException(
          "cannot read " + what + " password file " + file + ": " + e.getMessage(), e);
    }
  }

  static String describe(LDAPException e) {
    String diag = e.getDiagnosticMessage();
    return e.getResultCode().getName()
        + " ("
        + e.getResultCode().intValue()
        + ")"
        + (diag == null || diag.isBlank() ? "" : ": " + diag);
  }
}
