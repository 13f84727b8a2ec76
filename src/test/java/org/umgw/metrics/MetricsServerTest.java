package org.umgw.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.UmgwException;
import org.umgw.sync.PromtoolCheck;
import org.umgw.trust.TrustedPeers;

/** {@link MetricsServer}: the exporter's endpoints, /healthz, and what the dashboard queries. */
class MetricsServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void metricsHealthzAndNotFound() throws Exception {
    UmgwMetrics metrics = new UmgwMetrics();
    AtomicReference<String> problem = new AtomicReference<>();
    try (MetricsServer server = MetricsServer.start("127.0.0.1:0", metrics, problem::get)) {
      int port = server.address().getPort();
      metrics.onEvent(Event.of(EventId.PEER_ADDRESSES_STALE, Instant.now(), "stale"));
      metrics.onEvent(
          Event.of(
              EventId.PEER_NAME_UNRESOLVED,
              Instant.now(),
              "timeout",
              TrustedPeers.LOOKUP_FAILED,
              true));
      metrics.onEvent(Event.of(EventId.PEER_NAME_UNRESOLVED, Instant.now(), "nxdomain"));
      // Every refusal counts, though the log aggregates them: read from the service at scrape.
      metrics.refusals(id -> id == EventId.UNTRUSTED_SOURCE ? 100_000 : 0);
      HttpResponse<String> m = get(port, "/metrics", null);
      assertThat(m.statusCode()).isEqualTo(200);
      assertThat(m.body())
          .contains("umgw_dns_failures_total 2.0")
          .contains("umgw_events_total{id=\"1194\"} 2.0")
          .contains("umgw_reloads_total{result=\"failure\"} 0.0")
          .contains("umgw_refusals_total{id=\"1021\"} 100000.0")
          .contains("umgw_refusals_total{id=\"1442\"} 0.0");
      PromtoolCheck.check(m.body());

      HttpResponse<String> om = get(port, "/metrics", "application/openmetrics-text");
      assertThat(om.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/openmetrics-text");
      assertThat(om.body()).endsWith("# EOF\n");

      assertThat(get(port, "/healthz", null).statusCode()).isEqualTo(200);
      problem.set("not in step with kamailio http://127.0.0.1:5071/RPC: refused");
      HttpResponse<String> sick = get(port, "/healthz", null);
      assertThat(sick.statusCode()).isEqualTo(503);
      assertThat(sick.body()).contains("not in step with kamailio");
      assertThat(get(port, "/nothing", null).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void badListenAddresses_areRefusedNamingTheValue() {
    UmgwMetrics metrics = new UmgwMetrics();
    assertThatThrownBy(() -> MetricsServer.start("9464", metrics, () -> null))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("--metrics-listen \"9464\": HOST:PORT");
    assertThatThrownBy(() -> MetricsServer.start("192.0.2.1:9464", metrics, () -> null))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("--metrics-listen 192.0.2.1:9464: cannot listen there");
  }

  /** Every umgw_ metric the shipped Grafana dashboard queries is one the exporter serves. */
  @Test
  void grafanaDashboard_queriesOnlyMetricsThatExist() throws Exception {
    String dashboard = Files.readString(Path.of("docs/grafana-umgw.json"));
    Set<String> queried = new TreeSet<>();
    Matcher q = Pattern.compile("umgw_[a-z_]+").matcher(dashboard);
    while (q.find()) {
      queried.add(q.group());
    }
    queried.remove("umgw_overview"); // the uid, not a metric (umgw-overview)
    // From the registry: a labelled metric with no sample yet is not in the text at all.
    Set<String> served = new TreeSet<>();
    for (MetricSnapshot m : new UmgwMetrics().registry.scrape()) {
      String name = m.getMetadata().getPrometheusName();
      if (m instanceof CounterSnapshot) {
        served.add(name + "_total");
      } else if (m instanceof HistogramSnapshot) {
        served.addAll(List.of(name + "_bucket", name + "_sum", name + "_count"));
      } else {
        served.add(name);
      }
    }
    assertThat(queried).isNotEmpty();
    assertThat(served).containsAll(queried);
  }

  private static HttpResponse<String> get(int port, String path, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (accept != null) {
      b.header("Accept", accept);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
