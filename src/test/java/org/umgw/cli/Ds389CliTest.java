package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.testing.Ds389;
import org.umgw.testing.SampleDs389;
import org.umgw.testing.SampleSlapd;

/**
 * The CLI with {@code --ldap-url} on a 389 Directory Server instance the test created, writing as
 * an account that holds only the ACIs docs/scaling.md gives: objects created, changed, read and
 * removed through the store and its rules; the rules refuse with the same messages as on the other
 * servers; and {@code trust-list export} of the sample equals the export from slapd and from the
 * embedded directory (same peers, the same event 1175 for the shared address).
 */
class Ds389CliTest {
  @RegisterExtension static final SampleDs389 DS = SampleDs389.persistentSearch();
  @RegisterExtension static final SampleSlapd SLAPD = new SampleSlapd();

  @TempDir static Path tmp;

  private static Map<String, String> writer() {
    Ds389 ds = DS.ds();
    return Map.of(
        "UMGW_LDAP_URL", ds.url(),
        "UMGW_BIND_DN", ds.writerDn(),
        "UMGW_BIND_PASSWORD_FILE", ds.writerPasswordFile().toString());
  }

  private static CliRun umgw(String... args) {
    return CliRun.run(writer(), List.of(), args);
  }

  private static CliRun ok(String... args) {
    CliRun r = umgw(args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  private static void fails(String message, String... args) {
    CliRun r = umgw(args);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).as(r.toString()).isEqualTo("umgw: " + message + "\n");
  }

  @Test
  void gatewayHuntGroupDialPlan_createGetSetRemove_asTheWriter() {
    ok(
        "dialplan",
        "new",
        "DS389 Plan",
        "--uri-type",
        "TelExtn",
        "--number-of-digits-in-extension",
        "5",
        "--access-telephone-number",
        "+1 425 555 0389");
    try {
      CliRun created =
          ok("gateway", "new", "ds389-gw", "--address", "192.0.2.89", "--dial-plan", "DS389 Plan");
      assertThat(created.out())
          .isEqualTo(
              "created UM IP gateway \"ds389-gw\" at 192.0.2.89\n"
                  + "created UM hunt group \"ds389-gw/Default Hunt Group\" in UM dial plan"
                  + " \"DS389 Plan\"\n");
      ok("gateway", "set", "ds389-gw", "--port", "5070", "--description", "on 389");
      ok(
          "huntgroup",
          "new",
          "Pilot",
          "--gateway",
          "ds389-gw",
          "--dial-plan",
          "DS389 Plan",
          "--pilot-identifier",
          "38900");
      assertThat(ok("gateway", "get", "ds389-gw", "--format", "json").out())
          .contains("\"address\" : \"192.0.2.89\"")
          .contains("\"port\" : 5070")
          .contains("\"description\" : \"on 389\"");
      assertThat(ok("huntgroup", "get", "--gateway", "ds389-gw").out())
          .contains("Default Hunt Group")
          .contains("Pilot");
      ok("dialplan", "set", "DS389 Plan", "--description", "set on 389");
      assertThat(ok("dialplan", "get", "DS389 Plan", "--format", "json").out())
          .contains("\"description\" : \"set on 389\"")
          .contains("+1 425 555 0389");
      // The rules read 389 like any other server.
      fails(
          "UM hunt group \"ds389-gw/Other\": umPilotIdentifier \"38900\": the pilot is already"
              + " used by UM hunt group \"ds389-gw/Pilot\"",
          "huntgroup",
          "new",
          "Other",
          "--gateway",
          "ds389-gw",
          "--dial-plan",
          "DS389 Plan",
          "--pilot-identifier",
          "38900");
      fails(
          "UM dial plan \"DS389 Plan\": umURIType \"E164\": cannot change after creation (it is"
              + " TelExtn)",
          "dialplan",
          "set",
          "DS389 Plan",
          "--uri-type",
          "E164");
      ok("huntgroup", "remove", "ds389-gw/Pilot");
      ok("gateway", "remove", "ds389-gw");
      fails("UM IP gateway \"ds389-gw\": not found", "gateway", "get", "ds389-gw");
    } finally {
      umgw("gateway", "remove", "ds389-gw");
      umgw("dialplan", "remove", "DS389 Plan");
    }
    assertThat(umgw("dialplan", "get", "DS389 Plan").code()).isEqualTo(1);
  }

  @Test
  void writerWithoutAnAci_isRefusedByTheServer_withACleanError() {
    // Directory Manager aside, only the writer's ACIs allow writes: an anonymous write fails.
    CliRun r =
        CliRun.run(
            Map.of("UMGW_LDAP_URL", DS.ds().url()),
            List.of(),
            "gateway",
            "new",
            "anon-gw",
            "--address",
            "192.0.2.90");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("umgw: ").doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void trustListExport_sample_equalsSlapdAndTheEmbeddedDirectory() throws Exception {
    String embeddedDir = tmp.resolve("embedded").toString();
    CliRun init = CliRun.run(Map.of(), List.of(), "init", "--data-dir", embeddedDir);
    assertThat(init.code()).as(init.toString()).isZero();
    for (String format : List.of("json", "text", "kamailio")) {
      CliRun on389 = export(List.of("--ldap-url", DS.ds().url()), format);
      CliRun onSlapd = export(List.of("--ldap-url", SLAPD.slapd().url()), format);
      CliRun embedded = export(List.of("--data-dir", tmp.resolve("embedded").toString()), format);
      assertThat(on389.code()).as(on389.toString()).isZero();
      assertThat(onSlapd.code()).as(onSlapd.toString()).isZero();
      assertThat(embedded.code()).as(embedded.toString()).isZero();
      assertThat(normalized(on389.out())).as(format).isEqualTo(normalized(onSlapd.out()));
      assertThat(normalized(on389.out())).as(format).isEqualTo(normalized(embedded.out()));
      assertThat(on389.err()).contains("event 1175 Warning: IP address 127.0.0.3");
      assertThat(events(on389.err())).isEqualTo(events(onSlapd.err()));
    }
  }

  private static CliRun export(List<String> directory, String format) {
    // Read anonymously: the export needs nothing but the read ACI.
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "trust-list",
                "export",
                "--format",
                format,
                "--hosts-file",
                DS.hosts().toString(),
                "--dns-server",
                "127.0.0.1:9",
                "--dns-timeout",
                "200",
                "--dns-retries",
                "0"));
    args.addAll(directory);
    return CliRun.run(Map.of(), List.of(), args.toArray(String[]::new));
  }

  private static String normalized(String export) {
    return export
        .replaceAll("generated \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z", "generated TIMESTAMP")
        .replaceAll("\"generatedAt\" : \"[^\"]+\"", "\"generatedAt\" : \"TIMESTAMP\"");
  }

  /** The event lines, without timestamps. */
  private static List<String> events(String err) {
    return err.lines()
        .filter(l -> l.contains(" event "))
        .map(l -> l.substring(l.indexOf(" event ")))
        .toList();
  }
}
