package org.umgw.dns;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UmgwException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Resolves peer host names with dnsjava: A for IPv4Only, AAAA for IPv6Only, both at once for Any;
 * every record counts; hosts files first; retries with failover; a bound on queries in flight;
 * optional DNSSEC validation; and no answer cache, so the TTL it returns is when to ask again and a
 * changed record is seen then.
 *
 * <pre>{@code
 * try (DnsResolver dns = DnsResolver.builder()
 *     .servers(List.of(DnsResolver.parseServer("127.0.0.1:5353")))
 *     .hostsFiles(List.of(Path.of("/etc/hosts")))
 *     .build()) {
 *   Resolution r = dns.resolve("gw1.example.test", IpAddressFamily.Any).toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Semantics of {@link #resolve}:
 *
 * <ul>
 *   <li>Names are absolute (no search list), case-insensitive, trailing dot optional; the {@link
 *       Resolution} carries the name exactly as given. CNAMEs are followed inside an answer and,
 *       when an answer stops at a target the server left out, by asking for the target (at most 8
 *       CNAMEs; a loop is a Failure).
 *   <li>An IP literal ({@code 192.0.2.1}, {@code 2001:db8::1}, {@code [2001:db8::1]}) is its own
 *       answer with ttl {@link #LITERAL_TTL}, or NODATA if it is of the other family; no query.
 *   <li>Hosts files answer first with ttl {@link #HOSTS_TTL} when they list the name with an
 *       address of the wanted family (any address for Any); otherwise DNS is asked.
 *   <li>Any: a Failure of either query is a Failure (the caller keeps what it had, so a half answer
 *       never shrinks a peer's addresses); else NXDOMAIN from either is NXDOMAIN; else the
 *       addresses of both, IPv6 first, and the ttl is also capped by the negative TTL of a family
 *       that had none (a newly added AAAA is then noticed when the "no AAAA" answer expires); else
 *       NODATA.
 *   <li>A query is tried {@code retries + 1} times on each server (see {@code RetryingResolver}),
 *       so with one silent server a Failure comes after about {@code timeout * (retries + 1)}.
 * </ul>
 *
 * <p>Transport: UDP over a few long-lived sockets per server shared by all queries ({@code
 * UdpSocketPool}: dnsjava's socket per query made bulk resolution several times slower than adns),
 * dnsjava's {@code SimpleResolver} for the messages, TCP when an answer is truncated. UDP timeouts
 * are checked to within 0.1 s. TCP goes through dnsjava's NIO client, whose selector ticks once a
 * second by default; this class sets the system property {@code dnsjava.nio.selector_timeout} to
 * 100 ms, unless it is already set, before that selector starts, so sub-second timeouts hold there
 * too.
 *
 * <p>Thread-safe. Answers are read and parsed on one I/O thread per resolver and handed to the
 * caller on the resolver's own daemon threads, so a slow callback delays other callbacks but not
 * network I/O. An IPv6 server is asked over IPv6.
 */
public final class DnsResolver implements NameResolver {
  static final String SELECTOR_TIMEOUT_PROPERTY = "dnsjava.nio.selector_timeout";

  static {
    // Read once when dnsjava's selector thread starts; must be set before the first query.
    if (System.getProperty(SELECTOR_TIMEOUT_PROPERTY) == null) {
      System.setProperty(SELECTOR_TIMEOUT_PROPERTY, "100");
    }
  }

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final int DEFAULT_RETRIES = 2;
  public static final int DEFAULT_MAX_CONCURRENT = 64;
  public static final int DEFAULT_PORT = 53;

  /** TTL of an answer from a hosts file. */
  public static final Duration HOSTS_TTL = Duration.ofSeconds(60);

  /** TTL of an IP literal given as a name: it never changes, but a day keeps clocks sane. */
  public static final Duration LITERAL_TTL = Duration.ofDays(1);

  /** Negative TTL when a negative answer carries no SOA. */
  public static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(60);

  /** Unsigned byte order of the raw address: 9.0.0.1 before 10.0.0.1, as the contract says. */
  static final Comparator<InetAddress> BYTE_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getAddress(), b.getAddress());

  private static final AtomicInteger POOL_SEQUENCE = new AtomicInteger();

  private final List<InetSocketAddress> servers;
  private final Duration timeout;
  private final int retries;
  private final int maxConcurrent;
  private final HostsFiles hosts;
  private final Path trustAnchors;
  private final ThreadPoolExecutor pool;
  private final Executor executor;
  private final AsyncLimiter limiter;
  private final UdpSocketPool sockets;
  private final Resolver transport;
  private volatile boolean closed;

  private DnsResolver(Builder b, List<InetSocketAddress> servers) {
    this.servers = servers;
    this.timeout = b.timeout;
    this.retries = b.retries;
    this.maxConcurrent = b.maxConcurrent;
    this.trustAnchors = b.dnssecTrustAnchors;
    this.hosts = new HostsFiles(b.hostsFiles, System::nanoTime);
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    int poolId = POOL_SEQUENCE.incrementAndGet();
    AtomicInteger threadId = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "umgw-dns-" + poolId + "-" + threadId.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    pool.allowCoreThreadTimeOut(true);
    // After close() the queries still in flight finish on the thread that completes them.
    this.executor =
        task -> {
          try {
            pool.execute(task);
          } catch (RejectedExecutionException shutDown) {
            task.run();
          }
        };
    this.limiter = new AsyncLimiter(maxConcurrent);
    try {
      this.sockets = new UdpSocketPool("umgw-dns-io-" + poolId);
    } catch (IOException e) {
      pool.shutdown();
      throw new UmgwException("cannot open a selector for DNS sockets: " + e, e);
    }
    try {
      RetryingResolver retrying = new RetryingResolver(servers, timeout, retries, limiter, sockets);
      this.transport = trustAnchors == null ? retrying : validating(retrying, trustAnchors);
    } catch (RuntimeException e) {
      sockets.close();
      pool.shutdown();
      throw e;
    }
  }

  private static Resolver validating(RetryingResolver head, Path anchors) {
    ValidatingResolver v = new ValidatingResolver(head);
    try (InputStream in = Files.newInputStream(anchors)) {
      v.loadTrustAnchors(in);
    } catch (IOException e) {
      throw new UmgwException("cannot read DNSSEC trust anchors " + anchors + ": " + e, e);
    }
    if (v.getTrustAnchors().items().isEmpty()) {
      throw new UmgwException("no DS or DNSKEY record in DNSSEC trust anchors file " + anchors);
    }
    return v;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses a {@code --dns-server} value: {@code HOST[:PORT]} where HOST is an IP address, an IPv6
   * one in brackets when a port follows; the port defaults to 53.
   *
   * <pre>
   * 127.0.0.1   127.0.0.1:5353   ::1   [::1]   [::1]:5353
   * </pre>
   *
   * <p>Names are refused: finding the DNS server's address would itself need DNS.
   *
   * @throws UmgwException naming the value when it is none of these forms
   */
  public static InetSocketAddress parseServer(String value) {
    if (value == null) {
      throw new UmgwException("invalid DNS server: null (expected HOST[:PORT])");
    }
    String v = value.strip();
    String host;
    int port = DEFAULT_PORT;
    if (v.startsWith("[")) {
      int close = v.indexOf(']');
      if (close < 0) {
        throw badServer(value, "no closing ']'");
      }
      host = v.substring(1, close);
      String rest = v.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw badServer(value, "expected ':PORT' after ']'");
        }
        port = parsePort(value, rest.substring(1));
      }
      if (!InetAddresses.isInetAddress(host)
          || !(InetAddresses.forString(host) instanceof Inet6Address)) {
        throw badServer(value, "'" + host + "' in brackets is not an IPv6 address");
      }
    } else if (v.indexOf(':') != v.lastIndexOf(':')) {
      host = v; // a bare IPv6 address: its colons leave no room for a port
    } else if (v.indexOf(':') >= 0) {
      host = v.substring(0, v.indexOf(':'));
      port = parsePort(value, v.substring(v.indexOf(':') + 1));
    } else {
      host = v;
    }
    if (host.isEmpty()) {
      throw badServer(value, "no host");
    }
    if (!InetAddresses.isInetAddress(host)) {
      throw badServer(
          value, "'" + host + "' is not an IP address (a server name would itself need DNS)");
    }
    return new InetSocketAddress(InetAddresses.forString(host), port);
  }

  private static int parsePort(String value, String text) {
    if (!text.matches("[0-9]{1,5}")
        || Integer.parseInt(text) < 1
        || Integer.parseInt(text) > 65535) {
      throw badServer(value, "port '" + text + "' is not 1-65535");
    }
    return Integer.parseInt(text);
  }

  private static UmgwException badServer(String value, String why) {
    return new UmgwException(
        "invalid DNS server '"
            + value
            + "': "
            + why
            + " (expected HOST[:PORT], e.g. 127.0.0.1,"
            + " 127.0.0.1:5353, ::1 or [::1]:5353)");
  }

  // --- resolution --------------------------------------------------------------------------

  @Override
  public CompletionStage<Resolution> resolve(String name, IpAddressFamily family) {
    requireNonNull(name, "name == null");
    requireNonNull(family, "family == null");
    if (closed) {
      return done(new Resolution.Failure(name, "resolver closed", false));
    }
    try {
      InetAddress literal = literal(name);
      if (literal != null) {
        return done(literalAnswer(name, literal, family));
      }
      String trimmed = name.strip();
      if (trimmed.isEmpty() || trimmed.equals(".") || !trimmed.equals(name)) {
        return done(new Resolution.Failure(name, "invalid host name '" + name + "'", false));
      }
      Name qname;
      try {
        qname = Name.fromString(name, Name.root);
      } catch (TextParseException e) {
        return done(
            new Resolution.Failure(
                name, "invalid host name '" + name + "': " + e.getMessage(), false));
      }
      List<InetAddress> fromHosts = hosts.lookup(name, family);
      if (!fromHosts.isEmpty()) {
        return done(new Resolution.Addresses(name, fromHosts, HOSTS_TTL));
      }
      CompletableFuture<Resolution> result =
          switch (family) {
            case IPv4Only -> lookup(name, qname, Type.A);
            case IPv6Only -> lookup(name, qname, Type.AAAA);
            case Any -> {
              CompletableFuture<Resolution> v6 = lookup(name, qname, Type.AAAA);
              CompletableFuture<Resolution> v4 = lookup(name, qname, Type.A);
              yield v6.thenCombine(v4, (a, b) -> combineAny(name, a, b));
            }
          };
      // Queries complete on the socket pool's I/O thread; callers' code runs on our pool instead.
      return result.handleAsync((r, e) -> e == null ? r : internalFailure(name, e), executor);
    } catch (RuntimeException e) {
      return done(internalFailure(name, e));
    }
  }

  private CompletableFuture<Resolution> lookup(String name, Name qname, int type) {
    return query(name, qname, type, new AnswerReader.Chain(qname));
  }

  /** One query; a CNAME whose target the answer lacks leads to a query for the target. */
  private CompletableFuture<Resolution> query(
      String name, Name qname, int type, AnswerReader.Chain chain) {
    Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
    return transport
        .sendAsync(query, executor)
        .toCompletableFuture()
        .handle(
            (response, error) -> {
              if (error != null) {
                return done(new Resolution.Failure(name, typed(type, reason(error)), false));
              }
              AnswerReader.Step step =
                  AnswerReader.read(response, qname, type, chain, DEFAULT_NEGATIVE_TTL.toSeconds());
              if (step instanceof AnswerReader.Chase c) {
                return query(name, c.target(), type, chain);
              }
              return done(toResolution(name, type, step));
            })
        .thenCompose(Function.identity());
  }

  private static Resolution toResolution(String name, int type, AnswerReader.Step step) {
    if (step instanceof AnswerReader.Found f) {
      TreeSet<InetAddress> sorted = new TreeSet<>(BYTE_ORDER);
      sorted.addAll(f.addresses());
      return new Resolution.Addresses(name, List.copyOf(sorted), Duration.ofSeconds(f.ttl()));
    }
    if (step instanceof AnswerReader.Negative n) {
      return new Resolution.NoAddress(name, n.kind(), Duration.ofSeconds(n.ttl()));
    }
    AnswerReader.Failed f = (AnswerReader.Failed) step;
    return new Resolution.Failure(name, typed(type, f.reason()), f.bogus());
  }

  private static String typed(int type, String reason) {
    return Type.string(type) + ": " + reason;
  }

  /** The reason a query failed: ours from {@link RetryingResolver}, else a description. */
  private static String reason(Throwable error) {
    for (Throwable e = error; e != null; e = e.getCause()) {
      if (e instanceof DnsQueryException) {
        return e.getMessage();
      }
      if (!(e instanceof CompletionException || e instanceof ExecutionException)) {
        break;
      }
    }
    return RetryingResolver.describe(error);
  }

  private static Resolution internalFailure(String name, Throwable e) {
    return new Resolution.Failure(name, "internal error: " + reason(e), false);
  }

  /**
   * Merges the AAAA and A outcomes of an Any lookup (see the class comment for the rules).
   * Package-private for tests.
   */
  static Resolution combineAny(String name, Resolution v6, Resolution v4) {
    if (v6 instanceof Resolution.Failure || v4 instanceof Resolution.Failure) {
      List<String> reasons = new ArrayList<>();
      boolean bogus = false;
      for (Resolution r : List.of(v6, v4)) {
        if (r instanceof Resolution.Failure f) {
          reasons.add(f.reason());
          bogus |= f.dnssecBogus();
        }
      }
      return new Resolution.Failure(name, String.join("; ", reasons), bogus);
    }
    Duration nxdomain = null;
    Duration nodata = null;
    Duration ttl = null;
    List<InetAddress> addresses = new ArrayList<>();
    for (Resolution r : List.of(v6, v4)) {
      if (r instanceof Resolution.Addresses a) {
        addresses.addAll(a.addresses());
        ttl = min(ttl, a.ttl());
      } else {
        Resolution.NoAddress n = (Resolution.NoAddress) r;
        if (n.kind() == Resolution.NoAddress.Kind.NXDOMAIN) {
          nxdomain = min(nxdomain, n.negativeTtl());
        } else {
          nodata = min(nodata, n.negativeTtl());
        }
      }
    }
    if (nxdomain != null) {
      return new Resolution.NoAddress(name, Resolution.NoAddress.Kind.NXDOMAIN, nxdomain);
    }
    if (!addresses.isEmpty()) {
      return new Resolution.Addresses(name, addresses, min(ttl, nodata));
    }
    return new Resolution.NoAddress(name, Resolution.NoAddress.Kind.NODATA, nodata);
  }

  private static Duration min(Duration a, Duration b) {
    if (a == null) {
      return b;
    }
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }

  /** The address if {@code name} is an IP literal (IPv6 optionally in brackets), else null. */
  private static InetAddress literal(String name) {
    String s = name;
    if (s.length() > 2 && s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    return InetAddresses.isInetAddress(s) ? InetAddresses.forString(s) : null;
  }

  private static Resolution literalAnswer(
      String name, InetAddress address, IpAddressFamily family) {
    boolean fits = address instanceof Inet4Address ? family.acceptsIpv4() : family.acceptsIpv6();
    return fits
        ? new Resolution.Addresses(name, List.of(address), LITERAL_TTL)
        : new Resolution.NoAddress(name, Resolution.NoAddress.Kind.NODATA, LITERAL_TTL);
  }

  private static CompletableFuture<Resolution> done(Resolution r) {
    return CompletableFuture.completedFuture(r);
  }

  // --- accessors and lifecycle -------------------------------------------------------------

  /** The servers asked, in order. */
  public List<InetSocketAddress> servers() {
    return servers;
  }

  /** The most queries that were ever in flight at once (never above maxConcurrent). */
  int inFlightHighWater() {
    return limiter.highWater();
  }

  /**
   * Fails every lookup still under way and every later one with "resolver closed", and closes the
   * sockets. (dnsjava's selector thread, used for TCP, is shared by the JVM and stays.)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    limiter.close();
    sockets.close();
    pool.shutdown();
  }

  @Override
  public String toString() {
    return "DnsResolver[servers="
        + servers.stream().map(RetryingResolver::format).toList()
        + ", timeout="
        + timeout.toMillis()
        + "ms, retries="
        + retries
        + ", maxConcurrent="
        + maxConcurrent
        + (trustAnchors == null ? "" : ", dnssec=" + trustAnchors)
        + "]";
  }

  /** Settings of a {@link DnsResolver}; every setter returns {@code this}. */
  public static final class Builder {
    private List<InetSocketAddress> servers;
    private Duration timeout = DEFAULT_TIMEOUT;
    private int retries = DEFAULT_RETRIES;
    private int maxConcurrent = DEFAULT_MAX_CONCURRENT;
    private List<Path> hostsFiles = List.of();
    private Path dnssecTrustAnchors;

    private Builder() {}

    /** Servers to ask, in order (default: the system's, from dnsjava's {@link ResolverConfig}). */
    public Builder servers(List<InetSocketAddress> servers) {
      List<InetSocketAddress> copy = List.copyOf(servers);
      if (copy.isEmpty()) {
        throw new IllegalArgumentException("servers is empty");
      }
      for (InetSocketAddress s : copy) {
        if (s.isUnresolved()) {
          throw new IllegalArgumentException("unresolved server address: " + s);
        }
      }
      this.servers = copy;
      return this;
    }

    /** Time to wait for the answer to one attempt (default 2 s). */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive: " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Further attempts per server after the first (default 2). */
    public Builder retries(int retries) {
      if (retries < 0) {
        throw new IllegalArgumentException("retries must be >= 0: " + retries);
      }
      this.retries = retries;
      return this;
    }

    /**
     * Queries in flight at most (default 64); more lookups wait in line, none is refused. An Any
     * lookup is two queries.
     */
    public Builder maxConcurrent(int maxConcurrent) {
      if (maxConcurrent < 1) {
        throw new IllegalArgumentException("maxConcurrent must be >= 1: " + maxConcurrent);
      }
      this.maxConcurrent = maxConcurrent;
      return this;
    }

    /**
     * Hosts files read before DNS, in {@code /etc/hosts} format (default none: umgw passes {@code
     * /etc/hosts} itself). Re-read when they change.
     */
    public Builder hostsFiles(List<Path> hostsFiles) {
      this.hostsFiles = List.copyOf(hostsFiles);
      return this;
    }

    /**
     * Validates answers with DNSSEC against these trust anchors: DS or DNSKEY records in zone-file
     * format with absolute owner names, as dnsjava's {@link ValidatingResolver} reads them. A bogus
     * answer, or an unsigned one below an anchor, becomes a Failure with {@code dnssecBogus}. Names
     * outside every anchor resolve unvalidated. {@code null} turns validation off (default).
     */
    public Builder dnssecTrustAnchors(Path trustAnchors) {
      this.dnssecTrustAnchors = trustAnchors;
      return this;
    }

    /**
     * @throws UmgwException when no server is set and the system has none, or the trust anchors
     *     cannot be read
     */
    public DnsResolver build() {
      List<InetSocketAddress> list = servers;
      if (list == null) {
        list = List.copyOf(ResolverConfig.getCurrentConfig().servers());
        if (list.isEmpty()) {
          throw new UmgwException(
              "no DNS server configured on this system: give one with --dns-server");
        }
      }
      return new DnsResolver(this, list);
    }
  }
}
