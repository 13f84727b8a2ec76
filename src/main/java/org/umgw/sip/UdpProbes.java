package org.umgw.sip;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.umgw.sip.ProbeResult.Answered;
import org.umgw.sip.ProbeResult.Failed;
import org.umgw.sip.ProbeResult.Failure;
import org.umgw.sip.SipMessage.CSeq;

/**
 * The UDP path of an {@link OptionsProber}: probes share one socket per address family and one
 * receiver thread ({@link UdpReceiver}) that hands each response to its probe by the Via branch; a
 * response counts only if its branch, Call-ID and CSeq match and it came from the probed IP and
 * port. Requests are retransmitted as RFC 3261 17.1.2.2 says (T1, doubling, capped at T2; every T2
 * after a 1xx) by the shared timer thread until the deadline.
 */
final class UdpProbes implements AutoCloseable {
  private final ProbeContext ctx;
  private final UdpReceiver receiver;
  private final Map<String, UdpProbe> inFlight = new ConcurrentHashMap<>();
  private final Map<InetAddress, String> viaHosts = new ConcurrentHashMap<>();

  UdpProbes(ProbeContext ctx) throws IOException {
    this.ctx = ctx;
    this.receiver = new UdpReceiver(ctx.options.bindV4(), ctx.options.bindV6(), this::onDatagram);
  }

  UdpReceiver receiver() {
    return receiver;
  }

  /** Fails the probes in flight; the receiver stops. */
  @Override
  public void close() {
    receiver.close();
    for (UdpProbe p : inFlight.values()) {
      p.finish(new Failed(Failure.IO, "prober closed"));
    }
  }

  void start(ProbeTarget target, Duration deadline, CompletableFuture<ProbeResult> r) {
    String broken = receiver.brokenReason();
    if (broken != null) {
      r.complete(new Failed(Failure.LOCAL, "the prober cannot receive (" + broken + ")"));
      return;
    }
    boolean v6 = target.address().getAddress() instanceof Inet6Address;
    UdpSockets sockets = receiver.sockets();
    if (sockets.channel(v6) == null) {
      r.complete(new Failed(Failure.IO, "no UDP socket for the family of " + target));
      return;
    }
    String via;
    try {
      via = viaHost(target.address().getAddress(), sockets, v6);
    } catch (IOException e) {
      r.complete(new Failed(Failure.IO, "no local address towards " + target + ": " + e));
      return;
    }
    UdpProbe p = new UdpProbe(target, v6, deadline, r, via);
    inFlight.put(p.branch, p);
    p.start();
  }

  /**
   * One UDP probe. A single timer task at a time serves both Timer E (retransmit) and the deadline:
   * it fires at whichever comes first, so a probe costs one schedule per transmission.
   */
  private final class UdpProbe {
    final ProbeTarget target;
    final String branch;
    final String callId;
    final CSeq cseqValue;
    final ByteBuffer request;
    final CompletableFuture<ProbeResult> result;
    final long startNanos = System.nanoTime();
    final long deadlineNanos;
    final Duration deadline;
    final boolean ipv6;
    final long receiverFailures = receiver.failures();
    volatile ScheduledFuture<?> timerTask;
    volatile boolean provisional;
    long intervalNanos; // only touched by the starting thread, then the timer thread
    long nextSendNanos;

    UdpProbe(
        ProbeTarget target,
        boolean ipv6,
        Duration deadline,
        CompletableFuture<ProbeResult> result,
        String viaHostPort) {
      this.target = target;
      this.ipv6 = ipv6;
      this.result = result;
      this.deadline = deadline;
      this.deadlineNanos = startNanos + deadline.toNanos();
      String[] ids = SipIds.branchAndCallId();
      this.branch = ids[0];
      this.callId = ids[1];
      this.cseqValue = new CSeq(ctx.nextCseq(), "OPTIONS");
      this.request =
          ByteBuffer.wrap(
              ProbeContext.optionsRequest(target, viaHostPort, branch, callId, cseqValue));
    }

    void send() {
      try {
        // 0 bytes sent means the socket buffer is full: the next retransmission tries again
        receiver.sockets().channel(ipv6).send(request.duplicate(), target.address());
      } catch (ClosedChannelException e) {
        receiver.socketFailed(e); // the prober's fault, not the peer's: this probe becomes LOCAL
        finish(new Failed(Failure.IO, "cannot send to " + target + ": socket closed"));
      } catch (IOException e) {
        finish(new Failed(Failure.IO, "cannot send to " + target + ": " + e.getMessage()));
      }
    }

