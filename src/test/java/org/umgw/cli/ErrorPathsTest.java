package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** No error path a user can reach says "unexpected error" or shows a stack trace by default. */
class ErrorPathsTest {
  @Test
  void noSourceSaysUnexpectedError() throws IOException {
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(
                  f -> {
                    try {
                      return Files.readString(f).toLowerCase().contains("unexpected error");
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertThat(offenders).isEmpty();
  }

  @Test
  void everyUsageErrorIsOneLineWithoutATrace() {
    // A sample over the kinds of parse failure picocli itself reports.
    for (String[] args :
        List.of(
            new String[] {"gateway", "get", "--no-such-flag"},
            new String[] {"gateway", "new", "gw1"},
            new String[] {"trust-list", "export", "--format", "yaml"},
            new String[] {"probe", "--interval", "soon"},
            new String[] {"trust-list", "export", "--dns-timeout", "0"},
            new String[] {"no-such-command"})) {
      CliRun r = CliRun.run(java.util.Map.of(), List.of(), args);
      assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
      assertThat(r.err().lines()).as(r.toString()).hasSize(1);
      assertThat(r.err()).as(r.toString()).startsWith("umgw: ").doesNotContain("\tat ");
    }
  }
}
