package org.umgw.dns;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.WireParseException;
import org.xbill.DNS.io.IoClientFactory;

/**
 * Sends each query to a list of servers with a per-attempt timeout, retries and failover, under a
 * bound on queries in flight.
 *
 * <p>A query is tried up to {@code retries + 1} times on every server, servers taken in turn
 * starting with the one that last gave a usable answer (so a dead or silent first server costs one
 * timeout once, not on every name). NOERROR and NXDOMAIN are answers; SERVFAIL, REFUSED and every
 * other rcode, timeouts and network errors move on to the next attempt, and when none is left the
 * future fails with a {@link DnsQueryException} summing up the last error of each server. Upstream
 * SERVFAIL therefore never reaches the DNSSEC validator as a message, which is how {@link
 * DnsResolver} tells "the server failed" from "the answer is bogus".
 *
 * <p>dnsjava's {@link SimpleResolver} does each attempt, over {@link UdpSocketPool}'s shared
 * sockets (TCP when the answer is truncated). Each query holds one permit of the {@link
 * AsyncLimiter} from its first attempt to its last; the DNSSEC validator's own DNSKEY queries come
 * through here too (this is its head resolver), so they count against the bound as well.
 */
final class RetryingResolver implements Resolver {
  private static final Executor DIRECT = Runnable::run;

  private final List<InetSocketAddress> addresses;
  private final List<SimpleResolver> servers;
  private final int attemptsPerServer;
  private final AsyncLimiter limiter;
  private final AtomicInteger preferred = new AtomicInteger();
  private volatile Duration timeout;

  RetryingResolver(
      List<InetSocketAddress> addresses,
      Duration timeout,
      int retries,
      AsyncLimiter limiter,
      IoClientFactory io) {
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("no DNS server");
    }
    this.addresses = List.copyOf(addresses);
    this.attemptsPerServer = retries + 1;
    this.limiter = limiter;
    this.timeout = timeout;
    List<SimpleResolver> list = new ArrayList<>();
    for (InetSocketAddress address : addresses) {
      SimpleResolver r = new SimpleResolver(address);
      r.setIoClientFactory(io);
      r.setTimeout(timeout);
      // EDNS0 with the DNS Flag Day 2020 payload size: gateways with many A records fit in one
      // UDP answer, and a larger one comes back truncated and is retried over TCP.
      r.setEDNS(0, 1232, 0, List.of());
      list.add(r);
    }
    this.servers = List.copyOf(list);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return sendAsync(query, DIRECT);
  }

  /**
   * Sends {@code query}; the answer completes on the socket pool's I/O thread (parsing it there is
   * cheaper than a thread hop per query), so {@code executor} is not used: callers with heavier
   * work, like the DNSSEC validator, move it to their own executor.
   */
  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    return limiter
        .acquire()
        .thenCompose(
            permit -> {
              CompletableFuture<Message> result = new CompletableFuture<>();
              try {
                new Attempts(query, result).next();
              } catch (RuntimeException e) {
                result.completeExceptionally(e);
              }
              return result.whenComplete((m, e) -> limiter.release());
            });
  }

  /** The attempts of one query: server after server, round after round. */
  private final class Attempts {
    private final Message query;
    private final CompletableFuture<Message> result;
    private final int start = preferred.get();
    private final int total = attemptsPerServer * servers.size();
    private final Map<Integer, String> lastError = new LinkedHashMap<>();
    private int done;

    Attempts(Message query, CompletableFuture<Message> result) {
      this.query = query;
      this.result = result;
    }

    void next() {
      if (done == total) {
        result.completeExceptionally(new DnsQueryException(summary()));
        return;
      }
      int index = (start + done++) % servers.size();
      CompletionStage<Message> answer;
      try {
        answer = servers.get(index).sendAsync(query, DIRECT);
      } catch (RuntimeException e) {
        lastError.put(index, describe(e));
        next();
        return;
      }
      answer.whenComplete(
          (response, error) -> {
            if (error != null) {
              lastError.put(index, describe(error));
              next();
              return;
            }
            int rcode = response.getRcode();
            if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
              preferred.set(index);
              result.complete(response);
            } else {
              lastError.put(index, Rcode.string(rcode));
              next();
            }
          });
    }

    private String summary() {
      StringBuilder sb = new StringBuilder("no answer after ").append(total).append(" attempts: ");
      String sep = "";
      for (Map.Entry<Integer, String> e : lastError.entrySet()) {
        sb.append(sep).append(format(addresses.get(e.getKey()))).append(' ').append(e.getValue());
        sep = "; ";
      }
      if (lastError.containsValue("timed out")) {
        sb.append(" (").append(timeout.toMillis()).append(" ms per attempt)");
      }
      return sb.toString();
    }
  }

  /** A short cause for the failure summary: "timed out", "port unreachable", "SERVFAIL", ... */
  static String describe(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out";
    }
    if (e instanceof PortUnreachableException) {
      return "port unreachable";
    }
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof WireParseException) {
      return "malformed answer (" + e.getMessage() + ")";
    }
    if (e instanceof EOFException) {
      return "connection closed" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }
    if (e instanceof IOException) {
      return "network error (" + e + ")";
    }
    return "error (" + e + ")";
  }

  /** {@code 127.0.0.1:53}, {@code [::1]:53}. */
  static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host)
        + ":"
        + address.getPort();
  }

  // --- Resolver settings, forwarded to every server (the DNSSEC validator sets EDNS DO) --------

  @Override
  public void setPort(int port) {
    throw new UnsupportedOperationException("each server has its own port");
  }

  @Override
  public void setTCP(boolean flag) {
    servers.forEach(s -> s.setTCP(flag));
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    servers.forEach(s -> s.setIgnoreTruncation(flag));
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    servers.forEach(s -> s.setEDNS(version, payloadSize, flags, options));
  }

  @Override
  public void setTSIGKey(TSIG key) {
    servers.forEach(s -> s.setTSIGKey(key));
  }

  @Override
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
    servers.forEach(s -> s.setTimeout(timeout));
  }

  @Override
  public Duration getTimeout() {
    return timeout;
  }

  @Override
  public String toString() {
    return "RetryingResolver" + addresses.stream().map(RetryingResolver::format).toList();
  }
}
