package org.umgw.sync;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.umgw.cli.Main;
import org.umgw.testing.ServerProcess;
import org.umgw.testing.Slapd;

/**
 * {@code umgw trust-list sync} run in-process on its own thread against a {@link Slapd}, as an
 * operator runs it (every option on the command line), stopped by interrupting it. Its stderr (one
 * line per event) is readable while it runs.
 */
final class SyncRun implements AutoCloseable {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final Thread thread;
  private final int metricsPort;
  private volatile Integer code;

  private SyncRun(List<String> args) {
    metricsPort = ServerProcess.freePort(p -> ServerProcess.tcpFree("127.0.0.1", p));
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--metrics-listen", "127.0.0.1:" + metricsPort));
    thread =
        new Thread(
            () ->
                code =
                    Main.run(
                        all.toArray(String[]::new),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        Map.of()),
            "umgw-sync-under-test");
    thread.setDaemon(true);
  }

  /** The directory options of {@code slapd} with the sample hosts file and no DNS server. */
  static List<String> directory(Slapd slapd, Path hosts) {
    return List.of(
        "--ldap-url",
        slapd.url(),
        "--bind-dn",
        slapd.rootDn(),
        "--bind-password-file",
        slapd.rootPasswordFile().toString(),
        "--base-dn",
        slapd.suffix(),
        "--hosts-file",
        hosts.toString(),
        "--dns-server",
        "127.0.0.1:9",
        "--dns-timeout",
        "200");
  }

  /** Starts {@code umgw trust-list sync ARGS --metrics-listen 127.0.0.1:FREE}. */
  static SyncRun start(List<String> args) {
    List<String> all = new ArrayList<>(List.of("trust-list", "sync"));
    all.addAll(args);
    SyncRun run = new SyncRun(all);
    run.thread.start();
    return run;
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** Null while running, else the exit code. */
  Integer code() {
    return code;
  }

  boolean running() {
    return thread.isAlive();
  }

  /** GET http://127.0.0.1:METRICS_PORT/PATH: status and body, or -1 when it does not answer. */
  HttpResult get(String path) {
    try {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + path))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return new HttpResult(r.statusCode(), r.body());
    } catch (java.io.IOException e) {
      return new HttpResult(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record HttpResult(int status, String body) {}

  @Override
  public String toString() {
    return "sync exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(20_000);
  }
}
