package org.umgw.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryMapper;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;

/** The shrink guard and the exit codes of {@code trust-list export}, table-driven. */
class ExportExitCodesTest {
  private static ExportFixture fixture;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    fixture = new ExportFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  /** A previous text export with {@code n} addresses. */
  private Path previous(int n) throws Exception {
    Path file = tmp.resolve("peers.txt");
    StringBuilder s = new StringBuilder("# an earlier export\n");
    IntStream.range(0, n).forEach(i -> s.append("192.0.2.").append(i + 1).append('\n'));
    Files.writeString(file, s.toString());
    return file;
  }

  /** The sample exports 8 addresses in the allow-list formats. */
  @ParameterizedTest(name = "previous {0}, options \"{1}\" -> exit {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0  |                         | 0",
        "8  |                         | 0",
        "10 |                         | 0", // 20 % fewer: the limit itself is allowed
        "11 |                         | 1", // 27 % fewer
        "11 | --allow-shrink          | 0",
        "11 | --max-shrink 30         | 0",
        "40 | --max-shrink 50         | 1",
        "40 | --max-shrink 100        | 0",
      })
  void shrinkGuard(int previousCount, String options, int exit) throws Exception {
    Path file = previousCount == 0 ? tmp.resolve("peers.txt") : previous(previousCount);
    String before = Files.exists(file) ? Files.readString(file) : null;
    List<String> args =
        new ArrayList<>(
            List.of("trust-list", "export", "--format", "text", "--out", file.toString()));
    if (options != null) {
      args.addAll(List.of(options.split(" ")));
    }
    CliRunner.Result r = fixture.run(args.toArray(String[]::new));
    assertThat(r.code()).as(r.toString()).isEqualTo(exit);
    if (exit == 0) {
      assertThat(ShrinkGuard.count(ExportFormat.text, Files.readString(file))).isEqualTo(8);
      assertThat(r.err())
          .contains(
              "umgw: exported 8 addresses (9 peers, 4 of 4 names resolved, 2 events) as text to "
                  + file);
    } else {
      assertThat(Files.readString(file)).isEqualTo(before);
      assertThat(r.err())
          .contains(
              "umgw: refusing to replace "
                  + file
                  + ": the new trust list has 8 addresses, "
                  + (previousCount - 8)
                  + " fewer than the "
                  + previousCount
                  + " of the current file");
    }
    // No temporary file is left behind.
    try (var files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  /**
   * Finding 6: a previous file the guard cannot count (garbage, another format, bytes that are not
   * UTF-8) used to turn the guard off; now it refuses, leaves the file as it is and says why.
   */
  @ParameterizedTest(name = "{0} over {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "text       | garbage   | line 1 \"hello world\": not an IP address",
        "text       | json      | line 1 \"{\": not an IP address",
        "kamailio   | text      | line 2 \"192.0.2.1\": not \"group ip mask port tag\"",
        "json       | garbage   | not JSON",
        "json       | jsonOther | no \"peers\" list",
        "freeswitch | text      | not XML",
        "asterisk   | garbage   | line 1 \"hello world\": neither [section] nor key=value",
        "nftables   | garbage   | line 1 \"hello world\": not an nftables statement",
        "text       | binary    | cannot read it",
      })
  void shrinkGuard_foreignPreviousFile_refusedUnlessAllowShrink(
      String format, String previous, String reason) throws Exception {
    Path file = tmp.resolve("peers." + format);
    byte[] before =
        switch (previous) {
          case "garbage" -> "hello world\nthis is not a trust list\n".getBytes();
          case "json" -> "{\n  \"peers\" : [ ]\n}\n".getBytes();
          case "jsonOther" -> "{\"gateways\": [\"192.0.2.1\"]}\n".getBytes();
          case "text" -> "# an earlier text export\n192.0.2.1\n".getBytes();
          case "binary" -> new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'};
          default -> throw new IllegalArgumentException(previous);
        };
    Files.write(file, before);
    String[] args = {"trust-list", "export", "--format", format, "--out", file.toString()};
    CliRunner.Result r = fixture.run(args);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(Files.readAllBytes(file)).isEqualTo(before);
    assertThat(r.err())
        .as(r.toString())
        .contains("umgw: refusing to replace " + file + ": ")
        .contains(reason)
        .contains("the current file is left as it is")
        .contains("--allow-shrink");
    List<String> allowed = new ArrayList<>(List.of(args));
    allowed.add("--allow-shrink");
    CliRunner.Result forced = fixture.run(allowed.toArray(String[]::new));
    assertThat(forced.code()).as(forced.toString()).isZero();
    assertThat(ShrinkGuard.count(ExportFormat.valueOf(format), Files.readString(file)))
        .isEqualTo(format.equals("json") ? 9 : 8);
  }

  @Test
  void stdout_whenOutIsDash() {
    CliRunner.Result r = fixture.run("trust-list", "export", "--format", "text", "--out", "-");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("\n127.0.0.2\n").doesNotContain("127.0.0.4");
  }

  @Test
  void usageErrors_exit2() {
    assertThat(fixture.run("trust-list", "export", "--format", "yaml").code()).isEqualTo(2);
    assertThat(fixture.run("trust-list", "export", "--bogus").code()).isEqualTo(2);
  }

  @Test
  void unreachableDirectory_exit1_fileUntouched() throws Exception {
    Path file = previous(8);
    String before = Files.readString(file);
    CliRunner.Result r =
        CliRunner.run(
            Map.of(),
            "trust-list",
            "export",
            "--out",
            file.toString(),
            "--ldap-url",
            "ldap://127.0.0.1:1",
            "--ldap-timeout",
            "2",
            "--dns-server",
            "127.0.0.1:9",
            "--hosts-file",
            "/dev/null");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("cannot connect to the directory at ldap://127.0.0.1:1");
    assertThat(Files.readString(file)).isEqualTo(before);
  }

  @Test
  void directoryBreakingARule_isExportedWithTheImplicatedObjectsHeldBack_unlessStrict()
      throws Exception {
    try (var ldap = org.umgw.testing.InMemoryLdap.start()) {
      var pool = ldap.pool();
      org.umgw.testing.TestDirectories.load(pool, "ldif/sample.ldif");
      EntryMapper m = new EntryMapper(DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
      for (int i = 0; i < 201; i++) {
        String name = "bulk" + i;
        pool.add(
            m.toEntry(Gateway.builder(name, "10.1." + (i / 250) + "." + (i % 250 + 1)).build()));
        pool.add(m.toEntry(HuntGroup.defaultFor(name, "Contoso Extensions")));
      }
      pool.close();
      Path file = tmp.resolve("peers.kamailio");
      List<String> args =
          List.of(
              "trust-list",
              "export",
              "--format",
              "kamailio",
              "--out",
              file.toString(),
              "--ldap-url",
              "ldap://127.0.0.1:" + ldap.server().getListenPort(),
              "--dns-server",
              "127.0.0.1:" + fixture.nsd.port(),
              "--hosts-file",
              "/dev/null");
      List<String> strict = new java.util.ArrayList<>(args);
      strict.add("--strict");
      CliRunner.Result refused = CliRunner.run(Map.of(), strict.toArray(String[]::new));
      assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
      assertThat(refused.err())
          .contains(
              "umgw: rule DIAL_PLAN_CAPACITY: UM dial plan \"Contoso Extensions\": 206 UM IP"
                  + " gateways; at most 200 may serve one dial plan")
          .contains("--strict produces no trust list");
      assertThat(file).doesNotExist();

      CliRunner.Result r = CliRunner.run(Map.of(), args.toArray(String[]::new));
      assertThat(r.code()).as(r.toString()).isEqualTo(0);
      assertThat(r.err())
          .contains("event 9201", "rule DIAL_PLAN_CAPACITY", "held back", "routes no call");
      // Every gateway of the over-full dial plan is held back; the other dial plans are served.
      assertThat(Files.readString(file)).doesNotContain("10.1.0.").contains("127.0.0.");
    }
  }

  @Test
  void dnsNotAnswering_exit1_unlessAllowed() throws Exception {
    Path file = tmp.resolve("first-run.txt");
    List<String> args =
        new ArrayList<>(
            List.of(
                "trust-list",
                "export",
                "--out",
                file.toString(),
                "--ldap-url",
                fixture.ldapUrl(),
                "--dns-server",
                "127.0.0.1:9",
                "--dns-timeout",
                "200",
                "--dns-retries",
                "0",
                "--hosts-file",
                "/dev/null"));
    CliRunner.Result refused = CliRunner.run(Map.of(), args.toArray(String[]::new));
    assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err())
        .contains(
            "umgw: 4 name(s) got no DNS answer (edge.fabrikam.test, localhost, pbx.contoso.test,"
                + " um01.contoso.test): their gateways would drop out of the list, so nothing was"
                + " written");
    assertThat(file).doesNotExist();
    args.add("--allow-dns-failures");
    CliRunner.Result allowed = CliRunner.run(Map.of(), args.toArray(String[]::new));
    assertThat(allowed.code()).as(allowed.toString()).isZero();
    assertThat(allowed.err()).contains("(6 peers, 0 of 4 names resolved, ");
  }

  @Test
  void nftablesOutput_passesNftCheck() throws Exception {
    Path file = tmp.resolve("umgw.nft");
    assertThat(
            fixture
                .run("trust-list", "export", "--format", "nftables", "--out", file.toString())
                .code())
        .isZero();
    Process nft =
        new ProcessBuilder("nft", "-c", "-f", file.toString()).redirectErrorStream(true).start();
    String output = new String(nft.getInputStream().readAllBytes());
    assertThat(nft.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(nft.exitValue()).as("nft -c -f: " + output).isZero();
  }
}
