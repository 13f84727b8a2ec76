package org.umgw.metrics;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import com.sun.net.httpserver.HttpExchange;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.umgw.model.UmgwException;

/**
 * Serves {@code /metrics} (Prometheus text or OpenMetrics, as the scraper asks) with the client
 * library's own HTTP exporter, and {@code /healthz}: 200 and "ok" when the command is doing its
 * job, 503 and the reason when not (for sync: the consumer has not taken the latest file).
 */
public final class MetricsServer implements AutoCloseable {
  /** What {@code /healthz} answers: null when healthy, else why not. */
  @FunctionalInterface
  public interface HealthCheck extends Supplier<String> {}

  private final HTTPServer server;
  private final InetSocketAddress address;

  private MetricsServer(HTTPServer server, InetSocketAddress address) {
    this.server = server;
    this.address = address;
  }

  /**
   * @param listen {@code HOST:PORT}; port 0 picks a free one ({@link #address()} tells)
   * @throws UmgwException naming the address when it is malformed or cannot be bound
   */
  public static MetricsServer start(String listen, UmgwMetrics metrics, HealthCheck health) {
    requireNonNull(metrics, "metrics == null");
    requireNonNull(health, "health == null");
    HostAndPort hp;
    try {
      hp = HostAndPort.fromString(listen);
    } catch (IllegalArgumentException e) {
      throw new UmgwException("--metrics-listen \"" + listen + "\": " + e.getMessage(), e);
    }
    if (!hp.hasPort() || hp.getHost().isEmpty()) {
      throw new UmgwException(
          "--metrics-listen \"" + listen + "\": HOST:PORT, like 127.0.0.1:9464 or [::1]:9464");
    }
    HTTPServer server;
    try {
      server =
          HTTPServer.builder()
              .hostname(hp.getHost())
              .port(hp.getPort())
              .registry(metrics.registry)
              .defaultHandler(exchange -> handle(exchange, health))
              .buildAndStart();
    } catch (IOException | RuntimeException e) {
      throw new UmgwException("--metrics-listen " + listen + ": cannot listen there: " + e, e);
    }
    return new MetricsServer(server, new InetSocketAddress(hp.getHost(), server.getPort()));
  }

  private static void handle(HttpExchange exchange, HealthCheck health) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      int code;
      String body;
      if (path.equals("/healthz")) {
        String problem = health.get();
        code = problem == null ? 200 : 503;
        body = problem == null ? "ok\n" : problem + "\n";
      } else {
        code = 404;
        body = "not found: try /metrics or /healthz\n";
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Where it listens (the actual port when 0 was asked). */
  public InetSocketAddress address() {
    return address;
  }

  @Override
  public void close() {
    server.close();
  }
}
