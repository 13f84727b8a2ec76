package org.umgw.dns;

import java.io.EOFException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.io.DefaultIoClientFactory;
import org.xbill.DNS.io.IoClientFactory;
import org.xbill.DNS.io.TcpIoClient;
import org.xbill.DNS.io.UdpIoClient;

/**
 * dnsjava's UDP transport replaced by a few long-lived sockets per server, shared by all queries
 * and matched to answers by DNS message ID, for bulk resolution.
 *
 * <p>dnsjava's own client opens, binds, connects, registers and closes one socket per query: about
 * ten system calls and a selector wake-up each, which made 20,000 queries take several times as
 * long as adns, whose one socket needs only a send and a receive per query. Here each server gets
 * {@link #SOCKETS_PER_SERVER} sockets, each replaced by a fresh one (a new random source port)
 * after {@link #QUERIES_PER_SOCKET} queries, so an off-path attacker who learnt a port cannot use
 * it for long; the retired socket closes once its last answer is in.
 *
 * <p>The sockets are connected to their server, so the kernel drops datagrams from any other source
 * and reports ICMP port unreachable (a dead server fails at once instead of after the timeout;
 * every query pending on that socket fails with it, as they all went to that server). One thread
 * reads every socket through a selector and expires queries in deadline order; with one timeout per
 * pool, sending order is deadline order. The receive buffer is raised to {@link #RECEIVE_BUFFER}
 * bytes, and the bound on queries in flight ({@link AsyncLimiter}) keeps a burst of answers within
 * it (the overflow that turns adns bursts into retries).
 *
 * <p>TCP (truncated answers) stays with dnsjava's client.
 */
