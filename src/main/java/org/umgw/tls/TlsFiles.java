package org.umgw.tls;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.unboundid.util.ssl.PEMFileKeyManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
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
   * .p12} or {@code .pfx} and {@code key} is null) and {@code key} (PEM). It is an {@link
   * javax.net.ssl.X509ExtendedKeyManager}, so sockets and {@code SSLEngine}s (NIO servers such as
   * the console's Jetty) both find its key.
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
    matching(km, cert, key);
    return EngineKeyManager.of(km);
  }

  /**
   * A key that belongs to another certificate would only fail later, in every handshake, with an
   * obscure alert: sign with the key and verify with the certificate now.
   */
  private static void matching(X509KeyManager km, Path cert, Path key) {
    X509Certificate leaf = chain(km)[0];
    String alias = alias(km);
    PrivateKey pk = alias == null ? null : km.getPrivateKey(alias);
    if (pk == null) {
      return; // leaf() found a chain, so an alias exists; nothing more to compare without a key
    }
    String algorithm =
        switch (pk.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          case "DSA" -> "SHA256withDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          case "Ed448" -> "Ed448";
          default -> null;
        };
    if (algorithm == null) {
      return; // an algorithm we do not test-sign with (RSASSA-PSS): the handshake will tell
    }
    boolean ok;
    try {
      byte[] probe = "umgw key check".getBytes(UTF_8);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(pk);
      sign.update(probe);
      byte[] sig = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(leaf.getPublicKey());
      verify.update(probe);
      ok = verify.verify(sig);
    } catch (GeneralSecurityException e) {
      ok = false; // e.g. an EC key against an RSA certificate
    }
    if (!ok) {
      throw new UmgwException(
          "TLS private key "
              + key
              + " is not the key of the certificate "
              + leaf.getSubjectX500Principal().getName()
              + " in "
              + cert);
    }
  }

  private static String alias(X509KeyManager km) {
    for (String type : new String[] {"EC", "RSA", "EdDSA", "Ed25519", "RSASSA-PSS", "DSA"}) {
      String[] aliases = km.getServerAliases(type, null);
      if (aliases != null && aliases.length > 0) {
        return aliases[0];
      }
    }
    return null;
  }

  /** The certificate {@code km} presents (leaf first), for messages and expiry checks. */
  public static X509Certificate[] chain(X509KeyManager km) {
    String alias = alias(km);
    X509Certificate[] c = alias == null ? null : km.getCertificateChain(alias);
    return c == null ? new X509Certificate[0] : c;
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
          return EngineKeyManager.of(x);
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
