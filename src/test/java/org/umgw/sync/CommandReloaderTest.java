package org.umgw.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.model.UmgwException;

/** {@link CommandReloader}: real processes, no shell. */
class CommandReloaderTest {
  @TempDir Path dir;

  @Test
  void words_splitOnSpaces_quotedPartIsOneWord_fileReplaced() {
    CommandReloader r =
        new CommandReloader(
            "asterisk -rx \"module reload res_pjsip_endpoint_identifier_ip.so\"  {file}",
            Duration.ofSeconds(1));
    assertThat(r.command(Path.of("/etc/x.conf")))
        .containsExactly(
            "asterisk", "-rx", "module reload res_pjsip_endpoint_identifier_ip.so", "/etc/x.conf");
    assertThat(new CommandReloader("nft -f {file}", Duration.ofSeconds(1)).command(Path.of("/a")))
        .containsExactly("nft", "-f", "/a");
  }

  @Test
  void noShell_metacharactersReachTheCommandAsTheyAre() throws Exception {
    Path out = dir.resolve("args");
    Path script = dir.resolve("record.sh");
    Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$1.args\"\n");
    script.toFile().setExecutable(true);
    new CommandReloader(script + " " + out + " $HOME ; `id` {file}", Duration.ofSeconds(5))
        .reload(dir.resolve("trust.list"));
    assertThat(Files.readAllLines(dir.resolve("args.args")))
        .containsExactly(
            out.toString(), "$HOME", ";", "`id`", dir.resolve("trust.list").toString());
  }

  @Test
  void nonZeroExit_failsWithTheCommandsOutput() {
    CommandReloader r =
        new CommandReloader("sh -c \"echo no such table >&2; exit 3\"", Duration.ofSeconds(5));
    assertThatThrownBy(() -> r.reload(dir.resolve("f")))
        .isInstanceOf(ReloadException.class)
        .hasMessageContaining("exited 3")
        .hasMessageContaining("no such table");
  }

  @Test
  void timeout_killsTheCommand() {
    CommandReloader r = new CommandReloader("sleep 30", Duration.ofMillis(300));
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> r.reload(dir.resolve("f")))
        .isInstanceOf(ReloadException.class)
        .hasMessageContaining("did not finish within 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
  }

  @Test
  void missingBinary_isAFailureNamingIt() {
    CommandReloader r = new CommandReloader("/nonexistent/reload {file}", Duration.ofSeconds(1));
    assertThatThrownBy(() -> r.reload(dir.resolve("f")))
        .isInstanceOf(ReloadException.class)
        .hasMessageContaining("cannot run reload command /nonexistent/reload");
  }

  @Test
  void badCommandLines_areRefusedUpFront() {
    assertThatThrownBy(() -> new CommandReloader("  ", Duration.ofSeconds(1)))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> new CommandReloader("fs_cli -x \"reloadacl", Duration.ofSeconds(1)))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("not closed");
    assertThat(CommandReloader.split("a \"\" b")).isEqualTo(List.of("a", "", "b"));
  }
}
