package org.umgw.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A TLS peer's certificate chain as X.509 certificates, the form admission by identity takes. */
public final class PeerChains {
  private static final Logger LOG = LoggerFactory.getLogger(PeerChains.class);

  private PeerChains() {}

  /**
   * The X.509 certificates of {@code certs}, in order (others, which TLS 1.2+ never sends, out).
   */
  public static X509Certificate[] x509(Certificate[] certs) {
    List<X509Certificate> out = new ArrayList<>(certs.length);
    for (Certificate c : certs) {
      if (c instanceof X509Certificate x) {
        out.add(x);
      }
    }
    return out.toArray(new X509Certificate[0]);
  }

  /**
   * The verified chain of a session's peer; empty without a session or when the peer sent no
   * certificate (admission then refuses what needs one, naming the reason).
   */
  public static X509Certificate[] of(SSLSession session) {
    if (session == null) {
      return new X509Certificate[0];
    }
    try {
      return x509(session.getPeerCertificates());
    } catch (SSLPeerUnverifiedException e) {
      LOG.debug("TLS peer without a verified certificate: {}", e.getMessage());
      return new X509Certificate[0];
    }
  }
}
