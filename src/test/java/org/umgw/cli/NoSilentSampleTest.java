package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Finding 5: without an LDAP URL, a connection option meant for a server is a usage error, and only
 * {@code init}, {@code serve} and the read-only {@code show}/{@code get} commands may create (and
 * seed with the sample) a data directory; a nightly export with a broken environment file must
 * never write the sample's peers.
 */
class NoSilentSampleTest {
  private static final List<String> NO_DNS =
      List.of(
          "--dns-server",
          "127.0.0.1:9",
          "--dns-timeout",
          "200",
          "--dns-retries",
          "0",
          "--hosts-file",
          "/dev/null");

  @TempDir Path tmp;

  private Path data() {
    return tmp.resolve("data");
  }

  private CliRun umgw(Map<String, String> env, List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--data-dir", data().toString()));
    return CliRun.run(env, List.of(), all.toArray(String[]::new));
  }

  /** Each server-only option or variable, given to a reading and a writing command. */
  @ParameterizedTest(name = "{0} {1} / env {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gateway get     | --bind-dn cn=admin,dc=example          |                       |"
            + " --bind-dn",
        "trust-list show | --start-tls                            |                       |"
            + " --start-tls",
        "trust-list show | --trust-store /dev/null               |                       |"
            + " --trust-store",
        "gateway get     | --trust-store-password-file /dev/null  |                       |"
            + " --trust-store-password-file",
        "gateway get     | --ldap-timeout 5                       |                       |"
            + " --ldap-timeout",
        "gateway get     | --bind-password-file /dev/null         |                       |"
            + " --bind-password-file",
        "validate        |                                        | UMGW_BIND_DN=cn=x     |"
            + " UMGW_BIND_DN",
        "gateway enable gw1 |                                     | UMGW_BIND_PASSWORD_FILE=/dev/null |"
            + " UMGW_BIND_PASSWORD_FILE",
        "init            | --start-tls                            |                       |"
            + " --start-tls",
      })
  void serverOptionWithoutLdapUrl_usageError_noDataDirectory(
      String command, String option, String variable, String named) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    if (option != null) {
      args.addAll(List.of(option.split(" ")));
    }
    Map<String, String> env =
        variable == null ? Map.of() : Map.of(variable.split("=", 2)[0], variable.split("=", 2)[1]);
    CliRun r = umgw(env, args);
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(r.err())
        .as(r.toString())
        .startsWith("umgw: " + named + " is given but no --ldap-url (nor UMGW_LDAP_URL)");
    assertThat(data()).doesNotExist();
  }

  @Test
  void nightlyExport_brokenEnvironmentFile_writesNothing() {
    Path file = tmp.resolve("kamailio.list");
    List<String> args =
        new ArrayList<>(List.of("trust-list", "export", "--format", "kamailio", "--out"));
    args.add(file.toString());
    args.addAll(NO_DNS);
    // UMGW_LDAP_URL misspelt: the bind DN and password file show a server was meant.
    CliRun r =
        umgw(
            Map.of(
                "UMGW_LDAPURL", "ldap://ldap1.example.com",
                "UMGW_BIND_DN", "cn=umgw-export,dc=example,dc=com",
                "UMGW_BIND_PASSWORD_FILE", "/etc/umgw/bind.pw"),
            args);
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(file).doesNotExist();
    assertThat(data()).doesNotExist();
  }

  /** The commands that must not create a data directory, each on one that does not exist. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "trust-list export --out -",
    "trust-list watch --count 1",
    "probe --once --deadline 1",
    "validate",
    "gateway new gw9 --address 192.0.2.9",
    "gateway disable Contoso-SBC1 --immediate",
    "dialplan new DP9 --uri-type TelExtn --number-of-digits-in-extension 4",
    "server remove UM-Server-01",
  })
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // watch would wait for a change forever
  void missingDataDirectory_refusedWithHowToCreateIt(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    if (command.startsWith("trust-list") || command.startsWith("probe")) {
      args.addAll(NO_DNS);
    }
    CliRun r = umgw(Map.of(), args);
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.FAILURE);
    assertThat(r.err())
        .as(r.toString())
        .isEqualTo(
            "umgw: there is no embedded directory in "
                + data().toAbsolutePath()
                + " and "
                + command.split(" ")[0]
                + (command.startsWith("gateway")
                        || command.startsWith("dialplan")
                        || command.startsWith("server")
                        || command.startsWith("trust-list")
                    ? " " + command.split(" ")[1]
                    : "")
                + " does not create one: create it with `umgw init --data-dir "
                + data()
                + "` (seeded with the sample directory under the default base), or name the"
                + " directory server with --ldap-url\n");
    assertThat(r.out()).isEmpty();
    assertThat(data()).doesNotExist();
  }

  @Test
  void readOnlyCommandsAndInit_createTheSampleDirectory() throws Exception {
    CliRun get = umgw(Map.of(), List.of("gateway", "get", "Contoso-SBC1"));
    assertThat(get.code()).as(get.toString()).isZero();
    assertThat(get.out()).contains("Contoso-SBC1");
    assertThat(Files.exists(data().resolve("snapshot.ldif"))).isTrue();

    Path other = tmp.resolve("other");
    CliRun init = CliRun.run(Map.of(), List.of(), "init", "--data-dir", other.toString());
    assertThat(init.code()).as(init.toString()).isZero();
    List<String> export =
        new ArrayList<>(
            List.of("trust-list", "export", "--out", "-", "--allow-dns-failures", "--data-dir"));
    export.add(other.toString());
    export.addAll(NO_DNS);
    CliRun r = CliRun.run(Map.of(), List.of(), export.toArray(String[]::new));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).contains("\n127.0.0.2\n");
  }
}
