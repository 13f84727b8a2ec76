package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.umgw.directory.DirectoryLayout;
import org.umgw.schema.OpenLdapOverlays;
import org.umgw.schema.SchemaFormat;
import org.umgw.schema.UmgwSchema;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.TestDirectories;
import picocli.CommandLine;

/**
 * Every directory verb in-process against an LDAP server reached through {@code --ldap-url} (the
 * connection options come from the environment, as in production), with the exit code and the exact
 * message of each error.
 */
class CliTest {
  private static InMemoryLdap ldap;
  private static Map<String, String> env;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    ldap = InMemoryLdap.start();
    Path pw = tmp.resolve("bind.pw");
    Files.writeString(pw, "secret\n");
    env =
        Map.of(
            "UMGW_LDAP_URL",
            "ldap://127.0.0.1:" + ldap.server().getListenPort(),
            "UMGW_BIND_DN",
            "cn=admin",
            "UMGW_BIND_PASSWORD_FILE",
            pw.toString(),
            "UMGW_BASE_DN",
            DirectoryLayout.DEFAULT_BASE);
  }

  @AfterAll
  static void stop() {
    ldap.close();
  }

  @BeforeEach
  void reset() {
    assertThat(umgw("init").code()).isZero();
    var pool = ldap.pool();
    TestDirectories.wipe(pool, DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
    pool.close();
  }

  private static CliRun umgw(String... args) {
    return CliRun.run(env, List.of(), args);
  }

  private static void ok(String... args) {
    CliRun r = umgw(args);
    assertThat(r.code()).as(r.toString()).isZero();
  }

  /** A bad value: exit 2, the message, then where help is. */
  private static void refused(String message, String... args) {
    CliRun r = umgw(args);
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(r.err())
        .as(r.toString())
        .isEqualTo("umgw: " + message + " (see: umgw " + args[0] + " " + args[1] + " --help)\n");
  }

  private static void fails(String message, String... args) {
    CliRun r = umgw(args);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).as(r.toString()).isEqualTo("umgw: " + message + "\n");
  }

  static List<String> commandPaths() {
    List<String> paths = new ArrayList<>();
    collect(Main.commandLine(Map.of()), "", paths);
    return paths;
  }

  private static void collect(CommandLine cli, String prefix, List<String> out) {
    for (var e : cli.getSubcommands().entrySet()) {
      String path = (prefix + " " + e.getKey()).strip();
      out.add(path);
      collect(e.getValue(), path, out);
    }
  }

  @ParameterizedTest
  @MethodSource("commandPaths")
  void help_everyCommand_exit0(String path) {
    List<String> args = new ArrayList<>(List.of(path.split(" ")));
    args.add("--help");
    CliRun r = umgw(args.toArray(String[]::new));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).startsWith("Usage: umgw " + path);
  }

  @Test
  void unknownFlag_exit2() {
    CliRun r = umgw("gateway", "get", "--no-such-flag");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option: '--no-such-flag'");
  }

  @Test
  void passwordOnTheCommandLine_isNotAnOption() {
    assertThat(umgw("gateway", "get", "--bind-password", "secret").code()).isEqualTo(2);
  }

  @Test
  void missingRequiredOption_exit2() {
    assertThat(umgw("gateway", "new", "gw1").code()).isEqualTo(2);
  }

  @Test
  void gateway_lifecycle() {
    ok("dialplan", "new", "Sales", "--uri-type", "telextn", "--number-of-digits-in-extension", "5");
    CliRun created =
        umgw("gateway", "new", "gw1", "--address", "[2001:DB8::1]", "--dial-plan", "Sales");
    assertThat(created.out())
        .isEqualTo(
            "created UM IP gateway \"gw1\" at 2001:db8::1\n"
                + "created UM hunt group \"gw1/Default Hunt Group\" in UM dial plan \"Sales\"\n");
    ok(
        "gateway",
        "set",
        "gw1",
        "--port",
        "5070",
        "--outcalls-allowed",
        "FALSE",
        "--description",
        "lab");
    CliRun json = umgw("gateway", "get", "gw1", "--format", "json");
    assertThat(json.out())
        .contains("\"address\" : \"2001:db8::1\"")
        .contains("\"port\" : 5070")
        .contains("\"ipAddressFamily\" : \"IPv6Only\"")
        .contains("\"outcallsAllowed\" : false")
        .contains("\"description\" : \"lab\"");
    assertThat(umgw("gateway", "disable", "gw1").out())
        .isEqualTo("UM IP gateway \"gw1\" is now NoNewCalls\n");
    assertThat(umgw("gateway", "disable", "gw1", "--immediate").out())
        .isEqualTo("UM IP gateway \"gw1\" is now Disabled\n");
    assertThat(umgw("gateway", "enable", "gw1").out())
        .isEqualTo("UM IP gateway \"gw1\" is now Enabled\n");
    CliRun table = umgw("gateway", "get");
    assertThat(table.out().lines().toList())
        .hasSize(2)
        .first()
        .asString()
        .startsWith("name  address      port  ipAddressFamily  status");
    ok("gateway", "remove", "gw1");
    fails("UM IP gateway \"gw1\": not found", "gateway", "get", "gw1");
  }

  @Test
  void gateway_errors_nameObjectAndValue() {
    ok("gateway", "new", "gw1", "--address", "192.0.2.1");
    fails(
        "UM IP gateway \"gw1\": already exists", "gateway", "new", "gw1", "--address", "192.0.2.2");
    refused(
        "UM IP gateway \"gw2\": --address \"0.0.0.0\": the unspecified address 0.0.0.0 cannot be a"
            + " gateway address",
        "gateway",
        "new",
        "gw2",
        "--address",
        "0.0.0.0");
    fails(
        "UM IP gateway \"gw2\": umAddress \"192.0.2.1\": already the address of UM IP gateway"
            + " \"gw1\"",
        "gateway",
        "new",
        "gw2",
        "--address",
        "192.0.2.1");
    refused(
        "UM IP gateway \"a;b\": cn \"a;b\": the character ';' is not allowed (none of"
            + " \"/\\[]:;|=,+*?<>)",
        "gateway",
        "new",
        "a;b",
        "--address",
        "192.0.2.3");
    fails(
        "UM IP gateway \"gw1\": umIPAddressFamily \"IPv6Only\": does not admit the IPv4 literal"
            + " address 192.0.2.1",
        "gateway",
        "set",
        "gw1",
        "--ip-address-family",
        "IPv6Only");
    fails(
        "UM IP gateway \"gw1\": umStatus \"Enabled\": is already enabled",
        "gateway",
        "enable",
        "gw1");
    fails("UM IP gateway \"ghost\": not found", "gateway", "remove", "ghost");
    fails(
        "UM dial plan \"nope\": not found",
        "gateway",
        "new",
        "gw3",
        "--address",
        "192.0.2.3",
        "--dial-plan",
        "nope");
  }

  @Test
  void rules_everyViolationExits1WithItsMessage() {
    ok(
        "dialplan",
        "new",
        "Secure",
        "--uri-type",
        "TelExtn",
        "--number-of-digits-in-extension",
        "4",
        "--voip-security",
        "SIPSecured");
    ok("dialplan", "new", "Lync", "--uri-type", "SipName", "--number-of-digits-in-extension", "4");
    fails(
        "UM IP gateway \"gw1\": umAddress \"192.0.2.1\": UM dial plan \"Secure\" is SIPSecured: its"
            + " gateways need an FQDN that matches their TLS certificate",
        "gateway",
        "new",
        "gw1",
        "--address",
        "192.0.2.1",
        "--dial-plan",
        "Secure");
    fails(
        "UM IP gateway \"gw1\": umPort \"5060\": UM dial plan \"Secure\" is SIPSecured: its gateways"
            + " use port 5061 (or 0 for the default)",
        "gateway",
        "new",
        "gw1",
        "--address",
        "gw1.example.test",
        "--port",
        "5060",
        "--dial-plan",
        "Secure");
    ok("gateway", "new", "gw1", "--address", "gw1.example.test", "--dial-plan", "Lync");
    fails(
        "UM IP gateway \"gw2\": umOutcallsAllowed \"TRUE\": 2 UM IP gateways of SIP URI dial plans"
            + " allow outcalls (gw1, gw2); only one may: set umOutcallsAllowed to FALSE on all but"
            + " one",
        "gateway",
        "new",
        "gw2",
        "--address",
        "gw2.example.test",
        "--dial-plan",
        "Lync");
    ok(
        "huntgroup",
        "new",
        "Pilot",
        "--gateway",
        "gw1",
        "--dial-plan",
        "Lync",
        "--pilot-identifier",
        "UM");
    fails(
        "UM hunt group \"gw1/Other\": umPilotIdentifier \"um\": the pilot is already used by UM"
            + " hunt group \"gw1/Pilot\"",
        "huntgroup",
        "new",
        "Other",
        "--gateway",
        "gw1",
        "--dial-plan",
        "Lync",
        "--pilot-identifier",
        "um");
    fails(
        "UM dial plan \"Lync\": cannot be removed while 2 UM hunt group(s) link to it"
            + " (gw1/Default Hunt Group, gw1/Pilot)",
        "dialplan",
        "remove",
        "Lync");
    fails(
        "UM dial plan \"Lync\": umURIType \"E164\": cannot change after creation (it is SipName)",
        "dialplan",
        "set",
        "Lync",
        "--uri-type",
        "E164");
    fails(
        "UM dial plan \"Lync\": umNumberOfDigitsInExtension \"5\": cannot change after creation (it"
            + " is 4)",
        "dialplan",
        "set",
        "Lync",
        "--number-of-digits-in-extension",
        "5");
    ok("gateway", "disable", "gw1", "--immediate");
    fails(
        "UM IP gateway \"gw1\": umStatus \"NoNewCalls\": is already disabled",
        "gateway",
        "disable",
        "gw1");
  }

  @Test
  void huntGroupDialPlanServer_verbs() {
    ok(
        "dialplan",
        "new",
        "E164 Plan",
        "--uri-type",
        "E164",
        "--number-of-digits-in-extension",
        "10",
        "--country-or-region-code",
        "81",
        "--access-telephone-number",
        "+81 3 5555 0100");
    ok("dialplan", "set", "E164 Plan", "--voip-security", "Unsecured", "--description", "Tokyo");
    assertThat(umgw("dialplan", "get", "E164 Plan", "--format", "json").out())
        .contains("\"accessTelephoneNumbers\" : [ \"+81 3 5555 0100\" ]")
        .contains("\"description\" : \"Tokyo\"");
    ok("gateway", "new", "tokyo", "--address", "192.0.2.7");
    ok(
        "huntgroup",
        "new",
        "Main",
        "--gateway",
        "tokyo",
        "--dial-plan",
        "E164 Plan",
        "--pilot-identifier",
        "+81355550100");
    assertThat(umgw("huntgroup", "get", "--gateway", "tokyo").out()).contains("+81355550100");
    assertThat(umgw("huntgroup", "get", "tokyo/Main", "--format", "json").out())
        .contains("\"dialPlan\" : \"E164 Plan\"");
    fails(
        "hunt group \"Main\": expected GATEWAY/NAME, e.g. \"gw1/Default Hunt Group\"",
        "huntgroup",
        "remove",
        "Main");
    ok("huntgroup", "remove", "tokyo/Main");
    fails("UM hunt group \"tokyo/Main\": not found", "huntgroup", "remove", "tokyo/Main");
    ok("dialplan", "remove", "E164 Plan");
    ok("server", "new", "UM-01", "--internal-url", "https://um01.example.test/ews/exchange.asmx");
    assertThat(umgw("server", "get").out())
        .contains("UM-01")
        .contains("https://um01.example.test/ews/exchange.asmx");
    refused(
        "UM server \"UM-02\": --internal-url \"ftp://x\": expected an http:// or https:// URL",
        "server",
        "new",
        "UM-02",
        "--internal-url",
        "ftp://x");
    ok("server", "remove", "UM-01");
    fails("UM server \"UM-01\": not found", "server", "get", "UM-01");
  }

  @Test
  void validate_sampleIsClean_brokenDirectoryExits1() {
    var pool = ldap.pool();
    TestDirectories.load(pool, "ldif/sample.ldif");
    CliRun clean = umgw("validate");
    assertThat(clean.code()).as(clean.toString()).isZero();
    assertThat(clean.out())
        .isEqualTo(
            "4 dial plans, 9 gateways, 10 hunt groups, 2 servers: 0 invalid entries, 0 rule"
                + " violations\n");
    TestDirectories.load(pool, "ldif/invalid/rule-address-unique.ldif");
    TestDirectories.load(pool, "ldif/invalid/problem-gateway-unknown-status.ldif");
    pool.close();
    CliRun broken = umgw("validate");
    assertThat(broken.code()).isEqualTo(1);
    assertThat(broken.out())
        .contains(
            "invalid entry: cn=Paused,ou=gateways,dc=umgw,dc=example: umStatus \"Paused\":"
                + " expected one of Enabled, Disabled, NoNewCalls")
        .contains(
            "rule ADDRESS_UNIQUE: UM IP gateway \"Copycat\": umAddress \"127.0.0.2\": already the"
                + " address of UM IP gateway \"Contoso-SBC1\"")
        .endsWith("1 invalid entries, 2 rule violations\n");
    assertThat(umgw("validate", "--format", "json").out()).contains("\"valid\" : false");
  }

  @Test
  void schema_printsEveryForm() {
    for (SchemaFormat f : SchemaFormat.values()) {
      assertThat(umgw("schema", "--format", f.cliName()).out())
          .isEqualTo(UmgwSchema.load().format(f));
    }
    assertThat(umgw("schema", "--format", "nope").code()).isEqualTo(2);
  }

  @Test
  void schema_openldapOverlays_needsABaseDnAndPrintsTheLdif() {
    CliRun missing = CliRun.run(Map.of(), List.of(), "schema", "--format", "openldap-overlays");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("--format openldap-overlays needs --base-dn");
    assertThat(
            umgw(
                    "schema",
                    "--format",
                    "openldap-overlays",
                    "--base-dn",
                    "dc=x",
                    "--database-dn",
                    "x")
                .err())
        .contains("--database-dn \"x\": not a DN");

    CliRun r =
        umgw(
            "schema",
            "--format",
            "openldap-overlays",
            "--base-dn",
            "dc=umgw,dc=example",
            "--database-dn",
            "olcDatabase={2}mdb,cn=config",
            "--no-module-load");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .isEqualTo(
            OpenLdapOverlays.ldif("dc=umgw,dc=example", "olcDatabase={2}mdb,cn=config", false))
        .doesNotContain("olcModuleLoad")
        .contains(
            "olcUniqueURI: ldap:///ou=gateways,dc=umgw,dc=example?umAddress?sub?"
                + "(objectClass=umIPGateway)\n")
        .contains("dn: olcOverlay=constraint,olcDatabase={2}mdb,cn=config\n")
        .contains("olcConstraintAttribute: umStatus regex \"^(Enabled|Disabled|NoNewCalls)$\"\n");
  }

  @Test
  void unreachableDirectory_exit1NamingTheUrl() {
    CliRun r =
        CliRun.run(
            Map.of("UMGW_LDAP_URL", "ldap://127.0.0.1:1"),
            List.of(),
            "gateway",
            "get",
            "--ldap-timeout",
            "2");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("umgw: cannot connect to the directory at ldap://127.0.0.1:1");
  }

  @Test
  void completionScript_generated() {
    CliRun r = umgw("generate-completion");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("complete -F");
  }
}
