package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
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
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.Slapd;
import org.umgw.testing.TestDirectories;

/**
 * Finding 11: after an LDAP browser writes a value umgw cannot read ({@code umStatus: Bogus}, a
 * port out of range, an unknown family, two descriptions), {@code gateway enable/disable/set} and
 * {@code dialplan set} still work, replacing what they set and nothing else; {@code validate} names
 * the command that repairs each problem. On slapd, whose schema does not enforce the value sets,
 * and on the embedded directory with the values written into its snapshot.
 */
class RepairCliTest {
  private static final String BASE = DirectoryLayout.DEFAULT_BASE;
  private static final String SBC1 = "cn=Contoso-SBC1,ou=gateways," + BASE;

  private static Slapd slapd;
  private static Map<String, String> env;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    slapd = Slapd.start();
    slapd.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
    env =
        Map.of(
            "UMGW_LDAP_URL", slapd.url(),
            "UMGW_BIND_DN", slapd.rootDn(),
            "UMGW_BIND_PASSWORD_FILE", slapd.rootPasswordFile().toString());
  }

  @AfterAll
  static void stop() {
    slapd.close();
  }

  @BeforeEach
  void reset() throws Exception {
    try (LDAPConnectionPool pool = new LDAPConnectionPool(slapd.connect(), 1)) {
      TestDirectories.wipe(pool, DirectoryLayout.of(BASE));
      TestDirectories.load(pool, "ldif/sample.ldif");
    }
  }

  private static CliRun umgw(String... args) {
    return CliRun.run(env, List.of(), args);
  }

  private static CliRun ok(String... args) {
    CliRun r = umgw(args);
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  /** What a browser does: replace values past umgw, as the schema allows. */
  private static void browserWrites(String dn, String... attributeValues) {
    StringBuilder ldif = new StringBuilder("dn: " + dn + "\nchangetype: modify\n");
    for (int i = 0; i < attributeValues.length; i++) {
      String[] av = attributeValues[i].split(": ", 2);
      if (i > 0) {
        ldif.append("-\n");
      }
      ldif.append("replace: ").append(av[0]).append('\n').append(attributeValues[i]).append('\n');
    }
    try {
      Path file = Files.createTempFile(slapd.workDir(), "browser-", ".ldif");
      Files.writeString(file, ldif.toString());
      slapd.ldapTool("ldapmodify", "-f", file.toString()).assertOk();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String stored(String dn, String attribute) {
    Slapd.ToolResult r = slapd.ldapTool("ldapsearch", "-LLL", "-b", dn, "-s", "base", attribute);
    r.assertOk();
    return r.stdout().lines().filter(l -> l.startsWith(attribute + ": ")).toList().toString();
  }

  @Test
  void disableImmediate_unreadableStatus_writesDisabled() {
    browserWrites(SBC1, "umStatus: Bogus");
    CliRun r = ok("gateway", "disable", "Contoso-SBC1", "--immediate");
    assertThat(r.out()).contains("UM IP gateway \"Contoso-SBC1\" is now Disabled");
    assertThat(stored(SBC1, "umStatus")).isEqualTo("[umStatus: Disabled]");
    // Once readable, the transition rules apply again.
    CliRun again = umgw("gateway", "disable", "Contoso-SBC1", "--immediate");
    assertThat(again.code()).as(again.toString()).isEqualTo(1);
    assertThat(again.err()).contains("is already disabled");
  }

  @Test
  void disable_unreadablePortAndFamily_writesOnlyTheStatus() {
    browserWrites(SBC1, "umPort: 70000", "umIPAddressFamily: IPv5");
    ok("gateway", "disable", "Contoso-SBC1");
    assertThat(stored(SBC1, "umStatus")).isEqualTo("[umStatus: NoNewCalls]");
    assertThat(stored(SBC1, "umPort")).isEqualTo("[umPort: 70000]");
    assertThat(stored(SBC1, "umIPAddressFamily")).isEqualTo("[umIPAddressFamily: IPv5]");
  }

  @Test
  void enable_unreadableStatus_writesEnabled() {
    browserWrites(SBC1, "umStatus: Bogus");
    ok("gateway", "enable", "Contoso-SBC1");
    assertThat(stored(SBC1, "umStatus")).isEqualTo("[umStatus: Enabled]");
  }

  @Test
  void set_repairsWhatItSets_leavesTheUnreadableStatusAlone() {
    browserWrites(
        SBC1,
        "umPort: 70000",
        "umStatus: Bogus",
        "umIPAddressFamily: IPv5",
        "description: one\ndescription: two");
    ok("gateway", "set", "Contoso-SBC1", "--port", "5060");
    assertThat(stored(SBC1, "umPort")).isEqualTo("[umPort: 5060]");
    // Not set: an unreadable status is never turned into Enabled behind the operator's back.
    assertThat(stored(SBC1, "umStatus")).isEqualTo("[umStatus: Bogus]");
    assertThat(stored(SBC1, "umIPAddressFamily")).isEqualTo("[umIPAddressFamily: IPv5]");

    ok(
        "gateway",
        "set",
        "Contoso-SBC1",
        "--ip-address-family",
        "IPv4Only",
        "--description",
        "repaired");
    assertThat(stored(SBC1, "umIPAddressFamily")).isEqualTo("[umIPAddressFamily: IPv4Only]");
    assertThat(stored(SBC1, "description")).isEqualTo("[description: repaired]");
    ok("gateway", "disable", "Contoso-SBC1", "--immediate");
    CliRun get = ok("gateway", "get", "Contoso-SBC1", "--format", "json");
    assertThat(get.out()).contains("\"status\" : \"Disabled\"").contains("\"port\" : 5060");
  }

  @Test
  void dialPlanSet_repairsUnreadableValues_immutableRuleOnlyWhenReadable() {
    String dp = "cn=Contoso Extensions,ou=dialplans," + BASE;
    browserWrites(dp, "umVoIPSecurity: Bogus", "umNumberOfDigitsInExtension: 0");
    ok("dialplan", "set", "Contoso Extensions", "--voip-security", "Unsecured");
    assertThat(stored(dp, "umVoIPSecurity")).isEqualTo("[umVoIPSecurity: Unsecured]");
    assertThat(stored(dp, "umNumberOfDigitsInExtension"))
        .isEqualTo("[umNumberOfDigitsInExtension: 0]");
    ok("dialplan", "set", "Contoso Extensions", "--number-of-digits-in-extension", "5");
    assertThat(stored(dp, "umNumberOfDigitsInExtension"))
        .isEqualTo("[umNumberOfDigitsInExtension: 5]");
    // Readable again: the value is immutable.
    CliRun r =
        umgw("dialplan", "set", "Contoso Extensions", "--number-of-digits-in-extension", "6");
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).contains("cannot change after creation (it is 5)");
  }

  @Test
  void validate_namesTheRepairCommand_textAndJson() {
    browserWrites(SBC1, "umStatus: Bogus");
    browserWrites("cn=Fabrikam-SBC,ou=gateways," + BASE, "umPort: 70000");
    // A second gateway on Retired-Gateway's address, and a second catch-all hunt group.
    browserWrites("cn=Lab Simulator,ou=gateways," + BASE, "umAddress: 127.0.0.4");
    TestDirectoriesLdif.add(
        slapd,
        "dn: cn=Second Catch-All,cn=Tokyo-Gateway,ou=gateways," + BASE,
        "objectClass: top",
        "objectClass: umHuntGroup",
        "cn: Second Catch-All",
        "umDialPlanLink: cn=Contoso Extensions,ou=dialplans," + BASE);

    CliRun text = umgw("validate");
    assertThat(text.code()).as(text.toString()).isEqualTo(1);
    assertThat(text.out())
        .contains("invalid entry: " + SBC1 + ": umStatus \"Bogus\": ")
        .contains("  repair: umgw gateway disable \"Contoso-SBC1\" --immediate")
        .contains("  repair: umgw gateway set \"Fabrikam-SBC\" --port N")
        .contains("rule ADDRESS_UNIQUE: ")
        .contains("  repair: umgw gateway set \"Lab Simulator\" --address A")
        .contains("rule PILOT_UNIQUE: ")
        .contains("  repair: umgw huntgroup remove \"Tokyo-Gateway/Second Catch-All\"");

    CliRun json = umgw("validate", "--format", "json");
    assertThat(json.code()).isEqualTo(1);
    assertThat(json.out())
        .contains("\"repair\" : \"umgw gateway disable \\\"Contoso-SBC1\\\" --immediate\"")
        .contains("\"repair\" : \"umgw gateway set \\\"Fabrikam-SBC\\\" --port N\"")
        .contains("\"repair\" : \"umgw huntgroup remove \\\"Tokyo-Gateway/Second Catch-All\\\"\"");

    // Each named command does repair it.
    ok("gateway", "disable", "Contoso-SBC1", "--immediate");
    ok("gateway", "set", "Fabrikam-SBC", "--port", "5061");
    ok("gateway", "set", "Lab Simulator", "--address", "127.0.0.55");
    ok("huntgroup", "remove", "Tokyo-Gateway/Second Catch-All");
    CliRun after = umgw("validate");
    assertThat(after.code()).as(after.toString()).isZero();
  }

  @Test
  void embedded_unreadableValuesInTheSnapshot_repairedByTheCli() throws Exception {
    Path data = tmp.resolve("data");
    Map<String, String> embedded = Map.of("UMGW_DATA_DIR", data.toString());
    assertThat(CliRun.run(embedded, List.of(), "init").code()).isZero();
    // Past every check of the server: the values go straight into the stored snapshot.
    Path snapshot = data.resolve("snapshot.ldif");
    String before = Files.readString(snapshot);
    int at = before.indexOf("dn: " + SBC1);
    assertThat(at).isNotNegative();
    int end = before.indexOf("\n\n", at);
    String entry = before.substring(at, end);
    Files.writeString(
        snapshot,
        before.substring(0, at)
            + entry
                .replace("umStatus: Enabled", "umStatus: Bogus")
                .replace("umPort: 5060", "umPort: 70000")
            + before.substring(end));

    CliRun invalid = CliRun.run(embedded, List.of(), "validate");
    assertThat(invalid.code()).as(invalid.toString()).isEqualTo(1);
    assertThat(invalid.out()).contains("  repair: umgw gateway ");

    CliRun disable =
        CliRun.run(embedded, List.of(), "gateway", "disable", "Contoso-SBC1", "--immediate");
    assertThat(disable.code()).as(disable.toString()).isZero();
    CliRun set =
        CliRun.run(embedded, List.of(), "gateway", "set", "Contoso-SBC1", "--port", "5060");
    assertThat(set.code()).as(set.toString()).isZero();
    CliRun get =
        CliRun.run(embedded, List.of(), "gateway", "get", "Contoso-SBC1", "--format", "json");
    assertThat(get.out()).contains("\"status\" : \"Disabled\"").contains("\"port\" : 5060");
    CliRun valid = CliRun.run(embedded, List.of(), "validate");
    assertThat(valid.code()).as(valid.toString()).isZero();
  }

  /** Adds an entry as a browser would, with ldapadd. */
  private static final class TestDirectoriesLdif {
    static void add(Slapd slapd, String... lines) {
      List<String> all = new ArrayList<>(List.of(lines));
      try {
        Path file = Files.createTempFile(slapd.workDir(), "browser-add-", ".ldif");
        Files.writeString(file, String.join("\n", all) + "\n");
        slapd.ldapTool("ldapadd", "-f", file.toString()).assertOk();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
