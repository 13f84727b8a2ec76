package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.cert.ManageCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * The throwaway certificate of a {@link Slapd} started with TLS: self-signed, so it is its own CA
 * and a client needs nothing else to verify slapd; written as PEM files because slapd's GnuTLS
 * reads those, not a Java key store.
 */
final class SlapdCertificate {
  private SlapdCertificate() {}

  /**
   * Generates a self-signed RSA certificate for 127.0.0.1 and localhost (its own trust anchor) and
   * writes it ({@code cert.pem}) and its unencrypted PKCS#8 key ({@code key.pem}, mode 0600) as PEM
   * into a new directory {@code dir}.
   *
   * @return the certificate, which is also what clients trust
   */
  static Path write(Path dir) throws IOException {
    Path tlsDir = Files.createDirectory(dir);
    Path keyStore = tlsDir.resolve("server.p12");
    String pin = "umgw-test-keystore";
    String notBefore =
        ZonedDateTime.now(ZoneOffset.UTC)
            .minusDays(1)
            .format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResultCode rc =
        ManageCertificates.main(
            InputStream.nullInputStream(),
            out,
            out,
            "generate-self-signed-certificate",
            "--keystore",
            keyStore.toString(),
            "--keystore-type",
            "PKCS12",
            "--keystore-password",
            pin,
            "--alias",
            "server-cert",
            "--subject-dn",
            "CN=127.0.0.1,OU=umgw-test",
            "--subject-alternative-name-ip-address",
            "127.0.0.1",
            "--subject-alternative-name-dns",
            "localhost",
            "--key-algorithm",
            "RSA",
            "--key-size-bits",
            "2048",
            "--validity-start-time",
            notBefore,
            "--days-valid",
            "30");
    if (rc != ResultCode.SUCCESS) {
      throw new IllegalStateException("certificate generation failed: " + out.toString(UTF_8));
    }
    try (InputStream in = Files.newInputStream(keyStore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, pin.toCharArray());
      Key key = ks.getKey("server-cert", pin.toCharArray());
      byte[] cert = ks.getCertificate("server-cert").getEncoded();
      Path certFile = tlsDir.resolve("cert.pem");
      Path keyFile = tlsDir.resolve("key.pem");
      Files.writeString(certFile, pem("CERTIFICATE", cert));
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
      Slapd.restrict(keyFile);
      return certFile;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read generated key store", e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
