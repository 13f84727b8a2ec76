package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code umgw serve} in a child process, driven by OpenLDAP's own client tools as an administrator
 * would: ldapsearch of the subschema, ldapadd, ldapmodify and ldapdelete with and without a bind,
 * schema violations, and the writes still there after the server stops.
 */
class ServeLdapToolsTest {
  private static final String BASE = "dc=umgw,dc=example";
  private static final String ADMIN = "cn=admin," + BASE;

  @TempDir static Path tmp;
  private static UmgwServe serve;
  private static String url;
  private static Path dataDir;

  record Tool(int code, String out) {}

  @BeforeAll
  static void start() throws Exception {
    for (String tool : List.of("ldapsearch", "ldapadd", "ldapmodify", "ldapdelete")) {
      assertThat(Path.of("/usr/bin", tool))
          .as(tool + " (ldap-utils) is required: run .ci/run or apt-get install ldap-utils")
          .exists();
    }
    dataDir = tmp.resolve("data");
    serve = UmgwServe.start(tmp, dataDir);
    url = serve.url();
  }

  @AfterAll
  static void stop() {
    if (serve != null) {
      serve.close();
    }
  }

  private static Tool tool(String input, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(args));
    cmd.add(1, "-H");
    cmd.add(2, url);
    cmd.add(3, "-x");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("LDAPNOINIT", "1");
    Process p = pb.start();
    if (input != null) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Tool(p.exitValue(), out);
  }

  private static String[] asAdmin(String tool, String... args) {
    List<String> cmd =
        new ArrayList<>(List.of(tool, "-D", ADMIN, "-y", dataDir.resolve("admin.pw").toString()));
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  @Test
  void ldapsearch_subschemaShowsOurClassesWithDescriptions() throws Exception {
    Tool root = tool(null, "ldapsearch", "-LLL", "-b", "", "-s", "base", "subschemaSubentry");
    assertThat(root.code()).isZero();
    String subschema =
        root.out()
            .lines()
            .filter(l -> l.startsWith("subschemaSubentry:"))
            .findFirst()
            .orElseThrow()
            .substring("subschemaSubentry:".length())
            .strip();
    Tool schema =
        tool(null, "ldapsearch", "-LLL", "-o", "ldif-wrap=no", "-b", subschema, "-s", "base", "+");
    assertThat(schema.code()).as(schema.out()).isZero();
    assertThat(schema.out())
        .contains(
            "NAME 'umIPGateway' DESC 'UM IP gateway: a VoIP gateway, IP PBX or session border controller")
        .contains("NAME 'umHuntGroup' DESC '")
        .contains("NAME 'umDialPlan' DESC '")
        .contains("NAME 'umServer' DESC '")
        .contains("NAME 'umAddress' DESC 'SIP address of a UM IP gateway");
  }

  @Test
  void ldapaddModifyDelete_boundWritesPersist_anonymousAndInvalidRefused() throws Exception {
    String plan =
        "dn: cn=Browser Plan,ou=dialplans,"
            + BASE
            + "\n"
            + "objectClass: top\nobjectClass: umDialPlan\ncn: Browser Plan\n"
            + "umURIType: TelExtn\numNumberOfDigitsInExtension: 4\n";
    Tool anonymous = tool(plan, "ldapadd");
    assertThat(anonymous.code()).as(anonymous.out()).isEqualTo(50);

    Tool added = tool(plan, asAdmin("ldapadd"));
    assertThat(added.code()).as(added.out()).isZero();

    Tool invalid =
        tool(
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + BASE
                + "\nchangetype: modify\nreplace: umPort\numPort: five\n",
            asAdmin("ldapmodify"));
    assertThat(invalid.code()).as(invalid.out()).isNotZero();
    Tool missingMust =
        tool(
            "dn: cn=No Address,ou=gateways,"
                + BASE
                + "\nobjectClass: umIPGateway\ncn: No Address\n",
            asAdmin("ldapadd"));
    assertThat(missingMust.code()).as(missingMust.out()).isEqualTo(65);

    Tool mistyped =
        tool(
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + BASE
                + "\nchangetype: modify\nreplace: umStatus\numStatus: Disable\n",
            asAdmin("ldapmodify"));
    assertThat(mistyped.code()).as(mistyped.out()).isEqualTo(19);
    assertThat(mistyped.out())
        .contains(
            "cn=Contoso-SBC1,ou=gateways,"
                + BASE
                + ": umStatus \"Disable\": expected one of Enabled, Disabled, NoNewCalls");

    Tool modified =
        tool(
            "dn: cn=Contoso-SBC1,ou=gateways,"
                + BASE
                + "\nchangetype: modify\nreplace: umPort\numPort: 5070\n",
            asAdmin("ldapmodify"));
    assertThat(modified.code()).as(modified.out()).isZero();
    Tool deleted = tool(null, asAdmin("ldapdelete", "cn=UM-Server-02,ou=servers," + BASE));
    assertThat(deleted.code()).as(deleted.out()).isZero();

    Tool read =
        tool(
            null,
            "ldapsearch",
            "-LLL",
            "-b",
            "cn=Contoso-SBC1,ou=gateways," + BASE,
            "-s",
            "base",
            "umPort");
    assertThat(read.out()).contains("umPort: 5070");

    // Stop the server; the writes are on disk and the CLI sees them.
    assertThat(serve.stop(Duration.ofSeconds(15))).as("serve exits on SIGTERM").isTrue();
    Map<String, String> env = Map.of("UMGW_DATA_DIR", dataDir.toString());
    CliRun dp = CliRun.run(env, List.of(), "dialplan", "get", "Browser Plan");
    assertThat(dp.code()).as(dp.toString()).isZero();
    CliRun gw = CliRun.run(env, List.of(), "gateway", "get", "Contoso-SBC1", "--format", "json");
    assertThat(gw.out()).contains("\"port\" : 5070");
    CliRun server = CliRun.run(env, List.of(), "server", "get", "UM-Server-02");
    assertThat(server.code()).isEqualTo(1);
    assertThat(Files.exists(dataDir.resolve("lock"))).isTrue();
  }
}
