package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.cert.ManageCertificates;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;

/**
 * A throwaway self-signed certificate (its own CA) for one DNS name, as PKCS#12 (alias {@code
 * server-cert}) and PEM, made with UnboundID's {@code manage-certificates}.
 */
public record TestCertificate(Path keyStore, char[] pin, Path pem) {

  public static TestCertificate generate(Path dir, String dnsName) throws Exception {
    Path keyStore = dir.resolve(dnsName + ".p12");
    String pin = "umgw-test-keystore";
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
            "CN=" + dnsName + ",OU=umgw-test",
            "--subject-alternative-name-dns",
            dnsName,
            "--key-algorithm",
            "EC",
            "--key-size-bits",
            "256",
            "--signature-algorithm",
            "SHA256withECDSA",
            "--days-valid",
            "90"); // beyond the 21-day expiry warning (event 9504) of the prober
    assertThat(rc).as(out.toString(UTF_8)).isEqualTo(ResultCode.SUCCESS);
    KeyStore ks = KeyStore.getInstance(keyStore.toFile(), pin.toCharArray());
    String body =
        Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(ks.getCertificate("server-cert").getEncoded());
    Path pem =
        Files.writeString(
            dir.resolve(dnsName + ".pem"),
            "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n",
            UTF_8);
    return new TestCertificate(keyStore, pin.toCharArray(), pem);
  }
}
