package org.umgw.tls;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.unboundid.util.ssl.PEMFileKeyManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.umgw.model.UmgwException;

/**
 * Reads the certificate and key umgw presents over TLS (the prober's client certificate, the SIP
 * responder's server certificate) from the files administrators have: a PEM certificate chain with
 * a PEM private key (PKCS#8, as {@code openssl genpkey} writes it, or encrypted PKCS#8 with a
 * password file), or one PKCS#12 file with its password file.
 *
 * <pre>{@code
 * X509KeyManager key = TlsFiles.keyManager(Path.of("um.pem"), Path.of("um.key"), null);
 * ProberOptions o = ProberOptions.defaults().withTlsClientKey(key);
 * }</pre>
 */
public final class TlsFiles {
  private TlsFiles() {}

  /**
   * The key manager for {@code cert} (PEM chain, leaf first, or PKCS#12 when it ends in {@code
   * .p12} or {@code .pfx} and {@code key} is null) and {@code key} (PEM).
   *
   * @param passwordFile the password of an encrypted PEM key or of the PKCS#12 file (first line),
   *     or null
   * @throws UmgwException naming the file when one is missing, unreadable, of another format, the
   *     password is wrong or the key does not belong to the certificate
   */
  public static X509KeyManager keyManager(Path cert, Path key, Path passwordFile) {
    if (cert == null) {
      throw new UmgwException("a TLS certificate file is required (with its key file)");
    }
    readable(cert, "certificate");
    char[] password = passwordFile == null ? null : password(passwordFile);
    if (key == null) {
      if (!isPkcs12(cert)) {
        throw new UmgwException(
            "TLS certificate "
                + cert
                + " is PEM: give its private key too (a PKCS#12 file ends in .p12 or .pfx)");
      }
      return pkcs12(cert, password == null ? new char[0] : password);
    }
    readable(key, "private key");
    X509KeyManager km;
    try {
      km =
          password == null
              ? new PEMFileKeyManager(cert.toFile(), key.toFile())
              : new PEMFileKeyManager(cert.toFile(), key.toFile(), password);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new UmgwException(
          "cannot use TLS certificate "
              + cert
              + " with private key "
              + key
              + ": "
              + e.getMessage()
              + " (PEM certificates, leaf first, and a PKCS#8 key: convert an \"RSA/EC PRIVATE KEY\""
              + " with openssl pkcs8 -topk8 -nocrypt)",
          e);
    }
    leaf(km, cert);
    return km;
  }

  /** The certificate {@code km} presents (leaf first), for messages and expiry checks. */
  public static X509Certificate[] chain(X509KeyManager km) {
    for (String type : new String[] {"EC", "RSA", "EdDSA", "Ed25519", "RSASSA-PSS", "DSA"}) {
      String[] aliases = km.getServerAliases(type, null);
      if (aliases != null && aliases.length > 0) {
        X509Certificate[] c = km.getCertificateChain(aliases[0]);
        if (c != null && c.length > 0) {
          return c;
        }
      }
    }
    return new X509Certificate[0];
  }

  private static void leaf(X509KeyManager km, Path cert) {
    if (chain(km).length == 0) {
      throw new UmgwException("TLS certificate " + cert + " holds no usable certificate and key");
    }
  }

  private static X509KeyManager pkcs12(Path file, char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(file)) {
        ks.load(in, password);
      }
      KeyManagerFactory f = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      f.init(ks, password);
      for (KeyManager m : f.getKeyManagers()) {
        if (m instanceof X509KeyManager x) {
          leaf(x, file);
          return x;
        }
      }
      throw new UmgwException("PKCS#12 file " + file + " gives no X.509 key manager");
    } catch (IOException | GeneralSecurityException e) {
      throw new UmgwException(
          "cannot read PKCS#12 file " + file + " (wrong password?): " + e.getMessage(), e);
    }
  }

  private static boolean isPkcs12(Path file) {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    return n.endsWith(".p12") || n.endsWith(".pfx");
  }

  private static void readable(Path file, String what) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new UmgwException("TLS " + what + " file " + file + " does not exist or is unreadable");
    }
  }

  private static char[] password(Path file) {
    readable(file, "password");
    try {
      String text = Files.readString(file, UTF_8);
      int nl = text.indexOf('\n');
      String line = (nl < 0 ? text : text.substring(0, nl)).replace("\r", "");
      return line.toCharArray();
    } catch (IOException e) {
      throw new UmgwException("cannot read password file " + file + ": " + e.getMessage(), e);
    }
  }
}
