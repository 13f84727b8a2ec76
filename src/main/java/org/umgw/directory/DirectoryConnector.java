package org.umgw.directory;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.GetEntryLDAPConnectionPoolHealthCheck;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustStoreTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.umgw.model.UmgwException;

/**
 * Opens a connection pool from a {@link DirectoryConfig}: a failover server set over the URLs in
 * order, each connection bound and, with StartTLS, secured before use; certificates checked against
 * the trust store and the host name; a background health check that drops dead connections so the
 * pool moves to the next server.
 */
public final class DirectoryConnector {
  private static final long HEALTH_CHECK_INTERVAL_MS = 10_000;

  private static final Pattern SDK_VERSION =
      Pattern.compile(", ldapSDKVersion=[^,]*, revision=[0-9a-fA-F]+");

  /** Bind results that mean the credentials or the way they are sent, not the server, are wrong. */
  private static final Set<ResultCode> BIND_REFUSALS =
      Set.of(
          ResultCode.INVALID_CREDENTIALS,
          ResultCode.INAPPROPRIATE_AUTHENTICATION,
          ResultCode.CONFIDENTIALITY_REQUIRED,
          ResultCode.STRONG_AUTH_REQUIRED);

  private static final long FAILBACK_AFTER_MS = 5 * 60_000;

  private DirectoryConnector() {}

  /**
   * @throws DirectoryUnavailableException when no server of the list can be reached, answers in
   *     time or completes the TLS handshake and certificate checks
   * @throws DirectoryException when a server refuses the bind (wrong DN or password)
   * @throws UmgwException when the password or trust store file cannot be read
   */
  public static LDAPConnectionPool open(DirectoryConfig config) {
    BindRequest bind =
        config.bindDn() == null
            ? null
            : new SimpleBindRequest(config.bindDn(), readSecret(config.bindPasswordFile(), "bind"));
    SSLUtil ssl = config.usesTls() ? new SSLUtil(trustManager(config)) : null;

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
    ServerSet serverSet = servers.get(0);
    if (servers.size() > 1) {
      FailoverServerSet failover = new FailoverServerSet(servers);
      // Connections to a fallback server are retired after a while, so the pool returns to the
      // first server once it is back instead of staying on the fallback for ever.
      failover.setMaxFailoverConnectionAgeMillis(FAILBACK_AFTER_MS);
      serverSet = failover;
    }
    // Background checks and checks after an exception drop dead connections. A new anonymous
    // connection reads the root DSE first, so a server that accepts TCP but never answers LDAP is
    // skipped like a dead one (a bound connection has proved that already by its bind response).
    GetEntryLDAPConnectionPoolHealthCheck healthCheck =
        new GetEntryLDAPConnectionPoolHealthCheck(
            "", config.responseTimeout().toMillis(), bind == null, false, false, false, true, true);
    try {
      // The server sets bind and run StartTLS themselves; the pool is told the same bind so that
      // it can re-authenticate connections it replaces.
      LDAPConnectionPool pool =
          new LDAPConnectionPool(
              serverSet, bind, 1, config.maxConnections(), 1, null, true, healthCheck);
      pool.setRetryFailedOperationsDueToInvalidConnections(true);
      pool.setHealthCheckIntervalMillis(HEALTH_CHECK_INTERVAL_MS);
      pool.setConnectionPoolName("umgw");
      return pool;
    } catch (LDAPException e) {
      String where =
          config.urls().stream().map(LDAPURL::toString).collect(Collectors.joining(", "));
      if (bind != null && BIND_REFUSALS.contains(e.getResultCode())) {
        throw new DirectoryException(
            "the directory at "
                + where
                + " refused the bind as \""
                + config.bindDn()
                + "\" (password from "
                + config.bindPasswordFile()
                + "): "
                + describeFailure(e),
            e.getResultCode(),
            e);
      }
      throw new DirectoryUnavailableException(
          "cannot connect to the directory at " + where + ": " + describeFailure(e),
          e.getResultCode(),
          e);
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
      SocketFactory sockets =
          ldaps
              ? new HandshakeTimeoutSocketFactory(
                  ssl.createSSLSocketFactory(), options.getConnectTimeoutMillis())
              : SocketFactory.getDefault();
      PostConnectProcessor startTls =
          config.startTls() ? new StartTLSPostConnectProcessor(ssl.createSSLSocketFactory()) : null;
      return new SingleServerSet(url.getHost(), url.getPort(), sockets, options, bind, startTls);
    } catch (GeneralSecurityException e) {
      throw new UmgwException("cannot set up TLS for " + url + ": " + e.getMessage(), e);
    }
  }

  /**
   * The JVM's trust store, or the configured file: PEM CA certificates (recognized by content, as
   * OpenLDAP's {@code TLS_CACERT} file), else a JKS or PKCS#12 key store. The file is read here so
   * that a wrong path, password or format is reported naming the file, not as a failed handshake.
   */
  private static TrustManager trustManager(DirectoryConfig config) {
    return trustManager(config.trustStore(), config.trustStorePasswordFile());
  }

