package org.umgw.cli;

import java.nio.file.Path;
import javax.net.ssl.X509KeyManager;
import org.umgw.model.UmgwException;
import org.umgw.tls.TlsFiles;
import picocli.CommandLine.Option;

/** The certificate a umgw server presents: the console's HTTPS, sip-responder's tls listeners. */
final class ServerCertificateOptions {
  @Option(
      names = "--tls-cert",
      paramLabel = "FILE",
      description =
          "The certificate this server presents (the console's HTTPS, sip-responder's tls"
              + " listeners): PEM chain, leaf first, with --tls-key; or a PKCS#12 file (.p12/.pfx)"
              + " alone.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "Private key of --tls-cert.")
  Path key;

  @Option(
      names = "--tls-key-password-file",
      paramLabel = "FILE",
      description = "Password of an encrypted --tls-key or of a PKCS#12 --tls-cert.")
  Path passwordFile;

  /** The key manager, or null without {@code --tls-cert} (its key alone is an error). */
  X509KeyManager optional() {
    if (cert == null) {
      if (key != null || passwordFile != null) {
        throw new UmgwException("--tls-key and its password file need --tls-cert");
      }
      return null;
    }
    return TlsFiles.keyManager(cert, key, passwordFile);
  }

  /** The key manager; without {@code --tls-cert}, an error that says it is needed. */
  X509KeyManager required() {
    return TlsFiles.keyManager(cert, key, passwordFile);
  }
}
