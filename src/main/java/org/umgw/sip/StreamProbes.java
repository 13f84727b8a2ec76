package org.umgw.sip;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.sip.ProbeResult.Answered;
import org.umgw.sip.ProbeResult.Failed;
import org.umgw.sip.ProbeResult.Failure;
import org.umgw.sip.SipMessage.CSeq;

/**
 * The TCP and TLS path of an {@link OptionsProber}: each probe opens a connection on a bounded pool
 * of threads, sends OPTIONS, reads until the matching final response and closes. A TLS probe that
 * fails in the handshake, or meets the gateway's alert on its first read (TLS 1.3 sends a refused
 * client certificate's alert after the handshake), fails as {@link Failure#TLS} with its {@link
 * TlsFailure}.
 */
final class StreamProbes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamProbes.class);

  private final ProbeContext ctx;
  private final ExecutorService streams;
  private final TlsConnector tls;

  StreamProbes(ProbeContext ctx) throws IOException {
    this.ctx = ctx;
    this.tls = new TlsConnector(ctx.options.tlsTrust(), ctx.options.tlsClientKey());
    // Grows to streamThreads as stream probes arrive (core == max, so the queue fills only when
    // all are busy) and shrinks back when they idle: TCP/TLS gateways cost threads only while
    // they are probed.
    int n = ctx.options.streamThreads();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            n,
            n,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            ProbeContext.daemon("umgw-sip-stream"));
    pool.allowCoreThreadTimeOut(true);
    streams = pool;
  }

  @Override
  public void close() {
    streams.shutdownNow();
  }

  /**
   * Queues a TCP/TLS probe on the stream pool. Its deadline starts when a thread takes it, so a
   * healthy gateway queued behind unreachable ones is still probed for its whole deadline (a round
   * of many unreachable stream peers lasts deadline × ceil(n / streamThreads)).
   */
  void start(ProbeTarget target, Duration deadline, CompletableFuture<ProbeResult> result) {
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
                  ctx.timer.schedule(
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
            result.complete(probe(target, deadlineNanos, open));
            expiry.cancel(false);
          });
    } catch (RejectedExecutionException e) {
      result.complete(new Failed(Failure.IO, "prober closed"));
    }
  }

  private ProbeResult probe(ProbeTarget target, long deadlineNanos, Socket[] open) {
    long start = System.nanoTime();
    Socket socket = new Socket();
    synchronized (open) {
      open[0] = socket;
    }
    try (socket) {
      try {
        socket.connect(target.address(), ProbeContext.remainingMillis(deadlineNanos));
      } catch (ConnectException e) {
        return new Failed(Failure.REFUSED, "connection to " + target + " refused");
      }
      if (target.transport() != SipTransport.TLS) {
        return exchange(socket, target, deadlineNanos, start, null);
      }
      SSLSocket ssl = tls.wrap(socket, target, ProbeContext.remainingMillis(deadlineNanos));
      synchronized (open) {
        open[0] = ssl;
      }
      try {
        ssl.startHandshake();
        ProbeResult r = exchange(ssl, target, deadlineNanos, start, TlsConnector.peerNotAfter(ssl));
        return r instanceof Failed f && f.kind() == Failure.IO
            ? tls.afterHandshake(ssl, target, f)
            : r;
      } catch (SSLException e) {
        TlsFailure why = TlsFailures.classify(e, tls.clientCertificate());
        LOG.debug("TLS with {} failed: {}", target, why, e);
        return new Failed(
            Failure.TLS,
            "TLS handshake with " + target + " failed: " + TlsFailures.describe(why, e),
            why);
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        // e.g. a broken pipe: the gateway closed after the handshake, its alert unread
        return tls.afterHandshake(
            ssl,
            target,
            new Failed(Failure.IO, "I/O error with " + target + ": " + e.getMessage()));
      } finally {
        tls.forget(ssl);
      }
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

  private ProbeResult exchange(
      Socket s, ProbeTarget target, long deadlineNanos, long start, Instant notAfter)
      throws IOException {
    String branch = SipIds.branch();
    String callId = SipIds.callId();
    CSeq cs = new CSeq(ctx.nextCseq(), "OPTIONS");
    InetSocketAddress local = (InetSocketAddress) s.getLocalSocketAddress();
    String via = InetAddresses.toUriString(local.getAddress()) + ":" + local.getPort();
    OutputStream out = s.getOutputStream();
    out.write(ProbeContext.optionsRequest(target, via, branch, callId, cs));
    out.flush();
    InputStream in = s.getInputStream();
    int max = ctx.options.maxMessageSize();
    byte[] buf = new byte[max + 1];
    int have = 0;
    while (true) {
      s.setSoTimeout(ProbeContext.remainingMillis(deadlineNanos));
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
            ctx.droppedOversized.incrementAndGet();
          } else {
            ctx.droppedMalformed.incrementAndGet();
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
          ctx.droppedMalformed.incrementAndGet();
        }
        System.arraycopy(buf, len, buf, 0, have - len);
        have -= len;
        if (m == null) {
          continue;
        }
        if (m.isRequest()
            || !m.branch().filter(branch::equals).isPresent()
            || !ProbeContext.matches(m, callId, cs)) {
          ctx.droppedUnmatched.incrementAndGet();
          continue;
        }
        if (m.statusCode() >= 200) {
          return new Answered(m.statusCode(), m.reason(), ProbeContext.elapsed(start), notAfter);
        }
      }
    }
  }

  private static void closeQuietly(Socket[] open) {
    Socket s;
    synchronized (open) {
      s = open[0];
    }
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        LOG.debug("closing a timed-out probe's socket failed (its outcome stands)", e);
      }
    }
  }
}
