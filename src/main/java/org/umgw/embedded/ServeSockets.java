package org.umgw.embedded;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * Socket factories for the {@code serve} listener, configured when {@code serve} is called.
 *
 * <p>UnboundID fixes an in-memory server's listeners, including whether they offer StartTLS, when
 * the server is built, but the address and certificate are only known later. The listener is
 * therefore declared at open time with these factories, which bind where {@code serve} says and
 * wrap connections with the key store {@code serve} loads; until then they refuse.
 *
 * <p>They also know every live client connection of the listener: its bound identity and whether it
 * did StartTLS, which {@link ServeAccess} decides by. UnboundID tells an interceptor only the
 * listener's address and a per-listener connection number, but it serves each connection on a
 * thread of its own that reads the socket and runs the interceptors, so the socket's input stream
 * marks that thread with the connection ({@link #current()}); threads of the in-process listener
 * never read these sockets and stay unmarked. They hold the connection limit, since UnboundID's own
 * limit is fixed at open time for every listener, including the in-process one. A connection past
 * the limit is accepted and closed at once, so a client looping on opens gets a clean refusal and
 * the listener keeps serving the others.
 */
final class ServeSockets {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServeSockets.class);

  private volatile InetSocketAddress bindTo;
  private volatile SSLSocketFactory tls;
  private volatile int maxConnections = ServeLimits.DEFAULT_MAX_CONNECTIONS;
  private final Set<TrackedSocket> live = ConcurrentHashMap.newKeySet();
  private static final ThreadLocal<ServeConnection> CURRENT = new ThreadLocal<>();

  void maxConnections(int max) {
    this.maxConnections = max;
  }

  /**
   * The listener connection the calling thread serves, or {@code null} on a thread of the
   * in-process listener.
   */
  static ServeConnection current() {
    return CURRENT.get();
  }

  int liveConnections() {
    return live.size();
  }

  void bindTo(InetSocketAddress address) {
    this.bindTo = address;
  }

  void tls(SSLSocketFactory factory) {
    this.tls = factory;
  }

  ServerSocketFactory serverSocketFactory() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return new ServerSocket();
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return bound(50);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return bound(backlog);
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
          throws IOException {
        return bound(backlog);
      }
    };
  }

  private ServerSocket bound(int backlog) throws IOException {
    InetSocketAddress address = bindTo;
    if (address == null) {
      throw new IOException("the LDAP listener starts through EmbeddedDirectory.serve only");
    }
    ServerSocket socket = new LimitedServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(address, backlog);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private final java.util.concurrent.atomic.AtomicLong refusedSinceLog =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile long lastRefusalLog = System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS;
  private static final long REFUSAL_LOG_INTERVAL_NANOS = 60_000_000_000L;

  /** One warning a minute at most, with the count, so a connection flood cannot flood the log. */
  private void refused(Socket s) {
    long count = refusedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    if (now - lastRefusalLog >= REFUSAL_LOG_INTERVAL_NANOS) {
      lastRefusalLog = now;
      refusedSinceLog.addAndGet(-count);
      LOG.warn(
          "refused {} LDAP connection(s) in the last minute, the latest from {}: {} are open,"
              + " the --max-connections limit",
          count,
          s.getInetAddress().getHostAddress(),
          maxConnections);
    }
  }

  /** Accepts up to {@link #maxConnections} live connections, each registered while open. */
  private final class LimitedServerSocket extends ServerSocket {
    LimitedServerSocket() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      while (true) {
        TrackedSocket s = new TrackedSocket();
        implAccept(s);
        if (live.size() >= maxConnections) {
          refused(s);
          s.closeUnregistered();
          continue;
        }
        s.register();
        return s;
      }
    }
  }

  /** A client socket that leaves the registry when closed (directly or through its TLS layer). */
  private final class TrackedSocket extends Socket {
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ServeConnection state = new ServeConnection();
    private boolean registered;

    void register() {
      registered = true;
      live.add(this);
    }

    @Override
    public InputStream getInputStream() throws IOException {
      InputStream in = super.getInputStream();
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          CURRENT.set(state);
          return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          CURRENT.set(state);
          return super.read(b, off, len);
        }
      };
    }

    void closeUnregistered() {
      try {
        super.close();
      } catch (IOException e) {
        LOG.debug("closing a refused connection failed: {}", e.getMessage());
      }
    }

    @Override
    public synchronized void close() throws IOException {
      try {
        super.close();
      } finally {
        if (closed.compareAndSet(false, true) && registered) {
          live.remove(this);
        }
      }
    }
  }

  /** The StartTLS factory: the key store's once {@code serve} loaded one, a refusal before. */
  SSLSocketFactory startTlsSocketFactory() {
    return new SSLSocketFactory() {
      private SSLSocketFactory delegate() throws SSLException {
        SSLSocketFactory f = tls;
        if (f == null) {
          throw new SSLException("StartTLS is not enabled: serve was started without a key store");
        }
        return f;
      }

      @Override
      public String[] getDefaultCipherSuites() {
        SSLSocketFactory f = tls;
        return f == null ? new String[0] : f.getDefaultCipherSuites();
      }

      @Override
      public String[] getSupportedCipherSuites() {
        SSLSocketFactory f = tls;
        return f == null ? new String[0] : f.getSupportedCipherSuites();
      }

      @Override
      public Socket createSocket(Socket s, String host, int port, boolean autoClose)
          throws IOException {
        Socket wrapped = delegate().createSocket(s, host, port, autoClose);
        if (s instanceof TrackedSocket t) {
          t.state.tls(true);
        }
        return wrapped;
      }

      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return delegate().createSocket(host, port);
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
          throws IOException {
        return delegate().createSocket(host, port, localHost, localPort);
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return delegate().createSocket(host, port);
      }

      @Override
      public Socket createSocket(
          InetAddress address, int port, InetAddress localAddress, int localPort)
          throws IOException {
        return delegate().createSocket(address, port, localAddress, localPort);
      }
    };
  }
}
