package org.umgw.responder;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.UmgwException;
import org.umgw.service.TrustService;
import org.umgw.sip.SipMessage;
import org.umgw.sip.SipTransport;

/**
 * A SIP endpoint that answers as a UM server would, on any number of UDP, TCP and TLS listeners
 * (IPv4 and IPv6), from a {@link TrustService} that follows the directory live: what an
 * administrator points a gateway at to test it end to end before pointing it at the real SIP server
 * (Exchange had {@code Test-UMConnectivity}). Each request, and each refused TLS handshake, is
 * reported as one {@link Handled} line with the decision and the reason. See {@link Answerer} for
 * what is answered.
 *
 * <pre>{@code
 * try (SipResponder r = SipResponder.start(trust,
 *         List.of(Listen.parse("udp:0.0.0.0:5060"), Listen.parse("tls:[::]:5061")),
 *         TlsFiles.keyManager(cert, key, null), DirectoryConnector.trustManager(clientCa, null),
 *         line -> System.out.println(line))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Over TLS the client must present a certificate the client CAs trust (mutual TLS, as SIPSecured
 * and Secured dial plans are), and the certificate, not the IP alone, says which gateway it is.
 */
public final class SipResponder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SipResponder.class);

  /** One listening socket. */
  interface Listener extends AutoCloseable {
    Listen listen();

    @Override
    void close();
  }

  /** What the listeners call for each request and failed handshake. */
  interface Handler {
    List<SipMessage> answer(
        SipMessage request,
        InetSocketAddress from,
        SipTransport transport,
        X509Certificate[] chain,
        String contact);

    void handshakeFailed(InetSocketAddress from, SSLException e);
  }

  private final List<Listener> listeners = new ArrayList<>();

  private SipResponder() {}

  /**
   * Binds every listener and starts answering.
   *
   * @param serverKey the certificate TLS listeners present; required when one is TLS
   * @param clientTrust the CAs client certificates must chain to (TLS listeners)
   * @param out told each {@link Handled} line, from the listeners' threads
   * @throws UmgwException when a TLS listener has no certificate, or an address cannot be bound
   *     (naming it); nothing stays bound then
   */
  public static SipResponder start(
      TrustService trust,
      List<Listen> listens,
      X509KeyManager serverKey,
      X509TrustManager clientTrust,
      Consumer<Handled> out) {
    requireNonNull(trust, "trust == null");
    requireNonNull(out, "out == null");
    if (listens.isEmpty()) {
      throw new UmgwException("nothing to listen on: give --listen udp|tcp|tls:HOST:PORT");
    }
    SSLContext tls = null;
    if (listens.stream().anyMatch(l -> l.transport() == SipTransport.TLS)) {
      if (serverKey == null) {
        throw new UmgwException(
            "a tls listener needs the responder's certificate: --tls-cert FILE --tls-key FILE");
      }
      tls = context(serverKey, clientTrust);
    }
    Answerer answerer = new Answerer(trust, Clock.systemUTC());
    Handler handler =
        new Handler() {
          @Override
          public List<SipMessage> answer(
              SipMessage request,
              InetSocketAddress from,
              SipTransport transport,
              X509Certificate[] chain,
              String contact) {
            Answerer.Reply r = answerer.answer(request, from, transport, chain, contact);
            report(out, r.handled());
            return r.responses();
          }

          @Override
          public void handshakeFailed(InetSocketAddress from, SSLException e) {
            LOG.debug("TLS handshake from {} failed", from, e);
            report(
                out,
                new Handled(
                    Clock.systemUTC().instant(),
                    SipTransport.TLS,
                    from,
                    "TLS",
                    null,
                    0,
                    "refused",
                    "TLS handshake failed: " + handshakeReason(e)));
          }
        };
    SipResponder r = new SipResponder();
    try {
      for (Listen l : listens) {
        r.listeners.add(
            l.transport() == SipTransport.UDP
                ? new UdpListener(l, handler)
                : new StreamListener(l, tls, handler));
      }
    } catch (RuntimeException e) {
      r.close();
      throw e instanceof UmgwException u ? u : new UmgwException(e.getMessage(), e);
    }
    return r;
  }

  /** Where it listens (real ports when 0 was asked). */
  public List<Listen> listening() {
    return listeners.stream().map(Listener::listen).toList();
  }

  @Override
  public void close() {
    listeners.forEach(Listener::close);
  }

  private static void report(Consumer<Handled> out, Handled h) {
    try {
      out.accept(h);
    } catch (RuntimeException e) {
      LOG.warn("reporting {} failed", h, e);
    }
  }

  /** "the client presented no certificate", or JSSE's words. */
  static String handshakeReason(SSLException e) {
    String m = String.valueOf(e.getMessage());
    String lower = m.toLowerCase(Locale.ROOT);
    if (lower.contains("empty client certificate chain")
        || lower.contains("certificate_required")) {
      return "the client presented no certificate (mutual TLS is required)";
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertificateException) {
        return "the client's certificate is not trusted (--tls-client-ca): " + t.getMessage();
      }
    }
    return m;
  }

  private static SSLContext context(X509KeyManager key, X509TrustManager trust) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(new KeyManager[] {key}, trust == null ? null : new TrustManager[] {trust}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new UmgwException("cannot set up TLS: " + e.getMessage(), e);
    }
  }
}
