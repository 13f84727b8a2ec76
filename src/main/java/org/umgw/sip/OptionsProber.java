package org.umgw.sip;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.umgw.events.EventListener;
import org.umgw.sip.ProbeResult.Answered;
import org.umgw.sip.ProbeResult.Failed;
import org.umgw.sip.ProbeResult.Failure;
import org.umgw.sip.SipMessage.CSeq;
import org.umgw.sip.SipMessage.Header;

/**
 * Sends SIP OPTIONS and reports whether and how peers answer, for many peers at once.
 *
 * <pre>{@code
 * try (OptionsProber prober = OptionsProber.open(ProberOptions.defaults())) {
 *   ProbeResult r = prober.probe(ProbeTarget.of(addr, SipTransport.UDP, null), Duration.ofSeconds(5)).join();
 * }
 * }</pre>
 *
 * <p>UDP probes share one socket per address family and one receiver thread that hands each
 * response to its probe by the Via branch; a response counts only if its branch, Call-ID and CSeq
 * match and it came from the probed IP and port. Requests are retransmitted as RFC 3261 17.1.2.2
 * says (T1, doubling, capped at T2; every T2 after a 1xx) by one timer thread until the deadline.
 * TCP and TLS probes open a connection each, on a fixed pool of threads, and close it after the
 * answer. Anything that is not the awaited response (garbage, oversized, a stranger's branch, a
 * reply from another port) is dropped and counted in {@link #stats()}; it never completes or fails
 * a probe. Every returned future completes, at the latest at the deadline.
 *
 * <p>The UDP receiver is supervised ({@link UdpReceiver}): if it fails it restarts, and meanwhile
 * UDP probes complete as {@link Failure#LOCAL} (the prober's failure, not the peer's) and listeners
 * added with {@link #addListener} get events 9401 and 9402.
 */
public final class OptionsProber implements AutoCloseable {
  private final ProberOptions options;
  private final UdpReceiver receiver;
  private final ScheduledThreadPoolExecutor timer;
  private final ExecutorService streams;
  private final SSLContext tls;
  private final Map<String, UdpProbe> inFlight = new ConcurrentHashMap<>();
  private final Map<InetAddress, String> viaHosts = new ConcurrentHashMap<>();
  private final Queue<Queued> waiting = new ArrayDeque<>();
  private final AtomicLong cseq = new AtomicLong(1);
  private int running; // guarded by waiting
  private volatile boolean closed;

  private final AtomicLong probes = new AtomicLong();
  private final AtomicLong retransmissions = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong droppedMalformed = new AtomicLong();
  private final AtomicLong droppedOversized = new AtomicLong();
  private final AtomicLong droppedUnmatched = new AtomicLong();
  private final AtomicLong droppedWrongSource = new AtomicLong();

