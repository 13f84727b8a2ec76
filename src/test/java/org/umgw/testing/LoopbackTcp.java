package org.umgw.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Plain TCP endpoints on 127.0.0.1 for connection-failure tests: a port nothing listens on, and a
 * server that accepts connections and never reads or writes a byte (a hung server, as seen by a
 * client: the TCP connect succeeds, every response times out). The network is loopback only, so
 * this stands in for a black-holed address too.
 */
public final class LoopbackTcp implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final AtomicInteger acceptCount = new AtomicInteger();
  private final Thread acceptor;

  private LoopbackTcp() {
    try {
      server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + HOST, e);
    }
    acceptor = new Thread(this::acceptLoop, "silent-tcp-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A port on 127.0.0.1 that was free a moment ago and has no listener: connects are refused. */
  public static int deadPort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  /** Listens on 127.0.0.1, accepts every connection, holds it open and never answers. */
  public static LoopbackTcp silent() {
    return new LoopbackTcp();
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  public int accepted() {
    return acceptCount.get();
  }

  /** Stops listening and closes every accepted connection. */
  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    for (Socket s : accepted) {
      try {
        s.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
    try {
      acceptor.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        accepted.add(server.accept());
        acceptCount.incrementAndGet();
      } catch (IOException closed) {
        return;
      }
    }
  }

  @Override
  public String toString() {
    return "LoopbackTcp[" + HOST + ":" + port() + "]";
  }
}
