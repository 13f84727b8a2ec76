package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Keeps {@code docs/cli.md} equal to the commands' own usage help, so the reference never drifts.
 * Regenerate with {@code mvn test -Dtest=CliReferenceTest -Dumgw.regenerate=true}.
 */
class CliReferenceTest {
  private static final Path DOC = Path.of("docs", "cli.md");

  static String reference() {
    StringBuilder md = new StringBuilder();
    md.append("# CLI reference\n\n")
        .append("Generated from the commands' usage help (`CliReferenceTest` keeps it current).\n")
        .append("Run as `java -jar target/umgw.jar COMMAND ...`.\n\n")
        .append("Exit codes: 0 success; 1 failure (a rule broken, an object missing or already")
        .append(" there, the directory unreachable); 2 usage error: an unknown option, a missing")
        .append(" one, or any option value outside its domain (a port over 65535, `--max-shrink")
        .append(" 150`, an address that does not parse, a password file that does not exist),")
        .append(" reported in one line naming the option and the value before anything is opened")
        .append(" or written. An internal error (a bug) says so in one line; `UMGW_DEBUG=1` adds")
        .append(" its stack trace.\n")
        .append("Every error message names the object (kind and name, or DN) and the offending")
        .append(" attribute and value.\n\n")
        .append("Connection options (every directory command): without `--ldap-url` the")
        .append(" embedded directory under `--data-dir` is used; `UMGW_LDAP_URL`, `UMGW_BIND_DN`,")
        .append(" `UMGW_BIND_PASSWORD_FILE`, `UMGW_BASE_DN` and `UMGW_DATA_DIR` supply defaults.")
        .append(" A password is never accepted on the command line.\n\n")
        .append("No silent sample: an option or variable meant for a directory server")
        .append(" (`--bind-dn`, `--bind-password-file`, `--start-tls`, `--trust-store`,")
        .append(" `--trust-store-password-file`, `--ldap-timeout`, `UMGW_BIND_DN`,")
        .append(" `UMGW_BIND_PASSWORD_FILE`) without `--ldap-url` is a usage error (exit 2) naming")
        .append(" the missing `--ldap-url`; `--base-dn` applies to the embedded directory too.")
        .append(" Only `init`, `serve` and the read-only `trust-list show` and `... get` commands")
        .append(" create a missing data directory (seeded with `ldif/sample.ldif` under the")
        .append(" default base, empty containers under another); every other command, writes")
        .append(" and `validate` included, fails (exit 1) on one that does not exist and says")
        .append(" to run `umgw init --data-dir DIR`.\n\n")
        .append("Repairs without an LDAP browser: `gateway set`, `enable`, `disable` and")
        .append(" `dialplan set` work on an entry holding values umgw cannot read (`umStatus:")
        .append(" Bogus`, `umPort: 70000`, two descriptions, ...): each replaces what it sets and")
        .append(" leaves the other values as they are (a `set --port` never turns an unreadable")
        .append(" status into Enabled). The status transition rules (already enabled, ...) and the")
        .append(" immutability of a dial plan's URI type and digits apply only to readable values.")
        .append(" `validate` prints the command that repairs each problem (`repair:` in text,")
        .append(" `\"repair\"` in json).\n\n")
        .append(
            "Shell completion: `java -jar target/umgw.jar generate-completion > umgw.bash`, then")
        .append(" `source umgw.bash` (bash and zsh).\n");
    section(md, Main.commandLine(Map.of()), "umgw");
    return md.toString();
  }

  private static void section(StringBuilder md, CommandLine cli, String path) {
    md.append("\n## ").append(path).append("\n\n```\n");
    md.append(cli.getUsageMessage(CommandLine.Help.Ansi.OFF).stripTrailing()).append("\n```\n");
    for (var e : cli.getSubcommands().entrySet()) {
      section(md, e.getValue(), path + " " + e.getKey());
    }
  }

  @Test
  void docsCliMd_equalsTheUsageHelp() throws Exception {
    String expected = reference();
    if (Boolean.getBoolean("umgw.regenerate")) {
      Files.writeString(DOC, expected);
    }
    assertThat(Files.exists(DOC) ? Files.readString(DOC) : "")
        .as("docs/cli.md is stale: mvn test -Dtest=CliReferenceTest -Dumgw.regenerate=true")
        .isEqualTo(expected);
  }
}