    /** Sends now and arms the timer for the next retransmission or the deadline. */
    void start() {
      intervalNanos = ctx.options.t1().toNanos();
      nextSendNanos = startNanos + intervalNanos;
      send();
      arm();
    }

    void arm() {
      long at = Math.min(nextSendNanos, deadlineNanos);
      ScheduledFuture<?> task;
      try {
        task = ctx.timer.schedule(this::onTimer, at - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        finish(new Failed(Failure.IO, "prober closed"));
        return;
      }
      timerTask = task;
      if (result.isDone()) {
        task.cancel(false); // completed while arming
      }
    }

    void onTimer() {
      if (result.isDone()) {
        return;
      }
      long now = System.nanoTime();
      if (now - deadlineNanos >= 0) {
        finish(
            new Failed(
                Failure.TIMEOUT,
                "no final response from "
                    + target
                    + " within "
                    + deadline.toMillis()
                    + " ms"
                    + (provisional ? " (only provisional)" : "")));
        return;
      }
      ctx.retransmissions.incrementAndGet();
      send();
      long t2 = ctx.options.t2().toNanos();
      intervalNanos = provisional ? t2 : Math.min(intervalNanos * 2, t2);
      nextSendNanos = now + intervalNanos;
      arm();
    }

    void finish(ProbeResult outcome) {
      ProbeResult r = outcome;
      if (r instanceof Failed f && !ctx.closed && !receiver.healthySince(receiverFailures)) {
        // The receiver failed while this probe waited: its silence says nothing about the peer.
        r =
            new Failed(
                Failure.LOCAL,
                "the prober could not receive while probing " + target + " (" + f + ")");
      }
      inFlight.remove(branch, this);
      ScheduledFuture<?> f = timerTask;
      if (f != null) {
        f.cancel(false);
      }
      result.complete(r);
    }
  }

  private void onDatagram(byte[] data, int n, InetSocketAddress from) {
    int max = ctx.options.maxMessageSize();
    if (n > max) {
      ctx.droppedOversized.incrementAndGet();
      return;
    }
    SipMessage m;
    try {
      m = SipMessage.parse(data, 0, n, max);
    } catch (SipParseException | RuntimeException e) {
      ctx.droppedMalformed.incrementAndGet();
      return;
    }
    UdpProbe p = m.isRequest() ? null : m.branch().map(inFlight::get).orElse(null);
    if (p == null || !ProbeContext.matches(m, p.callId, p.cseqValue)) {
      ctx.droppedUnmatched.incrementAndGet();
      return;
    }
    if (!sameSource(from, p.target.address())) {
      ctx.droppedWrongSource.incrementAndGet();
      return;
    }
    if (m.statusCode() < 200) {
      p.provisional = true; // Timer E now fires every T2 (RFC 3261 17.1.2.2)
      return;
    }
    p.finish(new Answered(m.statusCode(), m.reason(), ProbeContext.elapsed(p.startNanos)));
  }

  private static boolean sameSource(InetSocketAddress from, InetSocketAddress target) {
    return from.getPort() == target.getPort() && from.getAddress().equals(target.getAddress());
  }

  /**
   * The Via sent-by of a UDP probe: the socket's own address when bound to one, else the local
   * address the kernel routes towards the target (a connect() on a scratch UDP socket sends
   * nothing), cached per target IP.
   */
  private String viaHost(InetAddress target, UdpSockets sockets, boolean v6) throws IOException {
    InetSocketAddress local = sockets.local(v6);
    InetAddress host = local.getAddress();
    if (host.isAnyLocalAddress()) {
      String cached = viaHosts.get(target);
      if (cached == null) {
        ProtocolFamily fam =
            target instanceof Inet4Address
                ? StandardProtocolFamily.INET
                : StandardProtocolFamily.INET6;
        try (DatagramChannel scratch = DatagramChannel.open(fam)) {
          scratch.connect(new InetSocketAddress(target, 9));
          cached =
              InetAddresses.toUriString(
                  ((InetSocketAddress) scratch.getLocalAddress()).getAddress());
        }
        viaHosts.put(target, cached);
      }
      return cached + ":" + local.getPort();
    }
    return sockets.via(v6);
  }
}
