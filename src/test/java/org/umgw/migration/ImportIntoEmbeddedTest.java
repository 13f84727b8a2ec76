package org.umgw.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.DirectoryStore;
import org.umgw.embedded.EmbeddedDirectory;
import org.umgw.model.DirectoryContents;

/**
 * {@code umgw import exchange} into the embedded directory, in-process through the CLI: the dry run
 * writes nothing and reports what the import then does, every property arrives, a second run
 * changes nothing, and the UTF-16 exports {@code ldifde -u} writes import the same.
 */
class ImportIntoEmbeddedTest {
  private static final String BASE = "dc=migrated,dc=test";

  @TempDir Path tmp;

  @Test
  void dryRun_thenImport_thenRerun_onEmbeddedDirectory() throws Exception {
    Path data = prepare("data");

    CliRunner.Result dry =
        umgw(data, "import", "exchange", Contoso.fixture().toString(), "--dry-run");
    assertThat(dry.code()).as(dry.toString()).isEqualTo(1);
    assertThat(dry.out()).startsWith("dry run: nothing was written\n");
    assertThat(dry.out()).endsWith(Contoso.FIRST_SUMMARY + "\n");
    DirectoryRead before = read(data);
    assertThat(before.contents().gateways()).isEmpty();
    assertThat(before.contents().huntGroups()).isEmpty();
    assertThat(before.contents().dialPlans()).containsExactly(Contoso.FABRIKAM);

    CliRunner.Result first = umgw(data, "import", "exchange", Contoso.fixture().toString());
    assertThat(first.code()).as(first.toString()).isEqualTo(1);
    assertThat(first.err()).isEmpty();
    assertThat(first.out()).endsWith(Contoso.FIRST_SUMMARY + "\n");
    assertThat(first.out()).contains(Contoso.refusals());
    assertThat(first.out())
        .contains(
            "ignored   (CN=Contoso Main AA,CN=UM AutoAttendant Container,"
                + Contoso.ORG
                + ")\n    objectClass top, msExchUMAutoAttendant: not a UM IP gateway, hunt group"
                + " or dial plan\n");
    // The dry run said what the import did, line for line.
    assertThat(dry.out()).isEqualTo("dry run: nothing was written\n" + first.out());
    DirectoryRead imported = read(data);
    Contoso.assertImported(imported);

    CliRunner.Result again = umgw(data, "import", "exchange", Contoso.fixture().toString());
    assertThat(again.code()).as(again.toString()).isEqualTo(1);
    assertThat(again.out()).endsWith(Contoso.RERUN_SUMMARY + "\n");
    assertThat(again.out()).doesNotContain("created ", "updated ");
    assertThat(read(data).contents()).isEqualTo(imported.contents());
  }

