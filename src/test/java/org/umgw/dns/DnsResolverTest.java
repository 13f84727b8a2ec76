package org.umgw.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.umgw.model.IpAddressFamily.Any;
import static org.umgw.model.IpAddressFamily.IPv4Only;
import static org.umgw.model.IpAddressFamily.IPv6Only;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.dns.Resolution.Addresses;
import org.umgw.dns.Resolution.Failure;
import org.umgw.dns.Resolution.NoAddress;
import org.umgw.model.IpAddressFamily;
import org.umgw.testing.LoopbackTcp;
import org.umgw.testing.Nsd;

/** {@link DnsResolver} against a real nsd serving {@code example.test.} and {@code other.test.}. */
class DnsResolverTest {

  static final String EXAMPLE =
      """
      $ORIGIN example.test.
      $TTL 300
      @        3600 IN SOA ns hostmaster 1 3600 600 86400 30
      @             NS    ns
      ns            A     127.0.0.1
      one       120 A     192.0.2.1
      multi         A     192.0.2.13
      multi         A     192.0.2.11
      multi         A     10.0.0.1
      multi         A     9.0.0.1
      v6only        AAAA  2001:db8::1
      dual      200 A     192.0.2.20
      dual      100 AAAA  2001:db8::20
      dual      100 AAAA  2001:db8::2
      alias      60 CNAME mid
      mid        90 CNAME one
      ext       250 CNAME www.other.test.
      txt           TXT   "no address here"
      dangling      CNAME nothere
      loop1         CNAME loop2
      loop2         CNAME loop1
      %s
      """
          .formatted(bigRrset());

  /** 150 A records: about 2,400 bytes, over the 1232-byte UDP payload, so nsd truncates. */
  static String bigRrset() {
    StringBuilder sb = new StringBuilder();
    for (int i = 1; i <= 150; i++) {
      sb.append("big A 198.18.0.").append(i).append("\n");
    }
    return sb.toString();
  }

  static final String OTHER =
      """
      $ORIGIN other.test.
      @   3600 IN SOA ns.example.test. hostmaster.example.test. 1 3600 600 86400 45
      @   3600 NS   ns.example.test.
      www  180 A    198.51.100.7
      www  180 AAAA 2001:db8:1::7
      """;

  static Nsd nsd;
  static DnsResolver dns;

  @BeforeAll
  static void startNsd() {
    nsd = Nsd.builder().zone("example.test", EXAMPLE).zone("other.test", OTHER).ipv6(true).start();
    dns = resolver(nsd.address()).build();
  }

  @AfterAll
  static void stopNsd() {
    if (dns != null) {
      dns.close();
    }
    if (nsd != null) {
      nsd.close();
    }
  }

  static DnsResolver.Builder resolver(InetSocketAddress... servers) {
    return DnsResolver.builder()
        .servers(List.of(servers))
        .timeout(Duration.ofMillis(500))
        .retries(1);
  }

  static Resolution resolve(NameResolver r, String name, IpAddressFamily family) {
    try {
      return r.resolve(name, family).toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(
          "resolve(" + name + ", " + family + ") did not complete normally", e);
    }
  }

  static Addresses addresses(Resolution r) {
    assertThat(r).isInstanceOf(Addresses.class);
    return (Addresses) r;
  }

  static List<String> texts(Resolution r) {
    return addresses(r).addresses().stream().map(InetAddress::getHostAddress).toList();
  }

  // --- answers -----------------------------------------------------------------------------

  @Test
  void resolve_oneA_ipv4Only() {
    Resolution r = resolve(dns, "one.example.test", IPv4Only);

    assertThat(r).isEqualTo(new Addresses("one.example.test", List.of(ip("192.0.2.1")), ttl(120)));
  }

