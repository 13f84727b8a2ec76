package org.umgw.sip;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedKeyManager;
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
  private final Set<Socket> asked = ConcurrentHashMap.newKeySet();

  TlsConnector(X509TrustManager trust, X509KeyManager clientKey) throws IOException {
    try {
      context = SSLContext.getInstance("TLS");
      context.init(
          new KeyManager[] {new AskRecorder(clientKey)},
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

  /**
   * Records which connections the gateway asked for a client certificate (a CertificateRequest in
   * the handshake), then answers with the configured one, or none. Over TLS 1.3 a gateway that
   * requires a certificate we lack may close the connection after the handshake before its alert
   * can be read (our request then meets a broken pipe): the record still tells why.
   */
  private final class AskRecorder extends X509ExtendedKeyManager {
    private final X509KeyManager key;

    AskRecorder(X509KeyManager key) {
      this.key = key;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      if (socket != null) {
        asked.add(socket);
      }
      return key == null ? null : key.chooseClientAlias(keyType, issuers, socket);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return key == null ? null : key.getClientAliases(keyType, issuers);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null; // a client only
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return key == null ? null : key.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return key == null ? null : key.getPrivateKey(alias);
    }
  }

  /**
   * What an I/O failure right after the handshake means. A TLS 1.3 gateway that refuses the client
   * certificate (or its absence) sends its alert after the handshake and closes; our request may
   * then meet a broken pipe and the alert may be lost. When the gateway asked for a certificate (a
   * CertificateRequest) that is the reason: it requires one and we had none, or it refused ours.
   * Otherwise {@code failure} stands. Forgets the socket.
   */
  ProbeResult.Failed afterHandshake(SSLSocket ssl, ProbeTarget target, ProbeResult.Failed failure) {
    boolean wasAsked = asked.remove(ssl);
    if (!wasAsked) {
      return failure;
    }
    TlsFailure why =
        clientCertificate
            ? TlsFailure.CLIENT_CERTIFICATE_REFUSED
            : TlsFailure.CLIENT_CERTIFICATE_REQUIRED;
    return new ProbeResult.Failed(
        ProbeResult.Failure.TLS,
        "TLS handshake with "
            + target
            + " failed: "
            + why.words()
            + " (it asked for a client certificate, then closed the connection without an"
            + " answer: "
            + failure.detail()
            + ")",
        why);
  }

  /** Drops the record of {@code ssl} (the probe is over). */
  void forget(SSLSocket ssl) {
    asked.remove(ssl);
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
