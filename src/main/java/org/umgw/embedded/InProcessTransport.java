package org.umgw.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;

/**
 * Socket pairs inside the JVM, so that the embedded directory's own connections reach UnboundID's
 * listener (and with it the journaling interceptor) without opening a port anyone else could reach.
 * UnboundID only talks to a listener through {@link Socket}s, so this class provides a {@link
 * ServerSocketFactory} for the listener and a {@link SocketFactory} for its clients whose sockets
 * are connected by in-memory pipes instead of TCP.
 *
 * <p>Only the socket methods UnboundID's connection and listener code call are implemented; the
 * rest of {@link Socket} is left unconnected.
 */
final class InProcessTransport {
  /** The port the in-process listener reports; only a label, nothing is bound. */
  static final int PORT = 1;

  private final LinkedBlockingQueue<PipeSocket> pending = new LinkedBlockingQueue<>();
  private final AtomicInteger nextPort = new AtomicInteger(40_000);
  private volatile Acceptor acceptor;

  ServerSocketFactory serverSocketFactory() {
    return new ServerSocketFactory() {
      @Override
      public ServerSocket createServerSocket() throws IOException {
        return open();
      }

      @Override
      public ServerSocket createServerSocket(int port) throws IOException {
        return open();
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return open();
      }

      @Override
      public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
          throws IOException {
        return open();
      }
    };
  }

  SocketFactory clientSocketFactory() {
    return new SocketFactory() {
      @Override
      public Socket createSocket(String host, int port) throws IOException {
        return connect();
      }

      @Override
      public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
          throws IOException {
        return connect();
      }

      @Override
      public Socket createSocket(InetAddress host, int port) throws IOException {
        return connect();
      }

      @Override
      public Socket createSocket(
          InetAddress address, int port, InetAddress localAddress, int localPort)
          throws IOException {
        return connect();
      }
    };
  }

  private synchronized Acceptor open() throws IOException {
    if (acceptor != null && !acceptor.isClosed()) {
      throw new SocketException("the in-process listener is already open");
    }
    pending.clear();
    acceptor = new Acceptor();
    return acceptor;
  }

  private Socket connect() throws IOException {
    Acceptor a = acceptor;
    if (a == null || a.isClosed()) {
      throw new ConnectException("the embedded directory is closed");
    }
    Pipe toServer = new Pipe();
    Pipe toClient = new Pipe();
    int clientPort = nextPort.getAndIncrement();
    PipeSocket client = new PipeSocket(toClient, toServer, clientPort, PORT);
    PipeSocket server = new PipeSocket(toServer, toClient, PORT, clientPort);
    pending.add(server);
    if (a.isClosed()) {
      pending.remove(server);
      throw new ConnectException("the embedded directory is closed");
    }
    return client;
  }

  /** The listening end: hands out the server halves of pairs that clients created. */
  private final class Acceptor extends ServerSocket {
    private volatile boolean closed;

    Acceptor() throws IOException {
      super();
    }

    @Override
    public Socket accept() throws IOException {
      try {
        while (!closed) {
          PipeSocket s = pending.poll(100, TimeUnit.MILLISECONDS);
          if (s != null) {
            return s;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while accepting");
      }
      throw new SocketException("Socket is closed");
    }

    @Override
    public void close() {
      closed = true;
      PipeSocket s;
      while ((s = pending.poll()) != null) {
        s.close();
      }
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public boolean isBound() {
      return true;
    }

    @Override
    public void bind(SocketAddress endpoint, int backlog) {}

    @Override
    public InetAddress getInetAddress() {
      return InetAddress.getLoopbackAddress();
    }

    @Override
    public int getLocalPort() {
      return PORT;
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), PORT);
    }

    @Override
    public void setSoTimeout(int timeout) {}

    @Override
    public void setReceiveBufferSize(int size) {}

    @Override
    public void setReuseAddress(boolean on) {}

    @Override
    public String toString() {
      return "InProcessTransport.Acceptor[closed=" + closed + "]";
    }
  }

  /** One direction of a connection: an unbounded byte queue with socket-like read timeouts. */
  static final class Pipe {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int headOffset;
    private boolean writerClosed;
    private boolean readerClosed;

    void write(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return;
      }
      byte[] copy = new byte[len];
      System.arraycopy(b, off, copy, 0, len);
      lock.lock();
      try {
        if (writerClosed) {
          throw new SocketException("Socket closed");
        }
        if (readerClosed) {
          throw new SocketException("Broken pipe");
        }
        chunks.add(copy);
        readable.signalAll();
      } finally {
        lock.unlock();
      }
    }

