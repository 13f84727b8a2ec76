package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.umgw.directory.DirectoryConnector;
import org.umgw.testing.ConsumerChecks.ToolResult;
import org.umgw.tls.TlsFiles;

/**
 * A throwaway certificate authority made with the real {@code openssl} at test time, issuing EC
 * P-256 certificates with exactly the names and validity a test needs (SAN or CN only, wildcards,
 * expired, not yet valid), as PEM files any TLS server (Kamailio, {@code openssl s_client}) reads.
 *
 * <pre>{@code
 * TestCa ca = TestCa.create(dir, "umgw test CA");
 * TestCa.Issued gw = ca.issue("gw1", "gw1.example.test", List.of("gw1.example.test"));
 * TestCa.Issued old = ca.issue("old", "gw1.example.test", List.of("gw1.example.test"),
 *     Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
 * }</pre>
 *
 * <p>openssl must be installed; a missing binary fails the test.
 */
public final class TestCa {
  private static final DateTimeFormatter ASN1_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private final Path openssl;
  private final Path dir;
  private final Path cert;
  private final Path key;
  private final Path config;

  /**
   * One issued certificate: PEM certificate, PEM PKCS#8 key, the chain (leaf then CA) and the
   * parsed leaf.
   */
  public record Issued(Path cert, Path key, Path chain, X509Certificate certificate) {
    /** The key manager presenting this certificate (umgw's own PEM reader). */
    public X509KeyManager keyManager() {
      return TlsFiles.keyManager(chain, key, null);
    }
  }

  private TestCa(Path openssl, Path dir, Path cert, Path key, Path config) {
    this.openssl = openssl;
    this.dir = dir;
    this.cert = cert;
    this.key = key;
    this.config = config;
  }

  /** A new self-signed CA in {@code dir}/ca-NAME (valid from a day ago for 30 days). */
  public static TestCa create(Path dir, String name) throws Exception {
    Path openssl =
        ServerProcess.requireBinary("openssl", "openssl not installed: apt-get install openssl");
    Path home = Files.createDirectories(dir.resolve("ca-" + name.replaceAll("[^A-Za-z0-9]", "_")));
    Files.createDirectories(home.resolve("issued"));
    Files.writeString(home.resolve("index.txt"), "");
    Files.writeString(home.resolve("serial"), "1000\n");
    Path config = home.resolve("ca.cnf");
    Files.writeString(
        config,
        "[ ca ]\ndefault_ca = umgw\n[ umgw ]\n"
            + "database = "
            + home.resolve("index.txt")
            + "\nnew_certs_dir = "
            + home.resolve("issued")
            + "\nserial = "
            + home.resolve("serial")
            + "\ndefault_md = sha256\npolicy = any\nunique_subject = no\nemail_in_dn = no\n"
            + "[ any ]\ncommonName = optional\norganizationName = optional\n"
            + "organizationalUnitName = optional\n",
        UTF_8);
    Path cert = home.resolve("ca.pem");
    Path key = home.resolve("ca.key");
    run(
        openssl,
        home,
        List.of(
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString(),
            "-subj",
            "/O=umgw-test/CN=" + name,
            "-days",
            "30",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign"));
    return new TestCa(openssl, home, cert, key, config);
  }

  /** The CA certificate (PEM): the trust store of whoever checks what this CA issues. */
  public Path cert() {
    return cert;
  }

  /** A trust manager that trusts this CA only (umgw's own PEM trust store reader). */
  public X509TrustManager trustManager() {
    return DirectoryConnector.trustManager(cert, null);
  }

  /**
   * A certificate valid from a day ago until 36 hours from now: one whole day left, whichever way
   * the machine's clock is stepped by up to 12 hours between issuing and checking.
   */
  public Issued issue(String stem, String commonName, List<String> names) throws Exception {
    Instant now = Instant.now();
    return issue(
        stem, commonName, names, now.minus(Duration.ofDays(1)), now.plus(Duration.ofHours(36)));
  }

  /**
   * A certificate for {@code commonName} (null: a subject without CN) with subject alternative
   * names {@code names} (IP literals become IP SANs; empty: no SAN extension at all), valid from
   * {@code notBefore} to {@code notAfter}, usable both as TLS server and client certificate.
   */
  public Issued issue(
      String stem, String commonName, List<String> names, Instant notBefore, Instant notAfter)
      throws Exception {
    Path leafKey = dir.resolve(stem + ".key");
    Path csr = dir.resolve(stem + ".csr");
    Path leaf = dir.resolve(stem + ".pem");
    run(
        openssl,
        dir,
        List.of(
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            leafKey.toString(),
            "-out",
            csr.toString(),
            "-subj",
            "/O=umgw-test" + (commonName == null ? "" : "/CN=" + commonName)));
    StringBuilder ext = new StringBuilder("[ leaf ]\nbasicConstraints = CA:FALSE\n");
    ext.append("keyUsage = critical,digitalSignature,keyAgreement\n");
    ext.append("extendedKeyUsage = serverAuth,clientAuth\n");
    if (!names.isEmpty()) {
      List<String> sans = new ArrayList<>();
      for (String n : names) {
        sans.add((InetAddresses.isInetAddress(n) ? "IP:" : "DNS:") + n);
      }
      ext.append("subjectAltName = ").append(String.join(",", sans)).append('\n');
    }
    Path extFile = Files.writeString(dir.resolve(stem + ".ext"), ext.toString(), UTF_8);
    run(
        openssl,
        dir,
        List.of(
            "ca",
            "-batch",
            "-notext",
            "-preserveDN",
            "-config",
            config.toString(),
            "-cert",
            cert.toString(),
            "-keyfile",
            key.toString(),
            "-extfile",
            extFile.toString(),
            "-extensions",
            "leaf",
            "-startdate",
            ASN1_TIME.format(notBefore),
            "-enddate",
            ASN1_TIME.format(notAfter),
            "-in",
            csr.toString(),
            "-out",
            leaf.toString()));
    Path chain =
        Files.writeString(
            dir.resolve(stem + "-chain.pem"),
            Files.readString(leaf, UTF_8) + Files.readString(cert, UTF_8),
            UTF_8);
    X509Certificate parsed;
    try (InputStream in = Files.newInputStream(leaf)) {
      parsed = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    return new Issued(leaf, leafKey, chain, parsed);
  }

  private static void run(Path openssl, Path dir, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(openssl.toString());
    cmd.addAll(args);
    ToolResult r = ConsumerChecks.run(cmd, dir, Duration.ofSeconds(30));
    if (!r.ok()) {
      throw new IllegalStateException("openssl failed: " + cmd + "\n" + r.output());
    }
  }
}