  @Test
  void resolve_severalA_returnsEveryRecordSortedByByteValue() {
    assertThat(texts(resolve(dns, "multi.example.test", IPv4Only)))
        .containsExactly("9.0.0.1", "10.0.0.1", "192.0.2.11", "192.0.2.13");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    // name,           family,   expected addresses (| separated) or NODATA/NXDOMAIN, ttl s
    "v6only,           IPv6Only, 2001:db8:0:0:0:0:0:1,                                  300",
    "v6only,           IPv4Only, NODATA,                                                30",
    // Any: the AAAA answer, its ttl capped by the 30 s "no A" answer
    "v6only,           Any,      2001:db8:0:0:0:0:0:1,                                  30",
    "dual,             Any,      2001:db8:0:0:0:0:0:2|2001:db8:0:0:0:0:0:20|192.0.2.20, 100",
    "dual,             IPv4Only, 192.0.2.20,                                            200",
    "dual,             IPv6Only, 2001:db8:0:0:0:0:0:2|2001:db8:0:0:0:0:0:20,            100",
    "one,              IPv6Only, NODATA,                                                30",
    "one,              Any,      192.0.2.1,                                             30",
    // CNAME chain alias -> mid -> one: the smallest TTL of all three records
    "alias,            IPv4Only, 192.0.2.1,                                             60",
    // CNAME into another zone: nsd leaves the target out, the resolver asks for it
    "ext,              Any,      2001:db8:1:0:0:0:0:7|198.51.100.7,                     180",
    "txt,              IPv4Only, NODATA,                                                30",
    "txt,              IPv6Only, NODATA,                                                30",
    "txt,              Any,      NODATA,                                                30",
    "missing,          IPv4Only, NXDOMAIN,                                              30",
    "missing,          Any,      NXDOMAIN,                                              30",
    "dangling,         IPv4Only, NXDOMAIN,                                              30",
  })
  void resolve_familyTable(String host, IpAddressFamily family, String expected, long ttl) {
    String name = host + ".example.test";
    Resolution r = resolve(dns, name, family);

    assertThat(r.name()).isEqualTo(name);
    if (expected.equals("NODATA") || expected.equals("NXDOMAIN")) {
      assertThat(r).isEqualTo(new NoAddress(name, NoAddress.Kind.valueOf(expected), ttl(ttl)));
    } else {
      assertThat(texts(r)).containsExactly(expected.split("\\|"));
      assertThat(addresses(r).ttl()).isEqualTo(ttl(ttl));
    }
  }

  @Test
  void resolve_truncatedUdpAnswer_isFetchedOverTcp_everyRecordCounts() {
    Resolution r = resolve(dns, "big.example.test", IPv4Only);

    assertThat(texts(r))
        .hasSize(150)
        .startsWith("198.18.0.1", "198.18.0.2")
        .endsWith("198.18.0.150");
  }

  @Test
  void resolve_isCaseInsensitive_andKeepsTheNameAsGiven() {
    assertThat(resolve(dns, "ONE.Example.TEST", IPv4Only))
        .isEqualTo(new Addresses("ONE.Example.TEST", List.of(ip("192.0.2.1")), ttl(120)));
    assertThat(texts(resolve(dns, "one.example.test.", IPv4Only))).containsExactly("192.0.2.1");
  }

  @Test
  void resolve_cnameLoop_isFailure() {
    Resolution r = resolve(dns, "loop1.example.test", IPv4Only);

    assertThat(r).isInstanceOf(Failure.class);
    assertThat(((Failure) r).reason()).isEqualTo("A: CNAME loop at loop1.example.test.");
    assertThat(((Failure) r).dnssecBogus()).isFalse();
  }

  @Test
  void resolve_nameOutsideTheServersZones_isFailureNamingRefused() {
    Resolution r = resolve(dns, "www.not-served.test", IPv4Only);

    assertThat(r).isInstanceOf(Failure.class);
    assertThat(((Failure) r).reason())
        .isEqualTo("A: no answer after 2 attempts: " + server(nsd.address()) + " REFUSED");
  }

  @Test
  void resolve_overIpv6Transport() {
    try (DnsResolver six = resolver(nsd.ipv6Address().orElseThrow()).build()) {
      assertThat(texts(resolve(six, "dual.example.test", Any)))
          .containsExactly("2001:db8:0:0:0:0:0:2", "2001:db8:0:0:0:0:0:20", "192.0.2.20");
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "192.0.2.55,      IPv4Only, 192.0.2.55",
    "192.0.2.55,      Any,      192.0.2.55",
    "192.0.2.55,      IPv6Only, NODATA",
    "2001:db8::5,     IPv6Only, 2001:db8:0:0:0:0:0:5",
    "[2001:db8::5],   Any,      2001:db8:0:0:0:0:0:5",
    "[2001:db8::5],   IPv4Only, NODATA",
  })
  void resolve_ipLiteral_isItsOwnAnswerWithoutQuery(
      String literal, IpAddressFamily family, String expected) throws Exception {
    try (SilentUdp silent = new SilentUdp();
        DnsResolver r = resolver(silent.address()).build()) {
      Resolution res = resolve(r, literal, family);

      if (expected.equals("NODATA")) {
        assertThat(res)
            .isEqualTo(new NoAddress(literal, NoAddress.Kind.NODATA, DnsResolver.LITERAL_TTL));
      } else {
        assertThat(texts(res)).containsExactly(expected);
        assertThat(addresses(res).ttl()).isEqualTo(DnsResolver.LITERAL_TTL);
      }
      assertThat(silent.received()).isZero();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | invalid host name ''",
        "' one.example.test' | invalid host name ' one.example.test'",
        ". | invalid host name '.'",
        "a..b | invalid host name 'a..b': "
      })
  void resolve_invalidName_isFailure(String name, String reason) {
    Resolution r = resolve(dns, name, IPv4Only);

    assertThat(r).isInstanceOf(Failure.class);
    assertThat(((Failure) r).reason()).startsWith(reason);
  }

  // --- hosts files -------------------------------------------------------------------------

  @Test
  void hostsFile_answersBeforeDns_forTheFamiliesItLists(@TempDir Path dir) throws Exception {
    Path hosts = dir.resolve("hosts");
    Files.writeString(
        hosts,
        """
        # a comment line
        192.0.2.99      one.example.test  ONE-ALIAS   # pinned over DNS
        2001:db8::99    hostsonly.example.test
        192.0.2.98      HostsOnly.Example.Test.
        192.0.2.97      hostsonly.example.test
        not-an-address  ignored.example.test
        """);
    try (DnsResolver r =
        resolver(nsd.address()).hostsFiles(List.of(hosts, dir.resolve("absent"))).build()) {
      assertThat(resolve(r, "one.example.test", IPv4Only))
          .isEqualTo(new Addresses("one.example.test", List.of(ip("192.0.2.99")), ttl(60)));
      assertThat(texts(resolve(r, "one-alias", Any))).containsExactly("192.0.2.99");
      // No IPv6 address in the file for one.example.test: DNS answers (it has none either).
      assertThat(resolve(r, "one.example.test", IPv6Only))
          .isEqualTo(new NoAddress("one.example.test", NoAddress.Kind.NODATA, ttl(30)));
      assertThat(texts(resolve(r, "hostsonly.example.test", Any)))
          .containsExactly("2001:db8:0:0:0:0:0:99", "192.0.2.97", "192.0.2.98");
      // Not in the file: DNS.
      assertThat(texts(resolve(r, "multi.example.test", IPv4Only))).hasSize(4);

      Files.writeString(hosts, "192.0.2.77 one.example.test\n");
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(HostsFiles.RECHECK_NANOS) + 100);
      assertThat(texts(resolve(r, "one.example.test", IPv4Only))).containsExactly("192.0.2.77");
      assertThat(resolve(r, "hostsonly.example.test", IPv4Only))
          .isEqualTo(new NoAddress("hostsonly.example.test", NoAddress.Kind.NXDOMAIN, ttl(30)));
    }
  }

  // --- failures, failover, timing ----------------------------------------------------------

  @Test
  void silentServer_failsAfterEveryAttemptTimesOut() throws Exception {
    Duration timeout = Duration.ofMillis(300);
    int retries = 2;
    try (SilentUdp silent = new SilentUdp();
        DnsResolver r =
            DnsResolver.builder()
                .servers(List.of(silent.address()))
                .timeout(timeout)
                .retries(retries)
                .build()) {
      long start = System.nanoTime();
      Resolution res = resolve(r, "one.example.test", IPv4Only);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(res)
          .isEqualTo(
              new Failure(
                  "one.example.test",
                  "A: no answer after 3 attempts: "
                      + server(silent.address())
                      + " timed out (300 ms per attempt)",
                  false));
      Duration budget = timeout.multipliedBy(retries + 1);
      assertThat(took).isBetween(budget.minusMillis(50), budget.plusMillis(700));
      assertThat(silent.received()).isEqualTo(retries + 1);
    }
  }

  @Test
  void deadFirstServer_failsOverToTheSecondAtOnce() {
    InetSocketAddress dead =
        new InetSocketAddress(InetAddress.getLoopbackAddress(), LoopbackTcp.deadPort());
    try (DnsResolver r = resolver(dead, nsd.address()).timeout(Duration.ofSeconds(2)).build()) {
      long start = System.nanoTime();
      assertThat(texts(resolve(r, "one.example.test", IPv4Only))).containsExactly("192.0.2.1");
      // ICMP port unreachable ends the first attempt long before its 2 s timeout.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }
  }

  @Test
  void silentFirstServer_costsOneTimeout_thenTheAnsweringServerIsAskedFirst() throws Exception {
    try (SilentUdp silent = new SilentUdp();
        DnsResolver r =
            resolver(silent.address(), nsd.address()).timeout(Duration.ofMillis(400)).build()) {
      long start = System.nanoTime();
      assertThat(texts(resolve(r, "one.example.test", IPv4Only))).containsExactly("192.0.2.1");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(350));

      start = System.nanoTime();
      assertThat(texts(resolve(r, "dual.example.test", IPv4Only))).containsExactly("192.0.2.20");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(300));
      assertThat(silent.received()).isEqualTo(1);
    }
  }

  @Test
  void anyWithOneServerDown_isFailure_notAHalfAnswer() {
    try (Nsd alone = Nsd.start(Map.of("example.test", EXAMPLE));
        DnsResolver r = resolver(alone.address()).build()) {
      assertThat(texts(resolve(r, "dual.example.test", Any))).hasSize(3);

      alone.stop();
      Resolution down = resolve(r, "dual.example.test", Any);
      assertThat(down).isInstanceOf(Failure.class);
      assertThat(((Failure) down).reason())
          .isEqualTo(
              "AAAA: no answer after 2 attempts: "
                  + server(alone.address())
                  + " port unreachable; A: no answer after 2 attempts: "
                  + server(alone.address())
                  + " port unreachable");

      alone.start();
      assertThat(texts(resolve(r, "dual.example.test", Any))).hasSize(3);
    }
  }

  @Test
  void changedRecord_isSeenOnTheNextLookup_noCache() {
    try (Nsd own = Nsd.start(Map.of("example.test", EXAMPLE));
        DnsResolver r = resolver(own.address()).build()) {
      assertThat(texts(resolve(r, "one.example.test", IPv4Only))).containsExactly("192.0.2.1");

      own.zone(
          "example.test",
          EXAMPLE
              .replace("hostmaster 1 ", "hostmaster 2 ")
              .replace(
                  "one       120 A     192.0.2.1", "one 120 A 192.0.2.2\none 120 A 192.0.2.3"));

      assertThat(texts(resolve(r, "one.example.test", IPv4Only)))
          .containsExactly("192.0.2.2", "192.0.2.3");
    }
  }

  // --- concurrency -------------------------------------------------------------------------

  @Test
  void twoThousandNames_allResolve_withAtMost32QueriesInFlight() {
    int count = 2000;
    StringBuilder zone =
        new StringBuilder(
            "$ORIGIN bulk.test.\n$TTL 300\n@ SOA ns.example.test. h.example.test. 1 3600 600 86400 30\n"
                + "@ NS ns.example.test.\n");
    for (int i = 0; i < count; i++) {
      zone.append(String.format("n%04d A 10.1.%d.%d%n", i, i / 250, i % 250 + 1));
      zone.append(String.format("n%04d AAAA 2001:db8:b::%x%n", i, i + 1));
    }
    try (Nsd bulk = Nsd.start(Map.of("bulk.test", zone.toString()));
        DnsResolver r =
            DnsResolver.builder()
                .servers(List.of(bulk.address()))
                .timeout(Duration.ofSeconds(1))
                .maxConcurrent(32)
                .build()) {
      List<CompletableFuture<Resolution>> all = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        all.add(r.resolve(String.format("n%04d.bulk.test", i), Any).toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
          .orTimeout(60, TimeUnit.SECONDS)
          .join();

      for (int i = 0; i < count; i++) {
        assertThat(texts(all.get(i).join()))
            .as("n%04d", i)
            .containsExactly(
                ip(String.format("2001:db8:b::%x", i + 1)).getHostAddress(),
                String.format("10.1.%d.%d", i / 250, i % 250 + 1));
      }
      assertThat(r.inFlightHighWater()).isBetween(2, 32);
    }
  }

  @Test
  void close_failsWaitingAndLaterLookups() throws Exception {
    try (SilentUdp silent = new SilentUdp()) {
      DnsResolver r =
          DnsResolver.builder()
              .servers(List.of(silent.address()))
              .timeout(Duration.ofSeconds(1))
              .retries(0)
              .maxConcurrent(1)
              .build();
      CompletableFuture<Resolution> inFlight =
          r.resolve("a.example.test", IPv4Only).toCompletableFuture();
      CompletableFuture<Resolution> waiting =
          r.resolve("b.example.test", IPv4Only).toCompletableFuture();

      r.close();

      assertThat(waiting.get(1, TimeUnit.SECONDS))
          .isEqualTo(new Failure("b.example.test", "A: resolver closed", false));
      assertThat(resolve(r, "c.example.test", IPv4Only))
          .isEqualTo(new Failure("c.example.test", "resolver closed", false));
      assertThat(inFlight.get(5, TimeUnit.SECONDS)).isInstanceOf(Failure.class);
    }
  }

  // --- helpers -----------------------------------------------------------------------------

  static Duration ttl(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  static InetAddress ip(String literal) {
    return com.google.common.net.InetAddresses.forString(literal);
  }

  static String server(InetSocketAddress a) {
    return RetryingResolver.format(a);
  }

  /** A UDP socket on 127.0.0.1 that reads every datagram and never answers: a hung DNS server. */
  static final class SilentUdp implements AutoCloseable {
    private final DatagramSocket socket;
    private final AtomicInteger received = new AtomicInteger();
    private final Thread reader;

    SilentUdp() throws SocketException {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      reader =
          new Thread(
              () -> {
                byte[] buf = new byte[1500];
                while (!socket.isClosed()) {
                  try {
                    socket.receive(new DatagramPacket(buf, buf.length));
                    received.incrementAndGet();
                  } catch (Exception closed) {
                    return;
                  }
                }
              },
              "silent-udp");
      reader.setDaemon(true);
      reader.start();
    }

    InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    int received() {
      return received.get();
    }

    @Override
    public void close() {
      socket.close();
      try {
        reader.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
