package org.umgw.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.umgw.dns.DnsResolverTest.resolve;
import static org.umgw.dns.DnsResolverTest.server;
import static org.umgw.dns.DnsResolverTest.texts;
import static org.umgw.model.IpAddressFamily.Any;
import static org.umgw.model.IpAddressFamily.IPv4Only;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.umgw.dns.Resolution.Failure;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * {@link DnsResolver} against {@link FakeDnsServer}: the failures nsd cannot be made to produce
 * (SERVFAIL, one of the two Any queries lost, stray answers) and the rotation of source ports.
 */
class DnsResolverFailureTest {

  static DnsResolver.Builder resolver(FakeDnsServer... servers) {
    return DnsResolver.builder()
        .servers(java.util.Arrays.stream(servers).map(FakeDnsServer::address).toList())
        .timeout(Duration.ofMillis(300))
        .retries(1);
  }

  static ARecord a(org.xbill.DNS.Message q, String address) {
    try {
      return new ARecord(q.getQuestion().getName(), DClass.IN, 60, InetAddress.getByName(address));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void servfail_isRetriedOnTheNextServer() throws Exception {
    try (FakeDnsServer failing =
            new FakeDnsServer(q -> List.of(FakeDnsServer.rcode(q, Rcode.SERVFAIL)));
        FakeDnsServer good =
            new FakeDnsServer(
                q -> List.of(FakeDnsServer.answer(q, Rcode.NOERROR, a(q, "192.0.2.1"))));
        DnsResolver dns = resolver(failing, good).build()) {
      assertThat(texts(resolve(dns, "gw.example.test", IPv4Only))).containsExactly("192.0.2.1");
      assertThat(failing.queries()).hasSize(1);
    }
  }

  @Test
  void servfailEverywhere_isFailureNamingIt_afterEveryAttempt() throws Exception {
    try (FakeDnsServer failing =
            new FakeDnsServer(q -> List.of(FakeDnsServer.rcode(q, Rcode.SERVFAIL)));
        DnsResolver dns = resolver(failing).build()) {
      assertThat(resolve(dns, "gw.example.test", IPv4Only))
          .isEqualTo(
              new Failure(
                  "gw.example.test",
                  "A: no answer after 2 attempts: " + server(failing.address()) + " SERVFAIL",
                  false));
      assertThat(failing.queries()).hasSize(2);
    }
  }

  @Test
  void any_withTheAaaaQueryLost_isFailure_notJustTheIpv4Addresses() throws Exception {
    try (FakeDnsServer dropsAaaa =
            new FakeDnsServer(
                q ->
                    q.getQuestion().getType() == Type.AAAA
                        ? List.of()
                        : List.of(FakeDnsServer.answer(q, Rcode.NOERROR, a(q, "192.0.2.1"))));
        DnsResolver dns = resolver(dropsAaaa).build()) {
      assertThat(resolve(dns, "gw.example.test", Any))
          .isEqualTo(
              new Failure(
                  "gw.example.test",
                  "AAAA: no answer after 2 attempts: "
                      + server(dropsAaaa.address())
                      + " timed out (300 ms per attempt)",
                  false));
    }
  }

  @Test
  void strayAnswerWithAnotherId_isIgnored_andTheRealOneAccepted() throws Exception {
    try (FakeDnsServer server =
            new FakeDnsServer(
                q -> {
                  byte[] real = FakeDnsServer.answer(q, Rcode.NOERROR, a(q, "192.0.2.1"));
                  byte[] forged =
                      FakeDnsServer.withId(
                          FakeDnsServer.answer(q, Rcode.NOERROR, a(q, "203.0.113.66")),
                          (q.getHeader().getID() + 1) & 0xFFFF);
                  return List.of(forged, real);
                });
        DnsResolver dns = resolver(server).build()) {
      assertThat(texts(resolve(dns, "gw.example.test", IPv4Only))).containsExactly("192.0.2.1");
    }
  }

  @Test
  void sourcePorts_changeAsSocketsAreReplaced() throws Exception {
    int lookups = UdpSocketPool.SOCKETS_PER_SERVER * UdpSocketPool.QUERIES_PER_SOCKET + 500;
    try (FakeDnsServer server =
            new FakeDnsServer(
                q -> List.of(FakeDnsServer.answer(q, Rcode.NOERROR, a(q, "192.0.2.1"))));
        DnsResolver dns = resolver(server).maxConcurrent(16).build()) {
      List<CompletableFuture<Resolution>> all = new ArrayList<>();
      for (int i = 0; i < lookups; i++) {
        all.add(dns.resolve("gw" + i + ".example.test", IPv4Only).toCompletableFuture());
      }
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      assertThat(all)
          .allSatisfy(f -> assertThat(f.join()).isInstanceOf(Resolution.Addresses.class));
      assertThat(server.sourcePorts()).hasSizeGreaterThan(UdpSocketPool.SOCKETS_PER_SERVER);
    }
  }
}
