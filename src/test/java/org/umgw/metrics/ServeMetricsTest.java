package org.umgw.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.CliRunner;
import org.umgw.testing.ServerProcess;

/** {@code serve --metrics-listen}: /healthz while the embedded directory is served. */
class ServeMetricsTest {
  @TempDir Path tmp;

  @Test
  void serve_answersHealthzAndMetrics() throws Exception {
    Map<String, String> env = Map.of("UMGW_DATA_DIR", tmp.resolve("data").toString());
    assertThat(CliRunner.run(env, "init").code()).isZero();
    int ldap = ServerProcess.freePort(p -> ServerProcess.tcpFree("127.0.0.1", p));
    int metrics = ServerProcess.freePort(p -> p != ldap && ServerProcess.tcpFree("127.0.0.1", p));
    Thread serve =
        new Thread(
            () ->
                CliRunner.run(
                    env,
                    "serve",
                    "--listen",
                    "127.0.0.1:" + ldap,
                    "--metrics-listen",
                    "127.0.0.1:" + metrics),
            "umgw-serve");
    serve.setDaemon(true);
    serve.start();
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> get(metrics, "/healthz").equals("ok\n"));
      String body = get(metrics, "/metrics");
      assertThat(body).contains("umgw_directory_connected 1");
      org.umgw.sync.PromtoolCheck.check(body);
    } finally {
      serve.interrupt();
      serve.join(20_000);
    }
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
}