  /**
   * The JVM's trust store when {@code store} is null, else the file: PEM CA certificates, or a JKS
   * or PKCS#12 key store (with the password read from {@code pinFile}, or none). Shared with the
   * SIP TLS prober so that both read trust stores alike.
   *
   * @throws UmgwException naming the file when it is missing, of another format, empty, or the
   *     password is wrong
   */
  public static X509TrustManager trustManager(Path store, Path pinFile) {
    if (store == null) {
      return JVMDefaultTrustManager.getInstance();
    }
    if (isPem(store)) {
      if (pinFile != null) {
        throw new UmgwException(
            "trust store "
                + store
                + " is a PEM file, which has no password: leave out the trust store password file "
                + pinFile);
      }
      try {
        return new PEMFileTrustManager(store.toFile());
      } catch (KeyStoreException e) {
        throw new UmgwException(
            "trust store "
                + store
                + " is not a PEM file of certificates: "
                + withoutSdkVersion(e.getMessage()),
            e);
      }
    }
    char[] pin = pinFile == null ? null : readSecret(pinFile, "trust store").toCharArray();
    KeyStore keyStore;
    try {
      keyStore = KeyStore.getInstance(store.toFile(), pin);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new UmgwException(
          "trust store "
              + store
              + " is not a PEM, JKS or PKCS#12 file"
              + (pin == null ? "" : ", or the password in " + pinFile + " is wrong")
              + ": "
              + e.getMessage(),
          e);
    }
    if (countCertificates(keyStore, store) == 0) {
      throw new UmgwException(
          "trust store "
              + store
              + " holds no certificates"
              + (pin == null
                  ? " readable without a password (give a trust store password file)"
                  : ""));
    }
    return new TrustStoreTrustManager(store.toFile(), pin, keyStore.getType(), true);
  }

  /** True if the file starts (after white space or a byte order mark) with a PEM header. */
  private static boolean isPem(Path file) {
    byte[] head = new byte[256];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    } catch (NoSuchFileException e) {
      throw new UmgwException("trust store " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UmgwException("cannot read trust store " + file + ": " + e.getMessage(), e);
    }
    String text = new String(head, 0, n, StandardCharsets.ISO_8859_1);
    if (text.startsWith("\u00ef\u00bb\u00bf")) {
      text = text.substring(3);
    }
    return text.stripLeading().startsWith("-----BEGIN");
  }

  private static int countCertificates(KeyStore keyStore, Path store) {
    try {
      int count = 0;
      for (String alias : Collections.list(keyStore.aliases())) {
        if (keyStore.getCertificate(alias) != null) {
          count++;
        }
      }
      return count;
    } catch (KeyStoreException e) {
      throw new UmgwException("cannot read trust store " + store + ": " + e.getMessage(), e);
    }
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

  /**
   * Like {@link #describe} but for failures to connect: those are detected by the client (refused
   * connection, timeout, untrusted certificate, host name mismatch), have no diagnostic message and
   * explain themselves in the exception message, which names the server.
   */
  private static String describeFailure(LDAPException e) {
    String diag = e.getDiagnosticMessage();
    String text = diag != null && !diag.isBlank() ? diag : e.getMessage();
    String code = e.getResultCode().getName() + " (" + e.getResultCode().intValue() + ")";
    text = withoutSdkVersion(text);
    return text == null || text.isBlank() || text.equals(e.getResultCode().getName())
        ? code
        : code + ": " + text;
  }

  /** Drops the ", ldapSDKVersion=…, revision=…" that the SDK appends to nested exception texts. */
  private static String withoutSdkVersion(String text) {
    return text == null ? null : SDK_VERSION.matcher(text).replaceAll("");
  }

  /**
   * Connects LDAPS sockets and completes the TLS handshake within the connect timeout. The SDK's
   * connect thread waits for the TCP connection only and then reads the handshake with no timeout,
   * so a server that accepts connections but never answers would hang {@link #open} forever. This
   * factory does not make unconnected sockets, so the SDK asks for a connected one instead (as it
   * does with any such factory), and that one is returned handshaken. The SDK then sets the
   * response timeout as the socket's read timeout.
   */
  private static final class HandshakeTimeoutSocketFactory extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final int timeoutMillis;

    HandshakeTimeoutSocketFactory(SSLSocketFactory delegate, int timeoutMillis) {
      this.delegate = delegate;
      this.timeoutMillis = Math.max(0, timeoutMillis);
    }

    private Socket connect(InetSocketAddress remote, InetSocketAddress local) throws IOException {
      SSLSocket socket = (SSLSocket) delegate.createSocket();
      try {
        if (local != null) {
          socket.bind(local);
        }
        socket.connect(remote, timeoutMillis);
        socket.setSoTimeout(timeoutMillis);
        socket.startHandshake();
        return socket;
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    }

    @Override
    public Socket createSocket() throws IOException {
      throw new SocketException("unconnected sockets are not supported");
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return connect(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return connect(
          new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return connect(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return connect(
          new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    @Override
    public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
        throws IOException {
      Socket layered = delegate.createSocket(socket, host, port, autoClose);
      layered.setSoTimeout(timeoutMillis);
      return layered;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }
  }
}
