package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.cert.ManageCertificates;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throwaway self-signed certificate (its own CA) for one DNS name and optionally IP addresses, as
 * PKCS#12 (alias {@code server-cert}) and PEM (the certificate, and its unencrypted PKCS#8 key with
 * mode 0600, as servers such as slapd read them), made with UnboundID's {@code
 * manage-certificates}.
 */
public record TestCertificate(Path keyStore, char[] pin, Path pem, Path keyPem) {

  /** An EC (P-256) certificate for {@code dnsName} only. */
  public static TestCertificate generate(Path dir, String dnsName)
      throws IOException, GeneralSecurityException {
    return generate(dir, dnsName, List.of(), false);
  }

  /**
   * An RSA (2048) certificate for {@code dnsName} and each of {@code ipAddresses}: slapd's GnuTLS
   * does not read the PKCS#8 encoding Java gives an EC key ("ASN1 parser: Element was not found").
   */
  public static TestCertificate generateRsa(Path dir, String dnsName, List<String> ipAddresses)
      throws IOException, GeneralSecurityException {
    return generate(dir, dnsName, ipAddresses, true);
  }

  private static TestCertificate generate(
      Path dir, String dnsName, List<String> ipAddresses, boolean rsa)
      throws IOException, GeneralSecurityException {
    Path keyStore = dir.resolve(dnsName + ".p12");
    String pin = "umgw-test-keystore";
    List<String> args =
        new ArrayList<>(
            List.of(
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
                "CN=" + dnsName + ",OU=umgw-test",
                "--subject-alternative-name-dns",
                dnsName));
    for (String ip : ipAddresses) {
      args.addAll(List.of("--subject-alternative-name-ip-address", ip));
    }
    args.addAll(
        rsa
            ? List.of("--key-algorithm", "RSA", "--key-size-bits", "2048")
            : List.of(
                "--key-algorithm",
                "EC",
                "--key-size-bits",
                "256",
                "--signature-algorithm",
                "SHA256withECDSA"));
    // Beyond the 21-day expiry warning (event 9504) of the prober.
    args.addAll(List.of("--days-valid", "90"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResultCode rc =
        ManageCertificates.main(
            InputStream.nullInputStream(), out, out, args.toArray(String[]::new));
    assertThat(rc).as(out.toString(UTF_8)).isEqualTo(ResultCode.SUCCESS);
    KeyStore ks = KeyStore.getInstance(keyStore.toFile(), pin.toCharArray());
    Path pem =
        Files.writeString(
            dir.resolve(dnsName + ".pem"),
            pem("CERTIFICATE", ks.getCertificate("server-cert").getEncoded()),
            UTF_8);
    Path keyPem = dir.resolve(dnsName + ".key.pem");
    Files.writeString(
        keyPem,
        pem("PRIVATE KEY", ks.getKey("server-cert", pin.toCharArray()).getEncoded()),
        UTF_8);
    TestFiles.restrict(keyPem);
    return new TestCertificate(keyStore, pin.toCharArray(), pem, keyPem);
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