final class UdpSocketPool implements UdpIoClient, IoClientFactory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpSocketPool.class);

  static final int SOCKETS_PER_SERVER = 4;
  static final int QUERIES_PER_SOCKET = 1024;
  static final int RECEIVE_BUFFER = 1 << 20;
  private static final long MAX_SELECT_MILLIS = 100;
  private static final int MAX_DATAGRAM = 65535;

  private record Key(InetSocketAddress local, InetSocketAddress remote) {}

  private final TcpIoClient tcp = new DefaultIoClientFactory().createOrGetTcpClient();
  private final Selector selector;
  private final Thread thread;
  private final Map<Key, Server> servers = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Query> byDeadline = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<Socket> retired = new ConcurrentLinkedQueue<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM);
  private volatile boolean closed;

  UdpSocketPool(String name) throws IOException {
    this.selector = Selector.open();
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public UdpIoClient createOrGetUdpClient() {
    return this;
  }

  @Override
  public TcpIoClient createOrGetTcpClient() {
    return tcp;
  }

  @Override
  public CompletableFuture<byte[]> sendAndReceiveUdp(
      InetSocketAddress local,
      InetSocketAddress remote,
      Message query,
      byte[] data,
      int max,
      Duration timeout) {
    if (closed) {
      return CompletableFuture.failedFuture(new EOFException("resolver closed"));
    }
    int id = query.getHeader().getID();
    Query q = new Query(id, System.nanoTime() + timeout.toNanos());
    try {
      Server server = servers.computeIfAbsent(new Key(local, remote), Server::new);
      server.assign(q);
      byDeadline.add(q);
      if (closed) {
        // close() raced with this call: the I/O thread may be gone before it saw the query.
        q.fail(new EOFException("resolver closed"));
        return q.future;
      }
      int sent = q.socket.channel.write(ByteBuffer.wrap(data));
      if (sent != data.length) {
        q.fail(
            new EOFException("UDP send buffer full (" + sent + " of " + data.length + " bytes)"));
      }
    } catch (IOException e) {
      q.fail(e);
    } catch (RuntimeException e) {
      q.fail(new IOException(e));
    }
    return q.future;
  }

  /** One query in flight. */
  private static final class Query {
    final int id;
    final long deadline;
    final CompletableFuture<byte[]> future = new CompletableFuture<>();
    Socket socket;

    Query(int id, long deadline) {
      this.id = id;
      this.deadline = deadline;
    }

    void fail(Exception e) {
      if (socket != null) {
        socket.pending.remove(id, this);
      }
      future.completeExceptionally(e);
    }
  }

  /** The sockets of one server, used in turn. */
  private final class Server {
    private final Key key;
    private final Socket[] sockets = new Socket[SOCKETS_PER_SERVER];
    private int next;

    Server(Key key) {
      this.key = key;
    }

    /** Puts {@code q} on a socket whose pending answers do not use its ID yet. */
    synchronized void assign(Query q) throws IOException {
      for (int i = 0; i < sockets.length; i++) {
        int index = (next + i) % sockets.length;
        Socket s = sockets[index];
        if (s == null || s.sent >= QUERIES_PER_SOCKET) {
          if (s != null) {
            s.retire();
          }
          s = new Socket(key);
          sockets[index] = s;
        }
        if (s.pending.putIfAbsent(q.id, q) == null) {
          s.sent++;
          q.socket = s;
          next = index + 1;
          return;
        }
      }
      throw new IOException("DNS message ID " + q.id + " already in flight on every socket");
    }
  }

  /** One connected UDP socket and the queries waiting for an answer on it. */
  private final class Socket {
    final DatagramChannel channel;
    final Map<Integer, Query> pending = new ConcurrentHashMap<>();
    int sent;

    Socket(Key key) throws IOException {
      ProtocolFamily family =
          key.remote().getAddress() instanceof Inet6Address
              ? StandardProtocolFamily.INET6
              : StandardProtocolFamily.INET;
      DatagramChannel ch = DatagramChannel.open(family);
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER);
        ch.bind(key.local()); // null or port 0: the kernel picks a random ephemeral port
        ch.connect(key.remote());
        ch.register(selector, SelectionKey.OP_READ, this);
        selector.wakeup(); // a registration takes effect at the next select
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw e;
      }
      this.channel = ch;
    }

    void retire() {
      retired.add(this);
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing DNS socket", e);
      }
    }

    void failAll(Exception e) {
      for (Iterator<Query> it = pending.values().iterator(); it.hasNext(); ) {
        Query q = it.next();
        it.remove();
        q.future.completeExceptionally(e);
      }
    }
  }

  // --- the I/O thread ----------------------------------------------------------------------

  private void run() {
    try {
      while (!closed) {
        selector.select(selectMillis());
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.isReadable()) {
            readAll((Socket) key.attachment());
          }
        }
        selector.selectedKeys().clear();
        expire();
        closeIdleRetired();
      }
    } catch (ClosedSelectorException | IOException e) {
      if (!closed) {
        log.error("DNS socket thread stopped", e);
      }
    } catch (RuntimeException | Error e) {
      log.error("DNS socket thread failed", e);
    } finally {
      shutDown();
    }
  }

  private long selectMillis() {
    Query head;
    while ((head = byDeadline.peek()) != null && head.future.isDone()) {
      byDeadline.poll();
    }
    if (head == null) {
      return MAX_SELECT_MILLIS;
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(head.deadline - System.nanoTime()) + 1;
    return Math.max(1, Math.min(MAX_SELECT_MILLIS, ms));
  }

  private void readAll(Socket socket) {
    while (true) {
      buffer.clear();
      int n;
      try {
        n = socket.channel.read(buffer);
      } catch (PortUnreachableException e) {
        socket.failAll(e); // ICMP from the server's host: nothing listens on that port
        continue;
      } catch (IOException e) {
        socket.failAll(e);
        return;
      }
      if (n <= 0) {
        return;
      }
      if (n < 12) {
        continue; // shorter than a DNS header
      }
      int id = ((buffer.get(0) & 0xFF) << 8) | (buffer.get(1) & 0xFF);
      Query q = socket.pending.remove(id);
      if (q != null) {
        q.future.complete(Arrays.copyOf(buffer.array(), n));
      }
    }
  }

  private void expire() {
    long now = System.nanoTime();
    Query q;
    while ((q = byDeadline.peek()) != null && (q.future.isDone() || q.deadline - now <= 0)) {
      byDeadline.poll();
      if (!q.future.isDone()) {
        q.fail(new SocketTimeoutException("Query timed out"));
      }
    }
  }

  private void closeIdleRetired() {
    if (retired.isEmpty()) {
      return;
    }
    List<Socket> busy = new ArrayList<>();
    Socket s;
    while ((s = retired.poll()) != null) {
      if (s.pending.isEmpty()) {
        s.close();
      } else {
        busy.add(s);
      }
    }
    retired.addAll(busy);
  }

  private void shutDown() {
    EOFException closing = new EOFException("resolver closed");
    for (Server server : servers.values()) {
      synchronized (server) {
        for (Socket s : server.sockets) {
          if (s != null) {
            s.failAll(closing);
            s.close();
          }
        }
      }
    }
    Socket s;
    while ((s = retired.poll()) != null) {
      s.failAll(closing);
      s.close();
    }
    Query q;
    while ((q = byDeadline.poll()) != null) {
      q.future.completeExceptionally(closing);
    }
    try {
      selector.close();
    } catch (IOException e) {
      log.debug("closing DNS selector", e);
    }
  }

  /** Fails every query still waiting and closes the sockets. */
  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