  @Test
  void utf16Exports_importTheSameAsUtf8() throws Exception {
    Path utf8 = prepare("utf8");
    assertThat(umgw(utf8, "import", "exchange", Contoso.fixture().toString()).out())
        .endsWith(Contoso.FIRST_SUMMARY + "\n");
    DirectoryContents expected = read(utf8).contents();
    for (var charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE)) {
      Path file = Contoso.reencoded(tmp, charset);
      byte[] head = Files.readAllBytes(file);
      assertThat(charset == StandardCharsets.UTF_16LE ? head[0] : head[1]).isEqualTo((byte) 0xFF);
      Path data = prepare(charset.name());
      CliRunner.Result r = umgw(data, "import", "exchange", file.toString());
      assertThat(r.out()).as(r.toString()).endsWith(Contoso.FIRST_SUMMARY + "\n");
      assertThat(r.out()).contains(Contoso.refusals());
      DirectoryRead read = read(data);
      Contoso.assertImported(read);
      assertThat(read.contents()).isEqualTo(expected);
    }
  }

  @Test
  void jsonReport_carriesCountsAndProblems() throws Exception {
    Path data = prepare("json");
    CliRunner.Result r =
        umgw(data, "import", "exchange", Contoso.fixture().toString(), "--format", "json");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
    assertThat(json.get("dryRun").asBoolean()).isFalse();
    assertThat(json.get("counts").toString())
        .isEqualTo("{\"created\":31,\"updated\":0,\"unchanged\":0,\"refused\":8,\"ignored\":1}");
    var dup = new ArrayList<com.fasterxml.jackson.databind.JsonNode>();
    json.get("objects")
        .forEach(
            o -> {
              if (o.get("name").asText().equals("dup-address")) {
                dup.add(o);
              }
            });
    assertThat(dup).hasSize(1);
    assertThat(dup.get(0).get("kind").asText()).isEqualTo("gateway");
    assertThat(dup.get(0).get("dn").asText()).isEqualTo("CN=dup-address," + Contoso.GATEWAYS);
    assertThat(dup.get(0).get("problems").toString())
        .isEqualTo(
            "[{\"attribute\":\"msExchUMIPGatewayAddress\",\"value\":\"192.0.2.21\",\"reason\":"
                + "\"already the address of UM IP gateway \\\"sim-delayed\\\"\"}]");
  }

  @Test
  void immutableDialPlanProperties_areReportedNotChanged_andOtherChangesApplied() throws Exception {
    Path data = prepare("changes");
    umgw(data, "import", "exchange", Contoso.fixture().toString());
    // Line ends as ldifde writes them (CRLF) or as a checkout may turn them (LF).
    String changed =
        Files.readString(Contoso.fixture())
            .replace("\r\n", "\n")
            .replace(
                "msExchUMNumberingPlanDigits: 5\nmsExchUMDialPlanVoipSecurity: 2\n"
                    + "msExchUMCountryCode: 1\n",
                "msExchUMNumberingPlanDigits: 7\nmsExchUMDialPlanVoipSecurity: 2\n"
                    + "msExchUMCountryCode: 33\n")
            .replace(
                "msExchUMIPGatewayAddress: 192.0.2.30", "msExchUMIPGatewayAddress: 192.0.2.31");
    Path file = tmp.resolve("changed.ldf");
    Files.writeString(file, changed);

    CliRunner.Result r = umgw(data, "import", "exchange", file.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out())
        .contains(
            "updated   UM dial plan \"Contoso Extensions\" (CN=Contoso Extensions,"
                + Contoso.DIAL_PLANS
                + ")\n    umCountryOrRegionCode: 1 -> 33\n    not changed:"
                + " msExchUMNumberingPlanDigits \"7\": umgw's dial plan has 5, and the number of"
                + " digits cannot change after creation\n")
        .contains(
            "updated   UM IP gateway \"defaults\" (CN=defaults,"
                + Contoso.GATEWAYS
                + ")\n    umAddress: 192.0.2.30 -> 192.0.2.31\n")
        .endsWith(
            "0 created, 2 updated, 29 unchanged, 8 refused, 1 ignored; 1 with properties that"
                + " cannot change\n");
    DirectoryContents after = read(data).contents();
    var plan =
        after.dialPlans().stream().filter(p -> p.name().equals("Contoso Extensions")).findFirst();
    assertThat(plan).isPresent();
    assertThat(plan.get().numberOfDigitsInExtension()).isEqualTo(5);
    assertThat(plan.get().countryOrRegionCode()).isEqualTo("33");
  }

  @Test
  void usageErrors_exitTwo() throws Exception {
    Path data = prepare("usage");
    CliRunner.Result neither = umgw(data, "import", "exchange");
    assertThat(neither.code()).isEqualTo(2);
    assertThat(neither.err())
        .startsWith("umgw: give the ldifde export FILE, or --from-ldap with --from-base-dn (see:");
    CliRunner.Result both =
        umgw(
            data,
            "import",
            "exchange",
            Contoso.fixture().toString(),
            "--from-ldap",
            "ldap://127.0.0.1:1",
            "--from-base-dn",
            Contoso.ORG);
    assertThat(both.code()).isEqualTo(2);
    assertThat(both.err()).startsWith("umgw: give either FILE or --from-ldap, not both (see:");
    CliRunner.Result noPassword =
        umgw(
            data,
            "import",
            "exchange",
            "--from-ldap",
            "ldap://127.0.0.1:1",
            "--from-bind-dn",
            "CN=reader,DC=contoso,DC=test",
            "--from-base-dn",
            Contoso.ORG);
    assertThat(noPassword.code()).isEqualTo(2);
    assertThat(noPassword.err())
        .startsWith(
            "umgw: --from-bind-dn needs --from-bind-password-file (a password is never given on"
                + " the command line) (see:");
    CliRunner.Result format =
        umgw(data, "import", "exchange", Contoso.fixture().toString(), "--format", "xml");
    assertThat(format.code()).isEqualTo(2);
  }

  @Test
  void missingFile_failsNamingIt() throws Exception {
    Path data = prepare("missing");
    Path file = tmp.resolve("nope.ldf");
    CliRunner.Result r = umgw(data, "import", "exchange", file.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("umgw: " + file + ": no such file\n");
  }

  /** A new embedded directory under {@link #BASE} holding only {@link Contoso#FABRIKAM}. */
  private Path prepare(String name) {
    Path data = tmp.resolve(name);
    CliRunner.Result init = umgw(data, "init");
    assertThat(init.code()).as(init.toString()).isZero();
    CliRunner.Result dp =
        umgw(
            data,
            "dialplan",
            "new",
            Contoso.FABRIKAM.name(),
            "--uri-type",
            "TelExtn",
            "--number-of-digits-in-extension",
            "5");
    assertThat(dp.code()).as(dp.toString()).isZero();
    return data;
  }

  private static CliRunner.Result umgw(Path data, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", data.toString(), "--base-dn", BASE));
    return CliRunner.run(Map.of(), all.toArray(String[]::new));
  }

  private static DirectoryRead read(Path data) {
    try (EmbeddedDirectory e =
        EmbeddedDirectory.open(data, EmbeddedDirectory.Options.defaults().withBaseDn(BASE))) {
      return new DirectoryStore(e.pool(), e.layout()).readAll();
    }
  }
}
