package org.umgw.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.umgw.cli.CliRunner;

/**
 * Every format over the sample directory, with nsd answering the FQDNs, equals its golden file in
 * {@code src/test/resources/golden/} apart from the timestamp, and two runs give the same bytes.
 * Regenerate with {@code mvn test -Dtest=ExportGoldenTest -Dumgw.regenerate=true}.
 */
class ExportGoldenTest {
  private static ExportFixture fixture;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    fixture = new ExportFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** Blanks the generation time, the one part allowed to differ between runs. */
  static String normalized(String export) {
    return export
        .replaceAll("generated \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "generated TIMESTAMP")
        .replaceAll("\"generatedAt\" : \"[^\"]+\"", "\"generatedAt\" : \"TIMESTAMP\"");
  }

  @ParameterizedTest
  @EnumSource(ExportFormat.class)
  void export_sampleDirectory_matchesGoldenFile_andIsDeterministic(ExportFormat format)
      throws Exception {
    CliRunner.Result first = fixture.run("trust-list", "export", "--format", format.name());
    assertThat(first.code()).as(first.toString()).isZero();
    CliRunner.Result second = fixture.run("trust-list", "export", "--format", format.name());
    assertThat(normalized(second.out())).isEqualTo(normalized(first.out()));

    Path golden = Path.of("src/test/resources/golden/sample." + format.name());
    if (Boolean.getBoolean("umgw.regenerate")) {
      Files.writeString(golden, normalized(first.out()));
    }
    assertThat(normalized(first.out()))
        .as("golden " + golden + " (regenerate with -Dumgw.regenerate=true)")
        .isEqualTo(Files.readString(golden));
    assertThat(first.err())
        .contains("event 1175 Warning: IP address 127.0.0.3")
        .contains("umgw: exported ");
  }
}
