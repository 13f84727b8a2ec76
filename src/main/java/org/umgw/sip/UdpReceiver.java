package org.umgw.sip;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;

/**
 * The supervised thread that receives the prober's UDP answers. Whatever ends its loop (an
 * exception or {@link Error} out of the loop, an I/O error of the selector, a socket closed under
 * it) is logged, and the loop starts again, on new sockets when the old ones are no longer intact,
 * after a bounded retry delay (100 ms doubling to 2 s). While it cannot receive, the prober is
 * <em>broken</em>: event 9401 once when that starts, 9402 once the restarted loop has completed a
 * clean wait, and in between every UDP probe is {@link ProbeResult.Failure#LOCAL}, so a health
 * monitor learns nothing about the peers instead of marking them all Down.
 *
 * <p>A stray interrupt of the thread is cleared and logged: it must neither close the sockets nor
 * make the selector spin.
 */
final class UdpReceiver implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UdpReceiver.class);
  private static final int UDP_BUFFER = 65_536;
  private static final long SELECT_MS = 1_000;
  private static final long SELECT_WHILE_BROKEN_MS = 100;
  static final long RETRY_MIN_MS = 100;
  static final long RETRY_MAX_MS = 2_000;

  /** Takes each received datagram; called on the receiver thread only. */
  @FunctionalInterface
  interface Handler {
    void onDatagram(byte[] data, int length, InetSocketAddress from);
  }

  private final InetAddress bindV4;
  private final InetAddress bindV6;
  private final Handler handler;
  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong failures = new AtomicLong();
  private final Thread thread;
  private volatile UdpSockets sockets;
  private volatile String broken; // why it cannot receive; null while it can
  private String lastReason; // guarded by this
  private volatile Throwable fault; // test seam
  private volatile boolean closed;
  private final org.umgw.feed.Backoff retry =
      new org.umgw.feed.Backoff(
          java.time.Duration.ofMillis(RETRY_MIN_MS),
          java.time.Duration.ofMillis(RETRY_MAX_MS)); // receiver thread only

  /**
   * Opens the sockets and starts the thread.
   *
   * @throws IOException when no UDP socket can be bound
   */
  UdpReceiver(InetAddress bindV4, InetAddress bindV6, Handler handler) throws IOException {
    this.bindV4 = bindV4;
    this.bindV6 = bindV6;
    this.handler = handler;
    this.sockets = UdpSockets.open(bindV4, bindV6);
    thread = new Thread(this::supervise, "umgw-sip-udp");
    thread.setDaemon(true);
    thread.start();
  }

  /** The sockets in use now (replaced after a failure). */
  UdpSockets sockets() {
    return sockets;
  }

  /** How many times the receiver has failed; a probe compares it before and after. */
  long failures() {
    return failures.get();
  }

  /** Whether it has received without failing since {@code failuresBefore} was read. */
  boolean healthySince(long failuresBefore) {
    return broken == null && failures.get() == failuresBefore;
  }

  /** Why it cannot receive now, or {@code null} when it can. */
  String brokenReason() {
    return broken;
  }

  void addListener(EventListener listener) {
    listeners.add(listener);
  }

  void removeListener(EventListener listener) {
    listeners.remove(listener);
  }

  /**
   * A sender found a socket closed: the receiver is broken from now on (probes in flight become
   * LOCAL) and is woken to replace the sockets.
   */
  void socketFailed(IOException e) {
    if (!closed) {
      failed(e);
      sockets.selector.wakeup();
    }
  }

  /** Test seam: while set, the loop throws it each time it wakes up. */
  void injectFault(Throwable t) {
    fault = t;
    sockets.selector.wakeup();
  }

  private void supervise() {
    while (!closed) {
      try {
        UdpSockets s = sockets;
        if (!s.intact()) {
          s.close();
          s = UdpSockets.open(bindV4, bindV6);
          sockets = s;
          if (closed) {
            s.close();
            return;
          }
          LOG.info("SIP OPTIONS prober: reopened its {}", s);
        }
        receive(s);
      } catch (Throwable t) {
        if (closed) {
          return;
        }
        try {
          failed(t);
        } catch (Throwable alsoFailed) {
          // Reporting failed too (a listener, the log): the loop restarts all the same.
          LOG.debug("reporting the receiver failure failed", alsoFailed);
        }
        try {
          Thread.sleep(retry.next().toMillis());
        } catch (InterruptedException e) {
          // a stray interrupt; close() sets closed first
        }
      }
    }
  }

  /** Receives until closed; throws whatever breaks it. */
  private void receive(UdpSockets s) throws Throwable {
    ByteBuffer buf = ByteBuffer.allocateDirect(UDP_BUFFER);
    byte[] bytes = new byte[UDP_BUFFER];
    while (!closed) {
      s.selector.select(broken == null ? SELECT_MS : SELECT_WHILE_BROKEN_MS);
      if (closed) {
        return;
      }
      Throwable injected = fault;
      if (injected != null) {
        throw injected;
      }
      if (Thread.interrupted()) {
        LOG.warn("SIP OPTIONS prober: its UDP receiver was interrupted; ignored");
      }
      if (!s.intact()) {
        throw new IOException("a UDP socket of the prober was closed (" + s + ")");
      }
      for (SelectionKey key : s.selector.selectedKeys()) {
        DatagramChannel ch = (DatagramChannel) key.channel();
        SocketAddress from;
        while ((from = receiveOne(ch, buf.clear())) != null) {
          buf.flip();
          int n = buf.remaining();
          buf.get(bytes, 0, n);
          handler.onDatagram(bytes, n, (InetSocketAddress) from);
        }
      }
      s.selector.selectedKeys().clear();
      if (broken != null) {
        recovered();
      }
    }
  }

  private static SocketAddress receiveOne(DatagramChannel ch, ByteBuffer buf) {
    try {
      return ch.receive(buf);
    } catch (IOException e) {
      // e.g. ICMP errors reported on some platforms: not about any one probe; a closed socket is
      // found by the intact() check of the next turn
      return null;
    }
  }

  private synchronized void failed(Throwable t) {
    failures.incrementAndGet();
    String reason = t.toString();
    if (broken != null) {
      // Retried every 2 s at most: say it again only when the reason changes.
      if (!reason.equals(lastReason)) {
        LOG.warn("SIP OPTIONS prober: its UDP receiver failed again: {}", reason);
      } else {
        LOG.debug("SIP OPTIONS prober: its UDP receiver failed again: {}", reason);
      }
      lastReason = reason;
      return;
    }
    lastReason = reason;
    LOG.error("SIP OPTIONS prober: its UDP receiver failed and restarts", t);
    // The event goes out before new probes are failed as LOCAL, so whoever sees a LOCAL result
    // has already been told why.
    emit(
        Event.of(
            EventId.PROBER_FAILED,
            Instant.now(),
            "The SIP OPTIONS prober cannot receive answers ("
                + reason
                + "): gateway health is unknown until it recovers, and no gateway is reported down"
                + " for it",
            "reason",
            reason));
    broken = reason;
  }

  private synchronized void recovered() {
    String was = broken;
    broken = null;
    retry.reset();
    LOG.info("SIP OPTIONS prober: its UDP receiver works again on {}", sockets);
    emit(
        Event.of(
            EventId.PROBER_RECOVERED,
            Instant.now(),
            "The SIP OPTIONS prober receives answers again (it had failed: " + was + ")",
            "after",
            was));
  }

  private void emit(Event e) {
    for (EventListener l : listeners) {
      try {
        l.onEvent(e);
      } catch (RuntimeException ex) {
        LOG.warn("event listener failed on {}", e, ex);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    sockets.close();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
