package org.umgw.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 */
final class ServeSockets {
  private volatile InetSocketAddress bindTo;
  private volatile SSLSocketFactory tls;

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
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(true);
      socket.bind(address, backlog);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
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
        return delegate().createSocket(s, host, port, autoClose);
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
