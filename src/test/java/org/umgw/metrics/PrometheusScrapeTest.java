package org.umgw.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.testing.ServerProcess;

/**
 * A real Prometheus (Debian's {@code prometheus}) scrapes {@link MetricsServer} with the scrape
 * configuration of docs/operations.md and stores what umgw counted: the target is up and a query
 * returns the values.
 */
class PrometheusScrapeTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void prometheusScrapesTheExporter_andQueriesSeeUmgwsValues() throws Exception {
    Path prometheus =
        ServerProcess.requireBinary(
            "prometheus", "prometheus not installed: apt-get install prometheus (.ci/run)");
    UmgwMetrics metrics = new UmgwMetrics();
    metrics.directoryConnected(true);
    for (int i = 0; i < 3; i++) {
      metrics.onEvent(Event.of(EventId.SYNC_RELOADED, Instant.now(), "reloaded"));
    }
    metrics.onEvent(Event.of(EventId.SYNC_RELOAD_FAILED, Instant.now(), "refused"));
    try (MetricsServer exporter = MetricsServer.start("127.0.0.1:0", metrics, () -> null)) {
      int webPort = ServerProcess.freePort(p -> ServerProcess.tcpFree("127.0.0.1", p));
      Path config = dir.resolve("prometheus.yml");
      Files.writeString(
          config,
          "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n"
              + "  - job_name: umgw\n    static_configs:\n      - targets: ['127.0.0.1:"
              + exporter.address().getPort()
              + "']\n        labels: {consumer: kamailio}\n");
      ServerProcess server = new ServerProcess("prometheus", dir, dir.resolve("prometheus.log"));
      try {
        long from =
            server.start(
                List.of(
                    prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + webPort));
        String base = "http://127.0.0.1:" + webPort;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        server.await(
            deadline,
            () -> query(base, "up{job=\"umgw\"}").equals("1"),
            "a successful scrape of umgw",
            from);
        server.await(
            deadline,
            () -> !query(base, "umgw_reloads_total{result=\"success\"}").isEmpty(),
            "umgw_reloads_total stored",
            from);
        assertThat(query(base, "umgw_reloads_total{result=\"success\",consumer=\"kamailio\"}"))
            .isEqualTo("3");
        assertThat(query(base, "umgw_reloads_total{result=\"failure\"}")).isEqualTo("1");
        assertThat(query(base, "umgw_events_total{id=\"9602\"}")).isEqualTo("1");
        assertThat(query(base, "umgw_directory_connected")).isEqualTo("1");
      } finally {
        server.stop(Duration.ofSeconds(10));
        server.release();
      }
    }
  }

  /** The single value of an instant query, or "" when it has no sample yet. */
  private static String query(String base, String promql) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "/api/v1/query?query="
                            + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode result = JSON.readTree(r.body()).path("data").path("result");
    if (!result.isArray() || result.isEmpty()) {
      return "";
    }
    return result.get(0).path("value").get(1).asText();
  }
}
