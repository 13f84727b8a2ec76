package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code serve}'s hardening options: a bad value is a usage error naming the option and value. */
class ServeOptionsCliTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--max-connections|0|--max-connections \"0\": expected connections from 1 to",
        "--size-limit|-5|--size-limit \"-5\": expected entries from 1 to",
        "--time-limit|0|--time-limit \"0\": expected seconds from 1 to",
        "--writer-dn|not a dn|--writer-dn \"not a dn\": not a DN",
        "--max-connections|many|--max-connections",
      })
  void aBadValue_isAUsageError(String option, String value, String message) {
    CliRun r =
        CliRun.run(
            Map.of(),
            List.of(),
            "serve",
            "--data-dir",
            tmp.resolve("data").toString(),
            "--listen",
            "127.0.0.1:0",
            option,
            value);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains(message).doesNotContain("Exception");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"--require-tls"})
  void requireTls_withoutAKeyStore_isAUsageError(String option) {
    CliRun r =
        CliRun.run(
            Map.of(), List.of(), "serve", "--data-dir", tmp.resolve("data").toString(), option);
    assertThat(r.code()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("--require-tls needs --tls-key-store");
  }
}
