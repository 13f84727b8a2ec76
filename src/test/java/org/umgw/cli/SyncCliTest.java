package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trust-list sync}'s refusals: usage errors, and a first file the guards refuse. */
class SyncCliTest {
  private static final List<String> NO_DNS =
      List.of(
          "--dns-server",
          "127.0.0.1:9",
          "--dns-timeout",
          "300",
          "--dns-retries",
          "0",
          "--hosts-file",
          "/dev/null");

  @TempDir Path tmp;

  private Map<String, String> env() {
    return Map.of("UMGW_DATA_DIR", tmp.resolve("data").toString());
  }

  @Test
  void twoConsumers_isAUsageError() {
    CliRun r =
        CliRun.run(
            env(),
            NO_DNS,
            "trust-list",
            "sync",
            "--format",
            "kamailio",
            "--out",
            tmp.resolve("k.list").toString(),
            "--kamailio-rpc",
            "http://127.0.0.1:5071/RPC",
            "--reload-command",
            "true");
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("--kamailio-rpc and --reload-command both name the consumer");
  }

  @Test
  void badRpcUrl_andUnclosedQuote_areUsageErrorsNamingTheValue() {
    CliRun url =
        CliRun.run(
            env(),
            NO_DNS,
            "trust-list",
            "sync",
            "--format",
            "kamailio",
            "--out",
            tmp.resolve("k.list").toString(),
            "--kamailio-rpc",
            "kamailio:5071");
    assertThat(url.code()).as(url.toString()).isEqualTo(Main.USAGE);
    assertThat(url.err()).contains("--kamailio-rpc \"kamailio:5071\"").contains("http://");

    CliRun quote =
        CliRun.run(
            env(),
            NO_DNS,
            "trust-list",
            "sync",
            "--format",
            "asterisk",
            "--out",
            tmp.resolve("a.conf").toString(),
            "--reload-command",
            "asterisk -rx \"module reload");
    assertThat(quote.code()).as(quote.toString()).isEqualTo(Main.USAGE);
    assertThat(quote.err()).contains("a double quote is not closed");
  }

  @Test
  void outAndFormat_areRequired() {
    CliRun r = CliRun.run(env(), NO_DNS, "trust-list", "sync", "--format", "nftables");
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("--out");
  }

  @Test
  void firstFile_refusedByTheShrinkGuard_exit1_fileUntouched() throws Exception {
    CliRun init = CliRun.run(env(), List.of(), "init");
    assertThat(init.code()).as(init.toString()).isZero();
    Path file = tmp.resolve("kamailio.list");
    StringBuilder big = new StringBuilder();
    for (int i = 1; i <= 50; i++) {
      big.append("1 192.0.2.").append(i).append(" 32 0 old").append(i).append('\n');
    }
    Files.writeString(file, big);
    CliRun r =
        CliRun.run(
            env(), NO_DNS, "trust-list", "sync", "--format", "kamailio", "--out", file.toString());
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.FAILURE);
    assertThat(r.err()).contains("refusing to replace " + file).contains("--allow-shrink");
    assertThat(Files.readString(file)).isEqualTo(big.toString());
  }
}
