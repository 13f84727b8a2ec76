package org.umgw.sip;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Turns a connected socket into a TLS one towards a gateway: the gateway's certificate must chain
 * to the trust store and name the gateway's FQDN (endpoint identification, SNI with the name), and
 * the prober presents its client certificate when it has one (mutual TLS, as SIPSecured and Secured
 * dial plans need with an SBC that requires it).
 */
final class TlsConnector {
  private final SSLContext context;
  private final boolean clientCertificate;

  TlsConnector(X509TrustManager trust, X509KeyManager clientKey) throws IOException {
    try {
      context = SSLContext.getInstance("TLS");
      context.init(
          clientKey == null ? null : new KeyManager[] {clientKey},
          new TrustManager[] {new ValidityFirst(trust)},
          null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
    this.clientCertificate = clientKey != null;
  }

  /**
   * Checks the dates of the gateway's chain before the trust store does, so that an expired
   * certificate fails as {@link java.security.cert.CertificateExpiredException} whatever trust
   * manager is configured (UnboundID's PEM trust manager reports dates and untrusted issuers
   * alike). Host name checks stay with JSSE, which wraps a plain trust manager to do them.
   */
  private record ValidityFirst(X509TrustManager trust) implements X509TrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      for (X509Certificate c : chain) {
        c.checkValidity();
      }
      trust.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      trust.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return trust.getAcceptedIssuers();
    }
  }

  /** The prober offers a client certificate. */
  boolean clientCertificate() {
    return clientCertificate;
  }

  /**
   * Layers TLS over {@code socket}; the caller starts the handshake (so that it can close the
   * socket at the deadline meanwhile).
   *
   * @throws IOException when the socket cannot be layered
   */
  SSLSocket wrap(Socket socket, ProbeTarget target, int timeoutMillis) throws IOException {
    SSLSocket ssl =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(socket, target.serverName(), target.address().getPort(), true);
    SSLParameters params = ssl.getSSLParameters();
    params.setEndpointIdentificationAlgorithm("HTTPS"); // the name must be in the certificate
    if (!InetAddresses.isInetAddress(target.serverName())) {
      params.setServerNames(List.of(new SNIHostName(target.serverName())));
    }
    ssl.setSSLParameters(params);
    ssl.setSoTimeout(timeoutMillis);
    return ssl;
  }

  /** When the peer's certificate expires, or null when the session has none. */
  static Instant peerNotAfter(SSLSocket ssl) {
    try {
      Certificate[] chain = ssl.getSession().getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
        return x.getNotAfter().toInstant();
      }
    } catch (SSLPeerUnverifiedException e) {
      return null; // no handshake completed: nothing to report
    }
    return null;
  }
}
