package org.umgw.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.ServerProcess;
import org.umgw.testing.Sipp;

/**
 * {@code probe --metrics-listen}: a gateway that answers OPTIONS (a real sipp UAS) is {@code
 * umgw_gateway_up 1} and its round trips fill {@code umgw_options_rtt_seconds}; one that does not
 * answer is 0; {@code watch --metrics-listen} serves the trust-list metrics.
 */
class ProbeMetricsTest {
  @TempDir Path tmp;

  @Test
  void probe_gatewayUpAndRtt_fromRealOptionsRounds() throws Exception {
    try (InMemoryLdap ldap = InMemoryLdap.start();
        Sipp.Uas answering = Sipp.uas("127.0.0.1", 0, "u1", 200)) {
      int dead;
      try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.3"))) {
        dead = s.getLocalPort();
      }
      Map<String, String> env = env(ldap);
      ok(env, "init");
      ok(
          env,
          "dialplan",
          "new",
          "Plan",
          "--uri-type",
          "TelExtn",
          "--number-of-digits-in-extension",
          "4");
      ok(
          env,
          "gateway",
          "new",
          "gw-ok",
          "--address",
          "127.0.0.1",
          "--port",
          Integer.toString(answering.address().getPort()),
          "--dial-plan",
          "Plan");
      ok(
          env,
          "gateway",
          "new",
          "gw-dead",
          "--address",
          "127.0.0.3",
          "--port",
          Integer.toString(dead),
          "--dial-plan",
          "Plan");

      int port = ServerProcess.freePort(p -> ServerProcess.tcpFree("127.0.0.1", p));
      Thread probe =
          background(
              env,
              "probe",
              "--interval",
              "1",
              "--deadline",
              "0.5",
              "--down-after",
              "2",
              "--dns-server",
              "127.0.0.1:9",
              "--dns-timeout",
              "300",
              "--metrics-listen",
              "127.0.0.1:" + port);
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    get(port, "/metrics").contains("umgw_gateway_up{gateway=\"gw-dead\"} 0")
                        && get(port, "/metrics").contains("umgw_events_total{id=\"1400\"} 1"));
        String metrics = get(port, "/metrics");
        assertThat(value(metrics, "umgw_gateway_up{gateway=\"gw-ok\"}")).isEqualTo(1);
        assertThat(value(metrics, "umgw_options_rtt_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "umgw_options_rtt_seconds_sum")).isGreaterThan(0).isLessThan(1);
        assertThat(value(metrics, "umgw_options_rtt_seconds_bucket{le=\"+Inf\"}"))
            .isEqualTo(value(metrics, "umgw_options_rtt_seconds_count"));
        assertThat(value(metrics, "umgw_events_total{id=\"1400\"}")).isEqualTo(1);
        assertThat(value(metrics, "umgw_trusted_peers")).isEqualTo(2);
        assertThat(get(port, "/healthz")).isEqualTo("ok\n");
        org.umgw.sync.PromtoolCheck.check(metrics);
      } finally {
        probe.interrupt();
        probe.join(20_000);
      }

      // A name no DNS server answers for (port 9 is closed): its failed lookup at the first load
      // is counted, since the metrics are attached before the service starts.
      ok(env, "gateway", "new", "gw-nowhere", "--address", "nowhere.test", "--dial-plan", "Plan");
      int watchPort = ServerProcess.freePort(p -> ServerProcess.tcpFree("127.0.0.1", p));
      Thread watch =
          background(
              env,
              "trust-list",
              "watch",
              "--dns-server",
              "127.0.0.1:9",
              "--dns-timeout",
              "300",
              "--metrics-listen",
              "127.0.0.1:" + watchPort);
      try {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () -> {
                  // Connected comes first; the gauges follow the first load's snapshot swap,
                  // which waits for the failing lookup (300 ms timeout).
                  String m = get(watchPort, "/metrics");
                  return m.contains("umgw_directory_connected 1")
                      && m.contains("umgw_trusted_addresses{family=\"ipv4\"} 2");
                });
        String metrics = get(watchPort, "/metrics");
        assertThat(value(metrics, "umgw_trusted_addresses{family=\"ipv4\"}")).isEqualTo(2);
        assertThat(value(metrics, "umgw_events_total{id=\"1194\"}")).isEqualTo(1);
        assertThat(value(metrics, "umgw_dns_failures_total")).isEqualTo(1);
        org.umgw.sync.PromtoolCheck.check(metrics);
      } finally {
        watch.interrupt();
        watch.join(20_000);
      }
    }
  }

  @Test
  void probeOnce_refusesMetricsListen() throws Exception {
    try (InMemoryLdap ldap = InMemoryLdap.start()) {
      Map<String, String> env = env(ldap);
      ok(env, "init");
      CliRunner.Result r =
          CliRunner.run(env, "probe", "--once", "--metrics-listen", "127.0.0.1:9464");
      assertThat(r.code()).as(r.toString()).isEqualTo(2);
      assertThat(r.err())
          .contains("--metrics-listen needs a long-running command")
          .contains("--once");
    }
  }

  private Map<String, String> env(InMemoryLdap ldap) throws Exception {
    Path pw = tmp.resolve("bind.pw");
    Files.writeString(pw, "secret\n");
    return Map.of(
        "UMGW_LDAP_URL",
        "ldap://127.0.0.1:" + ldap.server().getListenPort(),
        "UMGW_BIND_DN",
        "cn=admin",
        "UMGW_BIND_PASSWORD_FILE",
        pw.toString(),
        "UMGW_BASE_DN",
        DirectoryLayout.DEFAULT_BASE);
  }

  private static void ok(Map<String, String> env, String... args) {
    CliRunner.Result r = CliRunner.run(env, args);
    assertThat(r.code()).as(r.toString()).isZero();
  }

  private static Thread background(Map<String, String> env, String... args) {
    Thread t = new Thread(() -> CliRunner.run(env, args), "umgw-" + args[0]);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static String get(int port, String path) throws Exception {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (java.io.IOException notYet) {
      return "";
    }
  }

  private static double value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)").matcher(exposition);
    assertThat(m.find()).as(series + " in\n" + exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
