package org.umgw.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.Main;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryMapper;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;

/**
 * Crash safety of the export: whatever moment {@code kill -9} hits, the output path holds either
 * the previous file or a complete new one.
 */
class ExportCrashTest {
  private static final int ROUNDS = 50;
  @TempDir Path tmp;

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private static Process child(List<String> args) throws Exception {
    List<String> cmd =
        new ArrayList<>(List.of(java(), "-cp", System.getProperty("java.class.path")));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  /** A complete export: valid JSON whose peer list is the whole directory. */
  private static boolean complete(String json, int peers) {
    try {
      JsonNode doc = new ObjectMapper().readTree(json);
      return doc.path("peers").size() == peers && json.endsWith("}\n");
    } catch (Exception e) {
      return false;
    }
  }

  @Test
  void export_killedAtRandomMoments_leavesPreviousOrCompleteFile() throws Exception {
    try (ExportFixture fixture = new ExportFixture()) {
      // 3,000 more gateways make a ~1 MB file, so some kills land while it is written.
      var pool = fixture.ldap.pool();
      EntryMapper m = new EntryMapper(DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
      for (int i = 0; i < 3_000; i++) {
        String name = "bulk" + i;
        pool.add(
            m.toEntry(Gateway.builder(name, "10.2." + (i / 250) + "." + (i % 250 + 1)).build()));
        pool.add(m.toEntry(HuntGroup.defaultFor(name, "dp" + (i / 150))));
      }
      for (int d = 0; d < 20; d++) {
        pool.add(
            m.toEntry(org.umgw.model.DialPlan.of("dp" + d, org.umgw.model.UriType.TelExtn, 4)));
      }
      pool.close();
      int peers = 9 + 3_000;
      Path out = tmp.resolve("peers.json");
      List<String> args =
          new ArrayList<>(
              List.of(
                  Main.class.getName(),
                  "trust-list",
                  "export",
                  "--format",
                  "json",
                  "--out",
                  out.toString()));
      args.addAll(fixture.connection());

      long started = System.nanoTime();
      Process first = child(args);
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
      // Kill moments are spread over 10 %..150 % of how long a whole run takes on this machine
      // now, so that both outcomes happen however loaded it is.
      int fullMillis = (int) Math.max(200, (System.nanoTime() - started) / 1_000_000);
      assertThat(first.exitValue()).as(new String(first.getInputStream().readAllBytes())).isZero();
      String previous = Files.readString(out);
      assertThat(complete(previous, peers)).isTrue();

      Random random = new Random(42);
      int replaced = 0;
      for (int round = 0; round < ROUNDS; round++) {
        Process p = child(args);
        Thread.sleep(fullMillis / 10 + random.nextInt(fullMillis * 14 / 10));
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String now = Files.readString(out);
        assertThat(now.equals(previous) || complete(now, peers))
            .as("round %d: the file is neither the previous one nor a complete export", round)
            .isTrue();
        if (!now.equals(previous)) {
          replaced++;
          previous = now;
        }
      }
      // Both outcomes happened: some runs were killed before the rename, some after.
      assertThat(replaced).isBetween(1, ROUNDS - 1);
    }
  }

  @Test
  void writer_killedInTheMiddleOfTheWrite_leavesThePreviousFile() throws Exception {
    Path out = tmp.resolve("list.txt");
    Files.writeString(out, "old content\n");
    for (int round = 0; round < 3; round++) {
      Process p = child(List.of(SlowWriter.class.getName(), out.toString()));
      BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream()));
      assertThat(lines.readLine()).isEqualTo("MIDDLE");
      p.destroyForcibly();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(out)).isEqualTo("old content\n");
    }
    Process done = child(List.of(SlowWriter.class.getName(), out.toString()));
    assertThat(done.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(Files.readAllLines(out)).hasSize(200).last().isEqualTo("new line 199");
  }
}
