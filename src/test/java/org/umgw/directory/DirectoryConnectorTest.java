package org.umgw.directory;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedResult;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.umgw.model.UmgwException;
import org.umgw.testing.LoopbackTcp;
import org.umgw.testing.Slapd;
import org.umgw.testing.TestCertificate;

/**
 * {@link DirectoryConnector} against a real OpenLDAP slapd with TLS (a self-signed certificate for
 * 127.0.0.1 and localhost that is its own CA): simple bind from a password file, LDAPS and StartTLS
 * with PEM, PKCS#12 and JKS trust stores, host name checking, failover, and timeouts against a TCP
 * server that never answers. Only 127.0.0.0/8 addresses are ever contacted.
 */
@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DirectoryConnectorTest {
  private static final Duration SHORT = Duration.ofMillis(500);

  private static Slapd slapd;

  @TempDir Path dir;

  @BeforeAll
  static void startSlapd() {
    slapd = Slapd.start(Slapd.options().tls(true).createSuffixEntry(true));
  }

  @AfterAll
  static void stopSlapd() {
    if (slapd != null) {
      slapd.close();
    }
  }

  // --- bind from a password file -------------------------------------------------------------

  @Test
  void open_bindFromPasswordFile_bindsAndReadsSuffix() throws Exception {
    try (LDAPConnectionPool pool = open(slapd.url(), b -> b)) {
      assertThat(whoAmI(pool)).isEqualTo("dn:" + slapd.rootDn());
      assertThat(pool.getEntry(slapd.suffix())).isNotNull();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n"})
  void open_passwordFileWithLineEnding_binds(String lineEnding) throws Exception {
    Path pw = Files.writeString(dir.resolve("bind.pw"), slapd.rootPassword() + lineEnding, UTF_8);

    try (LDAPConnectionPool pool =
        DirectoryConnector.open(
            DirectoryConfig.builder(slapd.url()).bind(slapd.rootDn(), pw).build())) {
      assertThat(whoAmI(pool)).isEqualTo("dn:" + slapd.rootDn());
    }
  }

  @Test
  void open_missingPasswordFile_namesPath() {
    Path missing = dir.resolve("no-such.pw");

    assertThatThrownBy(
            () ->
                DirectoryConnector.open(
                    DirectoryConfig.builder(slapd.url()).bind(slapd.rootDn(), missing).build()))
        .isExactlyInstanceOf(UmgwException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void open_wrongPassword_refusedNamingUrlAndBindDn() throws Exception {
    Path pw = Files.writeString(dir.resolve("wrong.pw"), "not-the-password\n", UTF_8);

    DirectoryException e =
        catchThrowableOfType(
            DirectoryException.class,
            () ->
                DirectoryConnector.open(
                    DirectoryConfig.builder(slapd.url()).bind(slapd.rootDn(), pw).build()));

    assertThat(e).isNotNull().isNotInstanceOf(DirectoryUnavailableException.class);
    assertThat(e.resultCode().intValue()).isEqualTo(49);
    assertThat(e.getMessage())
        .contains(slapd.url())
        .contains(slapd.rootDn())
        .contains("invalid credentials");
  }

  // --- LDAPS and trust stores ----------------------------------------------------------------

  @Test
  void open_ldapsWithPemCa_readsSuffix() throws Exception {
    try (LDAPConnectionPool pool =
        open(slapd.ldapsUrl(), b -> b.trustStore(slapd.tlsCaFile(), null))) {
      assertThat(whoAmI(pool)).isEqualTo("dn:" + slapd.rootDn());
      assertThat(pool.getEntry(slapd.suffix())).isNotNull();
      assertThat(tlsProtocol(pool)).startsWith("TLS");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"PKCS12", "JKS"})
  void open_ldapsWithKeyStoreHoldingCa_readsSuffix(String type) throws Exception {
    Path pin = Files.writeString(dir.resolve("store.pin"), "store-secret\n", UTF_8);
    Path store = keyStoreOf(slapd.tlsCaFile(), type, "store-secret");

    try (LDAPConnectionPool pool = open(slapd.ldapsUrl(), b -> b.trustStore(store, pin))) {
      assertThat(pool.getEntry(slapd.suffix())).isNotNull();
      assertThat(tlsProtocol(pool)).startsWith("TLS");
    }
  }

  @Test
  void open_ldapsWithPemBundleHoldingCa_readsSuffix() throws Exception {
    Path other = TestCertificate.generate(dir, "other-ca.umgw.test").pem();
    Path bundle =
        Files.writeString(
            dir.resolve("bundle.pem"),
            "\n" + Files.readString(other) + Files.readString(slapd.tlsCaFile()),
            UTF_8);

    try (LDAPConnectionPool pool = open(slapd.ldapsUrl(), b -> b.trustStore(bundle, null))) {
      assertThat(pool.getEntry(slapd.suffix())).isNotNull();
    }
  }

  @Test
  void open_pkcs12TrustStoreWithoutPassword_refusedNamingFile() throws Exception {
    Path store = keyStoreOf(slapd.tlsCaFile(), "PKCS12", "store-secret");

    assertThatThrownBy(() -> open(slapd.ldapsUrl(), b -> b.trustStore(store, null)))
        .isExactlyInstanceOf(UmgwException.class)
        .hasMessageContaining(store.toString())
        .hasMessageContaining("password");
  }

  @Test
  void open_pemTrustStoreWithPasswordFile_refusedNamingFile() throws Exception {
    Path pin = Files.writeString(dir.resolve("store.pin"), "store-secret\n", UTF_8);

    assertThatThrownBy(() -> open(slapd.ldapsUrl(), b -> b.trustStore(slapd.tlsCaFile(), pin)))
        .isExactlyInstanceOf(UmgwException.class)
        .hasMessageContaining(slapd.tlsCaFile().toString())
        .hasMessageContaining("PEM");
  }

  @Test
  void open_ldapsWithJvmDefaultTrust_refusedAsUntrusted() {
    DirectoryUnavailableException e =
        catchThrowableOfType(
            DirectoryUnavailableException.class, () -> open(slapd.ldapsUrl(), b -> b));

    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .contains(slapd.ldapsUrl())
        .contains("127.0.0.1:" + slapd.ldapsPort())
        .containsIgnoringCase("certificate")
        .containsIgnoringCase("trust");
  }

  @Test
  void open_pkcs12TrustStoreWithWrongPassword_namesFile() throws Exception {
    Path store = keyStoreOf(slapd.tlsCaFile(), "PKCS12", "store-secret");
    Path pin = Files.writeString(dir.resolve("wrong.pin"), "wrong\n", UTF_8);

    assertThatThrownBy(() -> open(slapd.ldapsUrl(), b -> b.trustStore(store, pin)))
        .isExactlyInstanceOf(UmgwException.class)
        .hasMessageContaining(store.toString());
  }

  @Test
  void open_trustStoreNeitherKeyStoreNorPem_namesFile() throws Exception {
    Path junk = Files.writeString(dir.resolve("ca.txt"), "this is no certificate\n", UTF_8);

    assertThatThrownBy(() -> open(slapd.ldapsUrl(), b -> b.trustStore(junk, null)))
        .isExactlyInstanceOf(UmgwException.class)
        .hasMessageContaining(junk.toString());
  }

  @Test
  void open_pemTrustStoreWithoutCertificate_namesFile() throws Exception {
    Path pem =
        Files.writeString(
            dir.resolve("bad.pem"),
            "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n",
            UTF_8);

    assertThatThrownBy(() -> open(slapd.ldapsUrl(), b -> b.trustStore(pem, null)))
        .isExactlyInstanceOf(UmgwException.class)
        .hasMessageContaining(pem.toString());
  }

  @Test
  void open_missingTrustStore_namesFile() {
    Path missing = dir.resolve("no-such-ca.pem");

    assertThatThrownBy(() -> open(slapd.ldapsUrl(), b -> b.trustStore(missing, null)))
        .isExactlyInstanceOf(UmgwException.class)
        .hasMessageContaining(missing.toString());
  }

  // --- StartTLS ------------------------------------------------------------------------------

  @Test
  void open_startTlsWithCa_bindsOverTls() throws Exception {
    try (LDAPConnectionPool pool =
        open(slapd.url(), b -> b.startTls(true).trustStore(slapd.tlsCaFile(), null))) {
      assertThat(whoAmI(pool)).isEqualTo("dn:" + slapd.rootDn());
      assertThat(tlsProtocol(pool)).startsWith("TLS");
    }
  }

  @Test
  void open_startTlsWithOtherCa_refused() throws Exception {
    Path otherCa = TestCertificate.generate(dir, "other-ca.umgw.test").pem();

    DirectoryUnavailableException e =
        catchThrowableOfType(
            DirectoryUnavailableException.class,
            () -> open(slapd.url(), b -> b.startTls(true).trustStore(otherCa, null)));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains(slapd.url()).containsIgnoringCase("trust");
  }

  // --- host name checking --------------------------------------------------------------------
  // The SDK's HostNameSSLSocketVerifier accepts any numeric loopback address whatever the
  // certificate says (W3C "potentially trustworthy"), so ldaps://127.0.0.2 would pass; the name
  // "localhost" is checked like any other name.

  @Test
  void open_ldapsToNameInCertificate_readsSuffix() throws Exception {
    requireLocalhostIsIpv4Loopback();
    String url = "ldaps://localhost:" + slapd.ldapsPort();

    try (LDAPConnectionPool pool = open(url, b -> b.trustStore(slapd.tlsCaFile(), null))) {
      assertThat(pool.getEntry(slapd.suffix())).isNotNull();
    }
  }

  @Test
  void open_ldapsToNameNotInCertificate_refusedEvenWithCa() throws Exception {
    requireLocalhostIsIpv4Loopback();
    TestCertificate cert = TestCertificate.generate(dir, "ldap.umgw.test");
    try (InMemoryDirectoryServer server = tlsInMemoryServer(cert)) {
      String url = "ldaps://localhost:" + server.getListenPort("ldaps");
      // The same server, certificate and trust store work under the name in the certificate
      // (reached via its numeric loopback address).
      try (LDAPConnectionPool ok =
          open(
              "ldaps://127.0.0.1:" + server.getListenPort("ldaps"),
              b -> b.trustStore(cert.pem(), null))) {
        assertThat(whoAmI(ok)).isEqualTo("dn:" + slapd.rootDn());
      }

      DirectoryUnavailableException e =
          catchThrowableOfType(
              DirectoryUnavailableException.class,
              () -> open(url, b -> b.trustStore(cert.pem(), null)));

      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains(url).contains("localhost").contains("ldap.umgw.test");
    }
  }

  @Test
  void open_startTlsToNameNotInCertificate_refusedEvenWithCa() throws Exception {
    requireLocalhostIsIpv4Loopback();
    TestCertificate cert = TestCertificate.generate(dir, "ldap.umgw.test");
    try (InMemoryDirectoryServer server = tlsInMemoryServer(cert)) {
      String url = "ldap://localhost:" + server.getListenPort("ldap");
      try (LDAPConnectionPool plain = open(url, b -> b)) {
        assertThat(whoAmI(plain)).isEqualTo("dn:" + slapd.rootDn());
      }

      DirectoryUnavailableException e =
          catchThrowableOfType(
              DirectoryUnavailableException.class,
              () -> open(url, b -> b.startTls(true).trustStore(cert.pem(), null)));

      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains(url).contains("localhost").contains("ldap.umgw.test");
    }
  }

  // --- failover ------------------------------------------------------------------------------

  @Test
  void open_firstUrlDeadPort_usesSecond() throws Exception {
    String dead = "ldap://127.0.0.1:" + LoopbackTcp.deadPort();

    try (LDAPConnectionPool pool = open(dead + "," + slapd.url(), b -> b)) {
      assertThat(whoAmI(pool)).isEqualTo("dn:" + slapd.rootDn());
      assertThat(connectedPort(pool)).isEqualTo(slapd.port());
    }
  }

  @Test
  void open_firstServerNeverAnswers_usesSecond() throws Exception {
    try (LoopbackTcp silent = LoopbackTcp.silent()) {
      String hung = "ldap://127.0.0.1:" + silent.port();
      long start = System.nanoTime();

      try (LDAPConnectionPool pool =
          open(hung + "," + slapd.url(), b -> b.connectTimeout(SHORT).responseTimeout(SHORT))) {
        assertThat(connectedPort(pool)).isEqualTo(slapd.port());
        assertThat(pool.getEntry(slapd.suffix())).isNotNull();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(silent.accepted()).isPositive();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"stop", "kill9"})
  void pool_firstServerGoesAway_laterOperationsUseSecond(String how) throws Exception {
    try (Slapd first = Slapd.start(Slapd.options().createSuffixEntry(true));
        LDAPConnectionPool pool = open(first.url() + "," + slapd.url(), b -> b)) {
      assertThat(connectedPort(pool)).isEqualTo(first.port());

      if (how.equals("stop")) {
        first.stop();
      } else {
        first.kill9();
      }

      assertThat(pool.getEntry(slapd.suffix())).isNotNull();
      assertThat(whoAmI(pool)).isEqualTo("dn:" + slapd.rootDn());
      assertThat(connectedPort(pool)).isEqualTo(slapd.port());
    }
  }

  @Test
  void open_allServersDead_unavailableNamingEveryUrl() {
    String a = "ldap://127.0.0.1:" + LoopbackTcp.deadPort();
    String b = "ldap://127.0.0.1:" + LoopbackTcp.deadPort();

    DirectoryUnavailableException e =
        catchThrowableOfType(DirectoryUnavailableException.class, () -> open(a + "," + b, x -> x));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains(a).contains(b);
  }

  // --- timeouts ------------------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"bind", "anonymous", "ldaps", "startTls"})
  void open_serverNeverAnswers_unavailableWithinTimeout(String mode) {
    try (LoopbackTcp silent = LoopbackTcp.silent()) {
      String scheme = mode.equals("ldaps") ? "ldaps" : "ldap";
      String url = scheme + "://127.0.0.1:" + silent.port();
      DirectoryConfig.Builder builder =
          DirectoryConfig.builder(url).connectTimeout(SHORT).responseTimeout(SHORT);
      if (!mode.equals("anonymous")) {
        builder.bind(slapd.rootDn(), slapd.rootPasswordFile());
      }
      if (mode.equals("ldaps") || mode.equals("startTls")) {
        builder.startTls(mode.equals("startTls")).trustStore(slapd.tlsCaFile(), null);
      }
      DirectoryConfig config = builder.build();
      long start = System.nanoTime();

      DirectoryUnavailableException e =
          catchThrowableOfType(
              DirectoryUnavailableException.class, () -> DirectoryConnector.open(config).close());

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains(url);
    }
  }

  // --- configuration -------------------------------------------------------------------------

  @Test
  void config_startTlsWithLdapsUrl_refused() {
    assertThatThrownBy(
            () -> DirectoryConfig.builder("ldaps://127.0.0.1:636").startTls(true).build())
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("--start-tls")
        .hasMessageContaining("ldaps://127.0.0.1:636");
  }

  @Test
  void config_bindDnWithoutPasswordFile_refused() {
    assertThatThrownBy(
            () ->
                DirectoryConfig.builder("ldap://127.0.0.1:389")
                    .bind("cn=umgw,dc=example", null)
                    .build())
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("cn=umgw,dc=example")
        .hasMessageContaining("password file");
  }

  @Test
  void config_unparsableUrl_refusedNamingUrl() {
    assertThatThrownBy(() -> DirectoryConfig.builder("ldap://127.0.0.1:389, http://x:y:z/"))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("http://x:y:z/");
  }

  @Test
  void config_urlWithoutHost_refusedNamingUrl() {
    assertThatThrownBy(() -> DirectoryConfig.builder("ldap:///dc=example"))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("ldap:///dc=example");
  }

  // --- helpers -------------------------------------------------------------------------------

  /** Opens a pool on {@code urls} bound as the slapd root DN, with more settings from {@code b}. */
  private static LDAPConnectionPool open(
      String urls, UnaryOperator<DirectoryConfig.Builder> settings) {
    return DirectoryConnector.open(
        settings
            .apply(DirectoryConfig.builder(urls).bind(slapd.rootDn(), slapd.rootPasswordFile()))
            .build());
  }

  private static String whoAmI(LDAPConnectionPool pool) throws LDAPException {
    WhoAmIExtendedResult r =
        (WhoAmIExtendedResult) pool.processExtendedOperation(new WhoAmIExtendedRequest());
    return r.getAuthorizationID();
  }

  private static String tlsProtocol(LDAPConnectionPool pool) throws LDAPException {
    LDAPConnection c = pool.getConnection();
    try {
      return c.getSSLSession() == null ? "none" : c.getSSLSession().getProtocol();
    } finally {
      pool.releaseConnection(c);
    }
  }

  private static int connectedPort(LDAPConnectionPool pool) throws LDAPException {
    LDAPConnection c = pool.getConnection();
    try {
      return c.getConnectedPort();
    } finally {
      pool.releaseConnection(c);
    }
  }

  /** A JKS or PKCS#12 file holding the PEM certificate as a trusted entry. */
  private Path keyStoreOf(Path pem, String type, String password) throws Exception {
    Certificate ca;
    try (InputStream in = Files.newInputStream(pem)) {
      ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore ks = KeyStore.getInstance(type);
    ks.load(null, null);
    ks.setCertificateEntry("umgw-test-ca", ca);
    Path file = dir.resolve("ca." + type.toLowerCase(Locale.ROOT));
    try (OutputStream out = Files.newOutputStream(file)) {
      ks.store(out, password.toCharArray());
    }
    return file;
  }

  /**
   * The in-memory server on 127.0.0.1 with an LDAPS listener "ldaps" and a plain listener "ldap"
   * offering StartTLS, both presenting {@code cert}; accepts slapd's root DN and password.
   */
  private static InMemoryDirectoryServer tlsInMemoryServer(TestCertificate cert) throws Exception {
    SSLUtil serverSsl =
        new SSLUtil(
            new KeyStoreKeyManager(cert.keyStore().toFile(), cert.pin(), "PKCS12", null), null);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(slapd.suffix());
    config.addAdditionalBindCredentials(slapd.rootDn(), slapd.rootPassword());
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPSConfig(
            "ldaps", loopback, 0, serverSsl.createSSLServerSocketFactory(), null),
        InMemoryListenerConfig.createLDAPConfig(
            "ldap", loopback, 0, serverSsl.createSSLSocketFactory()));
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.startListening();
    return server;
  }

  /** Host name tests connect to "localhost": it must mean 127.0.0.1 here, never the network. */
  private static void requireLocalhostIsIpv4Loopback() throws Exception {
    assertThat(InetAddress.getByName("localhost").getHostAddress()).startsWith("127.");
  }
}
