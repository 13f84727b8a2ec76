package org.umgw.responder;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.sip.SipMessage;
import org.umgw.sip.SipParseException;
import org.umgw.sip.SipTransport;
import org.umgw.tls.PeerChains;

/**
 * Answers SIP over TCP or TLS on one listening socket: a thread per connection (at most {@link
 * #MAX_CONNECTIONS}; more are closed at once), requests framed by Content-Length, answered on the
 * same connection, which stays open until the peer closes it or is idle for a minute. Over TLS the
 * client must present a certificate that the client CAs trust ({@code setNeedClientAuth}): a
 * handshake without one fails and is reported as a line of its own.
 */
final class StreamListener implements SipResponder.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(StreamListener.class);
  static final int MAX_CONNECTIONS = 256;
  private static final int IDLE_MILLIS = 60_000;

  private final SipTransport transport;
  private final ServerSocket server;
  private final SipResponder.Handler handler;
  private final ExecutorService connections;
  private final Thread acceptor;
  private final InetSocketAddress local;

  StreamListener(Listen listen, SSLContext tls, SipResponder.Handler handler) {
    this.transport = listen.transport();
    this.handler = handler;
    try {
      if (transport == SipTransport.TLS) {
        SSLServerSocket s = (SSLServerSocket) tls.getServerSocketFactory().createServerSocket();
        s.setNeedClientAuth(true);
        server = s;
      } else {
        server = new ServerSocket();
      }
      server.setReuseAddress(true);
      server.bind(listen.address(), 128);
      local = (InetSocketAddress) server.getLocalSocketAddress();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for SIP on " + listen + ": " + e, e);
    }
    AtomicInteger n = new AtomicInteger();
    connections =
        new ThreadPoolExecutor(
            0,
            MAX_CONNECTIONS,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "umgw-responder-conn-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    acceptor = new Thread(this::accept, "umgw-responder-" + listen());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @Override
  public Listen listen() {
    return new Listen(transport, local);
  }

  @Override
  public void close() {
    try {
      server.close();
      acceptor.join(5_000);
    } catch (IOException e) {
      LOG.debug("closing {}: {}", listen(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connections.shutdownNow();
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (!server.isClosed()) {
          LOG.warn("accept on {} failed: {}", listen(), e.toString());
        }
        continue;
      }
      try {
        connections.execute(() -> serve(s));
      } catch (RejectedExecutionException e) {
        LOG.warn("{}: {} connections open, closing one from {}", listen(), MAX_CONNECTIONS, s);
        closeQuietly(s);
      }
    }
  }

  private void serve(Socket s) {
    InetSocketAddress from = (InetSocketAddress) s.getRemoteSocketAddress();
    try (s) {
      s.setSoTimeout(IDLE_MILLIS);
      X509Certificate[] chain = null;
      if (s instanceof SSLSocket ssl) {
        try {
          ssl.startHandshake();
          chain = PeerChains.x509(ssl.getSession().getPeerCertificates());
        } catch (SSLException e) {
          handler.handshakeFailed(from, e);
          return;
        }
      }
      loop(s, from, chain);
    } catch (SocketTimeoutException | SocketException e) {
      LOG.debug("connection from {} ended: {}", from, e.toString());
    } catch (IOException | RuntimeException e) {
      LOG.warn("connection from {} failed", from, e);
    }
  }

  private void loop(Socket s, InetSocketAddress from, X509Certificate[] chain) throws IOException {
    String contact =
        HostAndPort.fromParts(InetAddresses.toAddrString(local.getAddress()), local.getPort())
                .toString()
            + ";transport="
            + transport.name().toLowerCase(java.util.Locale.ROOT);
    InputStream in = s.getInputStream();
    OutputStream out = s.getOutputStream();
    int max = SipMessage.DEFAULT_MAX_SIZE;
    byte[] buf = new byte[max + 1];
    int have = 0;
    while (true) {
      int n = in.read(buf, have, buf.length - have);
      if (n < 0) {
        return;
      }
      have += n;
      while (have > 0) {
        int len;
        try {
          len = SipMessage.frameLength(buf, 0, have, max);
        } catch (SipParseException e) {
          LOG.debug("unreadable stream from {}: {}; closing", from, e.getMessage());
          return; // a stream cannot be resynchronised after a bad frame
        }
        if (len < 0) {
          break;
        }
        SipMessage m = null;
        try {
          m = SipMessage.parse(buf, 0, len, max);
        } catch (SipParseException e) {
          LOG.debug("dropped a message from {}: {}", from, e.getMessage());
        }
        System.arraycopy(buf, len, buf, 0, have - len);
        have -= len;
        if (m != null && m.isRequest()) {
          for (SipMessage r : handler.answer(m, from, transport, chain, contact)) {
            out.write(r.toBytes());
          }
          out.flush();
        }
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      LOG.debug("closing a refused connection: {}", e.toString());
    }
  }
}
