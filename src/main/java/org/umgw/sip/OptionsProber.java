package org.umgw.sip;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.umgw.events.EventListener;
import org.umgw.sip.ProbeResult.Answered;
import org.umgw.sip.ProbeResult.Failed;
import org.umgw.sip.ProbeResult.Failure;

/**
 * Sends SIP OPTIONS and reports whether and how peers answer, for many peers at once.
 *
 * <pre>{@code
 * try (OptionsProber prober = OptionsProber.open(ProberOptions.defaults())) {
 *   ProbeResult r = prober.probe(ProbeTarget.of(addr, SipTransport.UDP, null), Duration.ofSeconds(5)).join();
 * }
 * }</pre>
 *
 * <p>UDP probes ({@link UdpProbes}) share one socket per address family and one receiver thread
 * that hands each response to its probe by the Via branch; a response counts only if its branch,
 * Call-ID and CSeq match and it came from the probed IP and port. Requests are retransmitted as RFC
 * 3261 17.1.2.2 says (T1, doubling, capped at T2; every T2 after a 1xx) by one timer thread until
 * the deadline. TCP and TLS probes ({@link StreamProbes}) open a connection each, on a bounded pool
 * of threads, and close it after the answer; over TLS the gateway's certificate must name its FQDN
 * and chain to the trust store, the prober presents {@link ProberOptions#tlsClientKey()} when set
 * (mutual TLS), a failed handshake says why ({@link TlsFailure}) and an answer carries the
 * certificate's expiry. Anything that is not the awaited response (garbage, oversized, a stranger's
 * branch, a reply from another port) is dropped and counted in {@link #stats()}; it never completes
 * or fails a probe. Every returned future completes, at the latest at the deadline.
 *
 * <p>The UDP receiver is supervised ({@link UdpReceiver}): if it fails it restarts, and meanwhile
 * UDP probes complete as {@link Failure#LOCAL} (the prober's failure, not the peer's) and listeners
 * added with {@link #addListener} get events 9401 and 9402.
 */
public final class OptionsProber implements AutoCloseable {
  private final ProbeContext ctx;
  private final StreamProbes streams;
  private final UdpProbes udp;
  private final Queue<Queued> waiting = new ArrayDeque<>();
  private int running; // guarded by waiting

  private OptionsProber(ProberOptions options) throws IOException {
    ctx = new ProbeContext(options);
    try {
      streams = new StreamProbes(ctx);
    } catch (IOException | RuntimeException e) {
      ctx.timer.shutdownNow();
      throw e;
    }
    try {
      udp = new UdpProbes(ctx);
    } catch (IOException | RuntimeException e) {
      ctx.timer.shutdownNow();
      streams.close();
      throw e;
    }
  }

  /**
   * Opens the shared UDP sockets (one per address family that the host supports) and starts the
   * receiver and timer threads.
   *
   * @throws IOException when no UDP socket can be bound, or the TLS settings cannot be used
   */
  public static OptionsProber open(ProberOptions options) throws IOException {
    return new OptionsProber(requireNonNull(options, "options == null"));
  }

  /**
   * Probes one target; the future completes with the outcome, at the latest {@code deadline} after
   * the probe leaves the concurrency queue.
   *
   * @throws IllegalArgumentException when the deadline is not positive
   * @throws IllegalStateException when the prober is closed
   */
  public CompletableFuture<ProbeResult> probe(ProbeTarget target, Duration deadline) {
    requireNonNull(target, "target == null");
    requireNonNull(deadline, "deadline == null");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("probe deadline must be positive: " + deadline);
    }
    if (ctx.closed) {
      throw new IllegalStateException("prober is closed");
    }
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    Runnable start =
        () -> {
          ctx.probes.incrementAndGet();
          if (target.transport() == SipTransport.UDP) {
            udp.start(target, deadline, result);
          } else {
            streams.start(target, deadline, result);
          }
        };
    result.whenComplete(
        (r, e) -> {
          if (r instanceof Answered) {
            ctx.answered.incrementAndGet();
          } else {
            ctx.failed.incrementAndGet();
          }
          if (ctx.closed) {
            return; // close() fails the queued probes itself, without a chain of callbacks
          }
          Queued next;
          synchronized (waiting) {
            next = waiting.poll();
            if (next == null) {
              running--;
            }
          }
          if (next != null) {
            try {
              ctx.timer.execute(next.start()); // not on the completing thread: keeps stacks shallow
            } catch (RejectedExecutionException ex) {
              next.result().complete(new Failed(Failure.IO, "prober closed"));
            }
          }
        });
    boolean now;
    synchronized (waiting) {
      now = running < ctx.options.maxConcurrent();
      if (now) {
        running++;
      } else {
        waiting.add(new Queued(start, result));
      }
    }
    if (now) {
      start.run();
    }
    return result;
  }

  /** The local address of the shared UDP socket of a family (where responses must come to). */
  public InetSocketAddress udpLocalAddress(boolean ipv6) throws IOException {
    DatagramChannel ch = udp.receiver().sockets().channel(ipv6);
    if (ch == null) {
      throw new IOException((ipv6 ? "IPv6" : "IPv4") + " UDP is not available");
    }
    return (InetSocketAddress) ch.getLocalAddress();
  }

  /**
   * Receives events 9401 (the prober cannot receive: health unknown) and 9402 (it can again), from
   * the receiver's thread.
   */
  public void addListener(EventListener listener) {
    udp.receiver().addListener(requireNonNull(listener, "listener == null"));
  }

  public void removeListener(EventListener listener) {
    udp.receiver().removeListener(listener);
  }

  public ProberStats stats() {
    return ctx.stats();
  }

  /** Stops the threads and closes the sockets; probes in flight fail with an I/O error. */
  @Override
  public void close() {
    if (ctx.closed) {
      return;
    }
    ctx.closed = true;
    ctx.timer.shutdownNow();
    streams.close();
    udp.close();
    List<Queued> queued;
    synchronized (waiting) {
      queued = List.copyOf(waiting);
      waiting.clear();
    }
    queued.forEach(q -> q.result().complete(new Failed(Failure.IO, "prober closed")));
  }

  private record Queued(Runnable start, CompletableFuture<ProbeResult> result) {}

  /** Test seam: while set, the receiver loop throws it each time it wakes up. */
  void injectReceiverFault(Throwable fault) {
    udp.receiver().injectFault(fault);
  }

  /** Test seam: closes the UDP sockets under the receiver. */
  void closeUdpSocketsForTest() {
    UdpSockets s = udp.receiver().sockets();
    s.closeSockets();
    s.selector.wakeup();
  }
}