    int read(byte[] b, int off, int len, int timeoutMillis) throws IOException {
      if (len == 0) {
        return 0;
      }
      lock.lock();
      try {
        long remaining = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (chunks.isEmpty() && !writerClosed && !readerClosed) {
          if (timeoutMillis <= 0) {
            readable.await();
          } else {
            if (remaining <= 0) {
              throw new SocketTimeoutException("Read timed out");
            }
            remaining = readable.awaitNanos(remaining);
          }
        }
        if (readerClosed) {
          throw new SocketException("Socket closed");
        }
        if (chunks.isEmpty()) {
          return -1;
        }
        int copied = 0;
        while (copied < len && !chunks.isEmpty()) {
          byte[] head = chunks.peek();
          int n = Math.min(len - copied, head.length - headOffset);
          System.arraycopy(head, headOffset, b, off + copied, n);
          copied += n;
          headOffset += n;
          if (headOffset == head.length) {
            chunks.poll();
            headOffset = 0;
          }
        }
        return copied;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading");
      } finally {
        lock.unlock();
      }
    }

    int available() {
      lock.lock();
      try {
        int n = 0;
        for (byte[] c : chunks) {
          n += c.length;
        }
        return n - headOffset;
      } finally {
        lock.unlock();
      }
    }

    void closeWriter() {
      lock.lock();
      try {
        writerClosed = true;
        readable.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void closeReader() {
      lock.lock();
      try {
        readerClosed = true;
        chunks.clear();
        readable.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** One end of an in-process connection. */
  static final class PipeSocket extends Socket {
    private final Pipe in;
    private final Pipe out;
    private final int localPort;
    private final int remotePort;
    private final InputStream input;
    private final OutputStream output;
    private volatile int soTimeout;
    private volatile boolean closed;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;

    PipeSocket(Pipe in, Pipe out, int localPort, int remotePort) {
      this.in = in;
      this.out = out;
      this.localPort = localPort;
      this.remotePort = remotePort;
      this.input =
          new InputStream() {
            @Override
            public int read() throws IOException {
              byte[] one = new byte[1];
              int n = read(one, 0, 1);
              return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              return PipeSocket.this.in.read(b, off, len, soTimeout);
            }

            @Override
            public int available() {
              return PipeSocket.this.in.available();
            }

            @Override
            public void close() {
              PipeSocket.this.close();
            }
          };
      this.output =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              PipeSocket.this.out.write(b, off, len);
            }

            @Override
            public void close() {
              PipeSocket.this.close();
            }
          };
    }

    @Override
    public InputStream getInputStream() throws IOException {
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      return input;
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      if (closed) {
        throw new SocketException("Socket is closed");
      }
      return output;
    }

    @Override
    public void close() {
      closed = true;
      in.closeReader();
      out.closeWriter();
    }

    @Override
    public void shutdownInput() {
      inputShutdown = true;
      in.closeReader();
    }

    @Override
    public void shutdownOutput() {
      outputShutdown = true;
      out.closeWriter();
    }

    @Override
    public boolean isInputShutdown() {
      return inputShutdown;
    }

    @Override
    public boolean isOutputShutdown() {
      return outputShutdown;
    }

    @Override
    public boolean isClosed() {
      return closed;
    }

    @Override
    public boolean isConnected() {
      return true;
    }

    @Override
    public boolean isBound() {
      return true;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
      throw new SocketException("already connected");
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      throw new SocketException("already connected");
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
      throw new SocketException("already bound");
    }

    @Override
    public InetAddress getInetAddress() {
      return InetAddress.getLoopbackAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
      return InetAddress.getLoopbackAddress();
    }

    @Override
    public int getPort() {
      return remotePort;
    }

    @Override
    public int getLocalPort() {
      return localPort;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), remotePort);
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
      return new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort);
    }

    @Override
    public void setSoTimeout(int timeout) {
      soTimeout = timeout;
    }

    @Override
    public int getSoTimeout() {
      return soTimeout;
    }

    @Override
    public void setTcpNoDelay(boolean on) {}

    @Override
    public boolean getTcpNoDelay() {
      return true;
    }

    @Override
    public void setKeepAlive(boolean on) {}

    @Override
    public boolean getKeepAlive() {
      return false;
    }

    @Override
    public void setReuseAddress(boolean on) {}

    @Override
    public boolean getReuseAddress() {
      return false;
    }

    @Override
    public void setSoLinger(boolean on, int linger) {}

    @Override
    public int getSoLinger() {
      return -1;
    }

    @Override
    public void setReceiveBufferSize(int size) {}

    @Override
    public int getReceiveBufferSize() {
      return 65536;
    }

    @Override
    public void setSendBufferSize(int size) {}

    @Override
    public int getSendBufferSize() {
      return 65536;
    }

    @Override
    public void setTrafficClass(int tc) {}

    @Override
    public int getTrafficClass() {
      return 0;
    }

    @Override
    public void setOOBInline(boolean on) {}

    @Override
    public boolean getOOBInline() {
      return false;
    }

    @Override
    public String toString() {
      return "InProcessTransport.PipeSocket[local=" + localPort + ",remote=" + remotePort + "]";
    }
  }
}
