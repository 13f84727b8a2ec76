package org.umgw.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain TCP endpoints on loopback for connection-failure tests: a port nothing listens on, a server
 * that accepts connections and never answers, and a forwarder that makes a local server reachable
 * under another 127.0.0.0/8 address (to test host name checks against a certificate that does not
 * name that address). Everything binds to and connects to loopback addresses only.
 */
public final class LoopbackTcp implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final Thread acceptor;

  private LoopbackTcp(String bindAddress, String name, Integer forwardToPort) {
    requireLoopback(bindAddress);
    try {
      server = new ServerSocket(0, 50, InetAddress.getByName(bindAddress));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + bindAddress, e);
    }
    acceptor = new Thread(() -> acceptLoop(forwardToPort), name + "-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A port on 127.0.0.1 that was free a moment ago and has no listener: connects are refused. */
  public static int deadPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on 127.0.0.1", e);
    }
  }

  /** Listens on 127.0.0.1, accepts every connection and never reads or writes a byte. */
  public static LoopbackTcp silent() {
    return new LoopbackTcp("127.0.0.1", "silent-tcp", null);
  }

  /**
   * Listens on {@code bindAddress} (a 127.0.0.0/8 address) and relays each connection to {@code
   * 127.0.0.1:targetPort} byte for byte, so TLS passes through untouched.
   */
  public static LoopbackTcp forwarder(String bindAddress, int targetPort) {
    return new LoopbackTcp(bindAddress, "tcp-forwarder", targetPort);
  }

  public String host() {
    return server.getInetAddress().getHostAddress();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    try {
      acceptor.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop(Integer forwardToPort) {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException closed) {
        return;
      }
      sockets.add(client);
      accepted.incrementAndGet();
      if (forwardToPort != null) {
        startRelay(client, forwardToPort);
      }
    }
  }

  private void startRelay(Socket client, int targetPort) {
    Socket target;
    try {
      target = new Socket(InetAddress.getByName("127.0.0.1"), targetPort);
    } catch (IOException e) {
      closeQuietly(client);
      return;
    }
    sockets.add(target);
    pump(client, target);
    pump(target, client);
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  out.write(buf, 0, n);
                  out.flush();
                }
              } catch (IOException ignored) {
                // One side closed: tear down both below.
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "tcp-forwarder-pump-" + from.getPort());
    t.setDaemon(true);
    t.start();
  }

  private static void requireLoopback(String address) {
    try {
      if (!InetAddress.getByName(address).isLoopbackAddress()) {
        throw new IllegalArgumentException(address + " is not a loopback address");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("bad address " + address, e);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // Already closed.
    }
  }

  @Override
  public String toString() {
    return "LoopbackTcp[" + new InetSocketAddress(host(), port()) + "]";
  }
}
