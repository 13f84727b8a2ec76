package org.umgw.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.umgw.testing.ServerProcess;

/**
 * {@code umgw serve} in a child JVM, as an administrator runs it, on {@link ServerProcess}: a free
 * loopback port, ready once it logs {@code serving ...}, stopped with SIGTERM. For the tests that
 * drive it with OpenLDAP's client tools, which need a real listener and a process to stop.
 *
 * <pre>{@code
 * try (UmgwServe serve = UmgwServe.start(tmp, dataDir, "--time-limit", "1")) {
 *   ... ldapsearch -H serve.url() ...
 * }
 * }</pre>
 */
final class UmgwServe implements AutoCloseable {
  private final ServerProcess process;
  private final Path output;
  private String url;

  private UmgwServe(Path workDir) {
    this.output = workDir.resolve("serve.out");
    this.process = new ServerProcess("umgw-serve", workDir, output);
  }

  /**
   * Starts {@code umgw serve --listen 127.0.0.1:PORT --data-dir DATA OPTIONS...} and waits (up to a
   * minute) until it listens.
   *
   * @param parent a directory for the work directory (its output), kept apart from {@code dataDir}
   */
  static UmgwServe start(Path parent, Path dataDir, String... options) {
    UmgwServe serve;
    try {
      serve = new UmgwServe(Files.createTempDirectory(parent, "serve-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ServerProcess.onFreePorts(
          5,
          "Address already in use",
          () ->
              serve.url =
                  "ldap://127.0.0.1:"
                      + ServerProcess.freePort(p -> ServerProcess.tcpFree("127.0.0.1", p)),
          () -> serve.launch(dataDir, options));
      return serve;
    } catch (RuntimeException | Error e) {
      serve.close();
      throw e;
    }
  }

  private void launch(Path dataDir, String... options) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve",
                "--listen",
                url.substring("ldap://".length()),
                "--data-dir",
                dataDir.toString()));
    cmd.addAll(List.of(options));
    long from = process.start(cmd);
    process.await(
        System.nanoTime() + Duration.ofSeconds(60).toNanos(),
        () -> Files.readString(output).contains("serving "),
        "the line \"serving ...\"",
        from);
  }

  /** {@code ldap://127.0.0.1:PORT}. */
  String url() {
    return url;
  }

  boolean isRunning() {
    return process.isRunning();
  }

  /**
   * SIGTERM, as systemd stops it.
   *
   * @return whether it exited within {@code grace} (else it was killed)
   */
  boolean stop(Duration grace) {
    return process.stop(grace);
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(10));
    process.release();
  }
}
