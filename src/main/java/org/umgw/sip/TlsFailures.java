package org.umgw.sip;

import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Classifies a failed TLS handshake from what JSSE throws: our own checks of the gateway's
 * certificate end in a {@link CertificateException} somewhere in the cause chain; the gateway's
 * refusal of us arrives as a fatal alert ("Received fatal alert: certificate_required"), which TLS
 * 1.3 delivers only on the first read after the handshake, so the request exchange is classified
 * too.
 */
final class TlsFailures {
  /** Alerts by which a server says it wants a (different) client certificate. */
  private static final Set<String> CLIENT_CERTIFICATE_ALERTS =
      Set.of(
          "certificate_required",
          "bad_certificate",
          "unknown_ca",
          "certificate_unknown",
          "certificate_expired",
          "certificate_revoked",
          "unsupported_certificate",
          "access_denied");

  private TlsFailures() {}

  /** The reason of {@code e}; {@code clientCertificate}: the prober offered one. */
  static TlsFailure classify(SSLException e, boolean clientCertificate) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateExpiredException) {
        return TlsFailure.EXPIRED;
      }
      if (t instanceof CertificateNotYetValidException) {
        return TlsFailure.NOT_YET_VALID;
      }
      if (t instanceof CertPathValidatorException v) {
        if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
          return TlsFailure.EXPIRED;
        }
        if (v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
          return TlsFailure.NOT_YET_VALID;
        }
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (t instanceof CertificateException
          && (m.contains("no subject alternative") || m.contains("no name matching"))) {
        return TlsFailure.NAME_MISMATCH;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        // UnboundID's PEM trust manager says "expired" in words rather than by exception type.
        if (m.contains("expired") || m.contains("notafter")) {
          return TlsFailure.EXPIRED;
        }
        if (m.contains("not yet valid") || m.contains("notbefore")) {
          return TlsFailure.NOT_YET_VALID;
        }
        return TlsFailure.UNTRUSTED_ISSUER;
      }
    }
    String alert = alert(e);
    if (!clientCertificate && "handshake_failure".equals(alert)) {
      // OpenSSL's answer over TLS 1.2 to a missing certificate it requires (SSL_VERIFY_FAIL_IF_NO_
      // PEER_CERT); without one offered, the likeliest reason by far.
      return TlsFailure.CLIENT_CERTIFICATE_REQUIRED;
    }
    if (alert != null && CLIENT_CERTIFICATE_ALERTS.contains(alert)) {
      return clientCertificate
          ? TlsFailure.CLIENT_CERTIFICATE_REFUSED
          : TlsFailure.CLIENT_CERTIFICATE_REQUIRED;
    }
    return TlsFailure.HANDSHAKE;
  }

  /** The fatal alert the peer sent ("unknown_ca"), or null when the failure was not an alert. */
  static String alert(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && m.startsWith("Received fatal alert: ")) {
        return m.substring("Received fatal alert: ".length()).trim();
      }
    }
    return null;
  }

  /** "the gateway refused our client certificate (alert unknown_ca): ..." */
  static String describe(TlsFailure f, SSLException e) {
    String alert = alert(e);
    return f.words() + (alert != null ? " (alert " + alert + ")" : "") + ": " + e.getMessage();
  }
}
