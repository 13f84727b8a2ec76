package org.umgw.testing;

import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The TLS variant of {@link Kamailio}: a SIP-over-TLS listener ({@code tls} module) beside UDP, as
 * the SIPSecured gateway of the mutual TLS tests. Kamailio's certificate and key, the CA list it
 * checks client certificates against, and whether a client must present one ({@code
 * require_certificate}, as an SBC in front of Lync does); {@code listen}: a fixed TLS address (e.g.
 * another loopback IP on 5061, the port SIPSecured gateways must use), or null for a free port on
 * 127.0.0.1.
 *
 * <p>Everything TLS needs is here, so the plain and JSON-RPC variants carry none of it: the module
 * is a package of its own (Debian's {@code kamailio-tls-modules}), the files must be usable in the
 * config, and the module reads its profiles from a file of its own ({@code tls.cfg}).
 */
public record KamailioTls(
    Path cert, Path key, Path caList, boolean requireCertificate, InetSocketAddress listen) {
  public KamailioTls(Path cert, Path key, Path caList, boolean requireCertificate) {
    this(cert, key, caList, requireCertificate, null);
  }

  /**
   * @throws IllegalStateException when the tls module is not installed
   * @throws IllegalArgumentException when a file's path cannot be written into the config
   */
  void check(Path modulesDir) {
    if (!Files.isRegularFile(modulesDir.resolve("tls.so"))) {
      throw new IllegalStateException(
          "kamailio's tls module is not installed (no tls.so in "
              + modulesDir
              + "): run .ci/run or apt-get install kamailio-tls-modules");
    }
    for (Path p : List.of(cert, key, caList)) {
      KamailioConfig.checkCfgString(p.toAbsolutePath().toString());
    }
  }

  /** The address the TLS listener binds: the fixed one, or 127.0.0.1. */
  String host() {
    return listen == null ? KamailioConfig.HOST : InetAddresses.toAddrString(listen.getAddress());
  }

  /** The tls module's profiles: the server checks client certificates against the CA list. */
  String profiles() {
    return "[server:default]\n"
        + "method = TLSv1.2+\n"
        + "verify_certificate = yes\n"
        + "require_certificate = "
        + (requireCertificate ? "yes" : "no")
        + "\n"
        + "certificate = "
        + cert.toAbsolutePath()
        + "\nprivate_key = "
        + key.toAbsolutePath()
        + "\nca_list = "
        + caList.toAbsolutePath()
        + "\n\n[client:default]\nverify_certificate = no\nrequire_certificate = no\n";
  }
}
