package org.umgw.sip;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.umgw.sip.SipMessage.CSeq;
import org.umgw.sip.SipMessage.Header;

/**
 * What the UDP and the stream paths of an {@link OptionsProber} share: its options, the timer
 * thread, the CSeq sequence and the counters behind {@link OptionsProber#stats()}, plus the request
 * they both send.
 */
final class ProbeContext {
  final ProberOptions options;
  final ScheduledThreadPoolExecutor timer;
  private final AtomicLong cseq = new AtomicLong(1);

  final AtomicLong probes = new AtomicLong();
  final AtomicLong retransmissions = new AtomicLong();
  final AtomicLong answered = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong droppedMalformed = new AtomicLong();
  final AtomicLong droppedOversized = new AtomicLong();
  final AtomicLong droppedUnmatched = new AtomicLong();
  final AtomicLong droppedWrongSource = new AtomicLong();

  /** Set when the prober closes; both paths stop on it. */
  volatile boolean closed;

  ProbeContext(ProberOptions options) {
    this.options = options;
    this.timer = new ScheduledThreadPoolExecutor(1, daemon("umgw-sip-timer"));
    timer.setRemoveOnCancelPolicy(true);
  }

  ProberStats stats() {
    return new ProberStats(
        probes.get(),
        retransmissions.get(),
        answered.get(),
        failed.get(),
        droppedMalformed.get(),
        droppedOversized.get(),
        droppedUnmatched.get(),
        droppedWrongSource.get());
  }

  long nextCseq() {
    // 1..2^31-1 (RFC 3261 8.1.1.5)
    return Math.floorMod(cseq.getAndIncrement() - 1, (1L << 31) - 1) + 1;
  }

  static byte[] optionsRequest(
      ProbeTarget target, String viaHostPort, String branch, String callId, CSeq cseq) {
    String local = viaHostPort.substring(0, viaHostPort.lastIndexOf(':'));
    String uri = target.requestUri();
    return SipMessage.request(
            "OPTIONS",
            uri,
            List.of(
                new Header(
                    "Via",
                    "SIP/2.0/"
                        + target.transport().name()
                        + " "
                        + viaHostPort
                        + ";branch="
                        + branch
                        + ";rport"),
                new Header("Max-Forwards", "70"),
                new Header(
                    "From",
                    "<sip:umgw@" + local + ">;tag=" + branch.substring(branch.length() - 8)),
                new Header("To", "<" + uri + ">"),
                new Header("Call-ID", callId),
                new Header("CSeq", cseq.toString()),
                new Header("User-Agent", "umgw"),
                new Header("Accept", "application/sdp")))
        .toBytes();
  }

  static boolean matches(SipMessage m, String callId, CSeq cseq) {
    return m.callId().filter(callId::equals).isPresent()
        && m.cseq().filter(cseq::equals).isPresent();
  }

  static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (ms <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(ms, Integer.MAX_VALUE);
  }

  static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
