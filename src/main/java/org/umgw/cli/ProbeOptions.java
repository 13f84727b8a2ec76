package org.umgw.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.umgw.directory.DirectoryConnector;
import org.umgw.health.HealthOptions;
import org.umgw.model.UmgwException;
import org.umgw.sip.ProberOptions;
import org.umgw.sip.SipTransport;
import picocli.CommandLine.Option;

/**
 * How gateways are probed with SIP OPTIONS: rounds, deadlines, what counts as Up, hysteresis, TLS.
 * Shared by {@code probe} and {@code console}.
 */
final class ProbeOptions {
  @Option(
      names = "--interval",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "Time between rounds (default: ${DEFAULT-VALUE}).")
  double intervalSeconds;

  @Option(
      names = "--deadline",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description =
          "How long one probe waits for a final response, retransmissions included (default:"
              + " ${DEFAULT-VALUE}).")
  double deadlineSeconds;

  @Option(
      names = "--accept",
      split = ",",
      paramLabel = "CODE",
      description = "Final codes that count as Up besides any 2xx, e.g. 405,501.")
  List<Integer> accept = new ArrayList<>();

  @Option(
      names = "--down-after",
      paramLabel = "N",
      description = "Consecutive failures before Down (default: 3; with probe --once: 1).")
  Integer downAfter;

  @Option(
      names = "--up-after",
      paramLabel = "M",
      description =
          "Consecutive accepted answers before Up again (default: 2; with probe --once: 1).")
  Integer upAfter;

  @Option(
      names = "--transport",
      defaultValue = "udp",
      paramLabel = "T",
      description =
          "udp or tcp for gateways outside SIPSecured/Secured dial plans (default:"
              + " ${DEFAULT-VALUE}); those inside use TLS.")
  String transport;

  @Option(
      names = "--tls-trust-store",
      paramLabel = "FILE",
      description =
          "CA certificates that TLS gateways are checked against: PEM, JKS or PKCS#12 (default:"
              + " the JVM's).")
  Path tlsTrustStore;

  @Option(
      names = "--tls-trust-store-password-file",
      paramLabel = "FILE",
      description = "Password of a JKS or PKCS#12 --tls-trust-store.")
  Path tlsTrustStorePasswordFile;

  @Option(
      names = "--tls-client-cert",
      paramLabel = "FILE",
      description =
          "Certificate presented to TLS gateways that require one (mutual TLS, SIPSecured/Secured"
              + " dial plans): PEM chain, leaf first, with --tls-client-key; or a PKCS#12 file"
              + " (.p12/.pfx) alone.")
  Path tlsClientCert;

  @Option(
      names = "--tls-client-key",
      paramLabel = "FILE",
      description = "Private key of --tls-client-cert: PEM PKCS#8.")
  Path tlsClientKey;

  @Option(
      names = "--tls-client-key-password-file",
      paramLabel = "FILE",
      description = "Password of an encrypted --tls-client-key or of a PKCS#12 --tls-client-cert.")
  Path tlsClientKeyPasswordFile;

  @Option(
      names = "--certificate-warning-days",
      defaultValue = "21",
      paramLabel = "DAYS",
      description =
          "Event 9504 when a TLS gateway's certificate expires within DAYS (default:"
              + " ${DEFAULT-VALUE}).")
  int certificateWarningDays;

  /** The prober's sockets' settings: TLS trust and client certificate. */
  ProberOptions proberOptions() {
    return ProberOptions.defaults()
        .withTlsTrust(DirectoryConnector.trustManager(tlsTrustStore, tlsTrustStorePasswordFile))
        .withTlsClientKey(clientKey());
  }

  private javax.net.ssl.X509KeyManager clientKey() {
    if (tlsClientCert == null) {
      if (tlsClientKey != null || tlsClientKeyPasswordFile != null) {
        throw new UmgwException("--tls-client-key and its password file need --tls-client-cert");
      }
      return null;
    }
    return org.umgw.tls.TlsFiles.keyManager(tlsClientCert, tlsClientKey, tlsClientKeyPasswordFile);
  }

  /** The health settings; {@code once}: one round decides (--down-after/--up-after 1). */
  HealthOptions healthOptions(boolean once) {
    int down = downAfter != null ? downAfter : once ? 1 : 3;
    int up = upAfter != null ? upAfter : once ? 1 : 2;
    try {
      return new HealthOptions(
          seconds("--interval", intervalSeconds),
          seconds("--deadline", deadlineSeconds),
          new HashSet<>(accept),
          down,
          up,
          SipTransport.parse(transport),
          certificateWarning());
    } catch (IllegalArgumentException e) {
      throw new UmgwException(e.getMessage(), e);
    }
  }

  private Duration certificateWarning() {
    if (certificateWarningDays < 0 || certificateWarningDays > 3650) {
      throw new UmgwException(
          "--certificate-warning-days " + certificateWarningDays + ": 0 to 3650 days");
    }
    return Duration.ofDays(certificateWarningDays);
  }

  private static Duration seconds(String option, double value) {
    if (!(value > 0) || value > 86_400) {
      throw new UmgwException(
          option + " " + value + ": a number of seconds above 0, at most 86400");
    }
    return Duration.ofNanos(Math.round(value * 1e9));
  }
}