  private OptionsProber(ProberOptions options) throws IOException {
    this.options = options;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {options.tlsTrust()}, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS: " + e.getMessage(), e);
    }
    timer = new ScheduledThreadPoolExecutor(1, daemon("umgw-sip-timer"));
    timer.setRemoveOnCancelPolicy(true);
    // Grows to streamThreads as stream probes arrive (core == max, so the queue fills only when
    // all are busy) and shrinks back when they idle: TCP/TLS gateways cost threads only while
    // they are probed.
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            options.streamThreads(),
            options.streamThreads(),
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemon("umgw-sip-stream"));
    pool.allowCoreThreadTimeOut(true);
    streams = pool;
    try {
      receiver = new UdpReceiver(options.bindV4(), options.bindV6(), this::onDatagram);
    } catch (IOException | RuntimeException e) {
      timer.shutdownNow();
      streams.shutdownNow();
      throw e;
    }
  }

  /**
   * Opens the shared UDP sockets (one per address family that the host supports) and starts the
   * receiver and timer threads.
   *
   * @throws IOException when no UDP socket can be bound
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
    if (closed) {
      throw new IllegalStateException("prober is closed");
    }
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    Runnable start =
        () -> {
          probes.incrementAndGet();
          if (target.transport() == SipTransport.UDP) {
            startUdp(target, deadline, result);
          } else {
            startStream(target, deadline, result);
          }
        };
    result.whenComplete(
        (r, e) -> {
          if (r instanceof Answered) {
            answered.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
          if (closed) {
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
              timer.execute(next.start()); // not on the completing thread: keeps stacks shallow
            } catch (RejectedExecutionException ex) {
              next.result().complete(new Failed(Failure.IO, "prober closed"));
            }
          }
        });
    boolean now;
    synchronized (waiting) {
      now = running < options.maxConcurrent();
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
    DatagramChannel ch = receiver.sockets().channel(ipv6);
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
    receiver.addListener(requireNonNull(listener, "listener == null"));
  }

  public void removeListener(EventListener listener) {
    receiver.removeListener(listener);
  }

  public ProberStats stats() {
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

  /** Stops the threads and closes the sockets; probes in flight fail with an I/O error. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    timer.shutdownNow();
    streams.shutdownNow();
    receiver.close();
    for (UdpProbe p : inFlight.values()) {
      p.finish(new Failed(Failure.IO, "prober closed"));
    }
    List<Queued> queued;
    synchronized (waiting) {
      queued = List.copyOf(waiting);
      waiting.clear();
    }
    queued.forEach(q -> q.result().complete(new Failed(Failure.IO, "prober closed")));
  }

  private record Queued(Runnable start, CompletableFuture<ProbeResult> result) {}

  // ---------------------------------------------------------------------------------------- UDP

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
      this.cseqValue = new CSeq(nextCseq(), "OPTIONS");
      this.request =
          ByteBuffer.wrap(optionsRequest(target, viaHostPort, branch, callId, cseqValue));
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
      intervalNanos = options.t1().toNanos();
      nextSendNanos = startNanos + intervalNanos;
      send();
      arm();
    }

    void arm() {
      long at = Math.min(nextSendNanos, deadlineNanos);
      ScheduledFuture<?> task;
      try {
        task = timer.schedule(this::onTimer, at - System.nanoTime(), TimeUnit.NANOSECONDS);
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
      retransmissions.incrementAndGet();
      send();
      long t2 = options.t2().toNanos();
      intervalNanos = provisional ? t2 : Math.min(intervalNanos * 2, t2);
      nextSendNanos = now + intervalNanos;
      arm();
    }

    void finish(ProbeResult outcome) {
      ProbeResult r = outcome;
      if (r instanceof Failed f && !closed && !receiver.healthySince(receiverFailures)) {
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

  private void startUdp(ProbeTarget target, Duration deadline, CompletableFuture<ProbeResult> r) {
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

  /** Test seam: while set, the receiver loop throws it each time it wakes up. */
  void injectReceiverFault(Throwable fault) {
    receiver.injectFault(fault);
  }

  /** Test seam: closes the UDP sockets under the receiver. */
  void closeUdpSocketsForTest() {
    UdpSockets s = receiver.sockets();
    s.closeSockets();
    s.selector.wakeup();
  }

  private void onDatagram(byte[] data, int n, InetSocketAddress from) {
    if (n > options.maxMessageSize()) {
      droppedOversized.incrementAndGet();
      return;
    }
    SipMessage m;
    try {
      m = SipMessage.parse(data, 0, n, options.maxMessageSize());
    } catch (SipParseException | RuntimeException e) {
      droppedMalformed.incrementAndGet();
      return;
    }
    UdpProbe p = m.isRequest() ? null : m.branch().map(inFlight::get).orElse(null);
    if (p == null || !matches(m, p.callId, p.cseqValue)) {
      droppedUnmatched.incrementAndGet();
      return;
    }
    if (!sameSource(from, p.target.address())) {
      droppedWrongSource.incrementAndGet();
      return;
    }
    if (m.statusCode() < 200) {
      p.provisional = true; // Timer E now fires every T2 (RFC 3261 17.1.2.2)
      return;
    }
    p.finish(new Answered(m.statusCode(), m.reason(), elapsed(p.startNanos)));
  }

  private static boolean sameSource(InetSocketAddress from, InetSocketAddress target) {
    return from.getPort() == target.getPort() && from.getAddress().equals(target.getAddress());
  }

  private static boolean matches(SipMessage m, String callId, CSeq cseq) {
    return m.callId().filter(callId::equals).isPresent()
        && m.cseq().filter(cseq::equals).isPresent();
  }

  // ------------------------------------------------------------------------------- TCP and TLS

  /**
   * Queues a TCP/TLS probe on the stream pool. Its deadline starts when a thread takes it, so a
   * healthy gateway queued behind unreachable ones is still probed for its whole deadline (a round
   * of many unreachable stream peers lasts deadline × ceil(n / streamThreads)).
   */
  private void startStream(
      ProbeTarget target, Duration deadline, CompletableFuture<ProbeResult> result) {
    try {
      streams.execute(
          () -> {
            if (result.isDone()) {
              return;
            }
            long deadlineNanos = System.nanoTime() + deadline.toNanos();
            Socket[] open = new Socket[1];
            ScheduledFuture<?> expiry;
            try {
              expiry =
                  timer.schedule(
                      () -> {
                        result.complete(
                            new Failed(
                                Failure.TIMEOUT,
                                "no final response from "
                                    + target
                                    + " within "
                                    + deadline.toMillis()
                                    + " ms"));
                        closeQuietly(open);
                      },
                      deadline.toNanos(),
                      TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
              result.complete(new Failed(Failure.IO, "prober closed"));
              return;
            }
            result.complete(streamProbe(target, deadlineNanos, open));
            expiry.cancel(false);
          });
    } catch (RejectedExecutionException e) {
      result.complete(new Failed(Failure.IO, "prober closed"));
    }
  }

  private ProbeResult streamProbe(ProbeTarget target, long deadlineNanos, Socket[] open) {
    long start = System.nanoTime();
    Socket socket = new Socket();
    synchronized (open) {
      open[0] = socket;
    }
    try (socket) {
      try {
        socket.connect(target.address(), remainingMillis(deadlineNanos));
      } catch (ConnectException e) {
        return new Failed(Failure.REFUSED, "connection to " + target + " refused");
      }
      Socket s = socket;
      if (target.transport() == SipTransport.TLS) {
        SSLSocket ssl =
            (SSLSocket)
                tls.getSocketFactory()
                    .createSocket(socket, target.serverName(), target.address().getPort(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the name must be in the certificate
        if (!InetAddresses.isInetAddress(target.serverName())) {
          params.setServerNames(List.of(new SNIHostName(target.serverName())));
        }
        ssl.setSSLParameters(params);
        ssl.setSoTimeout(remainingMillis(deadlineNanos));
        synchronized (open) {
          open[0] = ssl;
        }
        try {
          ssl.startHandshake();
        } catch (SSLException e) {
          return new Failed(
              Failure.TLS, "TLS handshake with " + target + " failed: " + e.getMessage());
        }
        s = ssl;
      }
      return exchange(s, target, deadlineNanos, start);
    } catch (SocketTimeoutException e) {
      return new Failed(Failure.TIMEOUT, "no final response from " + target + " in time");
    } catch (IOException e) {
      return new Failed(Failure.IO, "I/O error with " + target + ": " + e.getMessage());
    } finally {
      synchronized (open) {
        open[0] = null;
      }
    }
  }

  private ProbeResult exchange(Socket s, ProbeTarget target, long deadlineNanos, long start)
      throws IOException {
    String branch = SipIds.branch();
    String callId = SipIds.callId();
    CSeq cs = new CSeq(nextCseq(), "OPTIONS");
    InetSocketAddress local = (InetSocketAddress) s.getLocalSocketAddress();
    String via = InetAddresses.toUriString(local.getAddress()) + ":" + local.getPort();
    OutputStream out = s.getOutputStream();
    out.write(optionsRequest(target, via, branch, callId, cs));
    out.flush();
    InputStream in = s.getInputStream();
    int max = options.maxMessageSize();
    byte[] buf = new byte[max + 1];
    int have = 0;
    while (true) {
      s.setSoTimeout(remainingMillis(deadlineNanos));
      int n = in.read(buf, have, buf.length - have);
      if (n < 0) {
        return new Failed(Failure.IO, target + " closed the connection without a final response");
      }
      have += n;
      int len;
      while (have > 0) {
        try {
          len = SipMessage.frameLength(buf, 0, have, max);
        } catch (SipParseException e) {
          if (e.getMessage().contains("exceeds")) {
            droppedOversized.incrementAndGet();
          } else {
            droppedMalformed.incrementAndGet();
          }
          // a stream cannot be resynchronised after a bad frame
          return new Failed(
              Failure.IO, "unreadable response from " + target + ": " + e.getMessage());
        }
        if (len < 0) {
          break;
        }
        SipMessage m;
        try {
          m = SipMessage.parse(buf, 0, len, max);
        } catch (SipParseException e) {
          m = null;
          droppedMalformed.incrementAndGet();
        }
        System.arraycopy(buf, len, buf, 0, have - len);
        have -= len;
        if (m == null) {
          continue;
        }
        if (m.isRequest()
            || !m.branch().filter(branch::equals).isPresent()
            || !matches(m, callId, cs)) {
          droppedUnmatched.incrementAndGet();
          continue;
        }
        if (m.statusCode() >= 200) {
          return new Answered(m.statusCode(), m.reason(), elapsed(start));
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------ common

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

  private long nextCseq() {
    // 1..2^31-1 (RFC 3261 8.1.1.5)
    return Math.floorMod(cseq.getAndIncrement() - 1, (1L << 31) - 1) + 1;
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

  private static Duration elapsed(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static int remainingMillis(long deadlineNanos) throws SocketTimeoutException {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (ms <= 0) {
      throw new SocketTimeoutException("deadline passed");
    }
    return (int) Math.min(ms, Integer.MAX_VALUE);
  }

  private static void closeQuietly(Socket[] open) {
    Socket s;
    synchronized (open) {
      s = open[0];
    }
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // the probe already has its outcome
      }
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
