package org.umgw.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.model.UmgwException;
import org.umgw.testing.TestCa;
import org.umgw.testing.TestCertificate;

/** Reading the certificate umgw presents: PEM chain + PKCS#8 key, PKCS#12, and clear errors. */
class TlsFilesTest {
  @TempDir static Path dir;
  private static TestCa ca;
  private static TestCa.Issued um;

  @BeforeAll
  static void issue() throws Exception {
    ca = TestCa.create(dir, "files CA");
    um = ca.issue("um", "um.example.test", List.of("um.example.test"));
  }

  @Test
  void pemChainAndKey_presentTheLeafFirst() {
    X509KeyManager km = TlsFiles.keyManager(um.chain(), um.key(), null);

    assertThat(TlsFiles.chain(km)).hasSize(2);
    assertThat(TlsFiles.chain(km)[0]).isEqualTo(um.certificate());
    assertThat(CertificateNames.of(TlsFiles.chain(km)[0]).dnsNames())
        .containsExactly("um.example.test");
  }

  @Test
  void pemKeyManager_choosesItsKeyForAnSslEngine_asForASocket() throws Exception {
    // The JDK hands an SSLEngine (Jetty, the console) no alias from a plain X509KeyManager, and
    // UnboundID's PEM key manager is one: every HTTPS handshake failed before it was wrapped.
    X509KeyManager km = TlsFiles.keyManager(um.chain(), um.key(), null);
    assertThat(km).isInstanceOf(X509ExtendedKeyManager.class);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(new KeyManager[] {km}, null, null);
    SSLEngine engine = context.createSSLEngine();
    engine.setUseClientMode(false);
    String keyType = km.chooseServerAlias("RSA", null, null) != null ? "RSA" : "EC";
    String alias = km.chooseServerAlias(keyType, null, null);
    assertThat(alias).isNotNull();
    assertThat(((X509ExtendedKeyManager) km).chooseEngineServerAlias(keyType, null, engine))
        .isEqualTo(alias);
  }

  @Test
  void pkcs12_withItsPassword() throws Exception {
    TestCertificate p12 = TestCertificate.generate(dir, "p12.example.test");
    Path pw = Files.writeString(dir.resolve("p12.pw"), new String(p12.pin()) + "\n");

    X509KeyManager km = TlsFiles.keyManager(p12.keyStore(), null, pw);

    assertThat(CertificateNames.of(TlsFiles.chain(km)[0]).dnsNames())
        .containsExactly("p12.example.test");
  }

  @Test
  void missingFile_isNamed() {
    Path nope = dir.resolve("nope.pem");
    assertThatThrownBy(() -> TlsFiles.keyManager(nope, um.key(), null))
        .isInstanceOf(UmgwException.class)
        .hasMessage("TLS certificate file " + nope + " does not exist or is unreadable");
  }

  @Test
  void pemWithoutKey_saysSo() {
    assertThatThrownBy(() -> TlsFiles.keyManager(um.chain(), null, null))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("is PEM: give its private key too");
  }

  @Test
  void keyAndCertificateSwapped_isAClearError() {
    assertThatThrownBy(() -> TlsFiles.keyManager(um.key(), um.chain(), null))
        .isInstanceOf(UmgwException.class)
        .hasMessageStartingWith("cannot use TLS certificate " + um.key());
  }

  @Test
  void wrongPkcs12Password_isNamed() throws Exception {
    TestCertificate p12 = TestCertificate.generate(dir, "p12b.example.test");
    Path pw = Files.writeString(dir.resolve("wrong.pw"), "wrong\n");

    assertThatThrownBy(() -> TlsFiles.keyManager(p12.keyStore(), null, pw))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("cannot read PKCS#12 file " + p12.keyStore());
  }

  @Test
  void keyOfAnotherCertificate_isRefused() throws Exception {
    TestCa.Issued other = ca.issue("other", "other.example.test", List.of("other.example.test"));

    assertThatThrownBy(() -> TlsFiles.keyManager(um.chain(), other.key(), null))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("is not the key of");
  }
}
