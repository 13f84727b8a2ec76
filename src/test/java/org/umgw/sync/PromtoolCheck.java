package org.umgw.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.umgw.testing.ServerProcess;

/** Prometheus's own linter on what /metrics serves. */
public final class PromtoolCheck {
  private PromtoolCheck() {}

  /** {@code promtool check metrics} reads the exposition on stdin; exit 0 means no problem. */
  public static void check(String exposition) throws IOException, InterruptedException {
    Path promtool =
        ServerProcess.requireBinary(
            "promtool", "promtool not installed: apt-get install prometheus (.ci/run)");
    Process p =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("promtool check metrics:\n" + out + "\n---\n" + exposition)
        .isZero();
  }
}
