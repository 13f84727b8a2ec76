package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Walks every option of every command with a bad value: exit 2, one line on stderr naming the
 * option and the value, no stack trace, nothing created. An option added without a bad value here
 * (or a place in {@link OptionChecks#FREE}) fails {@link #everyOptionHasABadValue}.
 */
class UsageErrorTableTest {
  @TempDir static Path tmp;
  static Path regularFile;

  /** A value each option must refuse; {file} is a regular file (for options wanting a dir). */
  static final Map<String, String> BAD =
      Map.ofEntries(
          Map.entry("--ldap-url", "http://ldap.example.com"),
          Map.entry("--bind-dn", "not a dn"),
          Map.entry("--writer-dn", "writer at example"),
          Map.entry("--max-connections", "0"),
          Map.entry("--size-limit", "0"),
          Map.entry("--time-limit", "0"),
          Map.entry("--from-ldap", "ldap//dc1.contoso.com"),
          Map.entry("--from-bind-dn", "contoso\\admin"),
          Map.entry("--from-base-dn", "Configuration"),
          Map.entry("--from-bind-password-file", "/nonexistent/umgw/ad.pw"),
          Map.entry("--from-trust-store", "/nonexistent/umgw/ad-ca.pem"),
          Map.entry("--base-dn", "=="),
          Map.entry("--database-dn", "olcDatabase"),
          Map.entry("--bind-password-file", "/nonexistent/umgw/bind.pw"),
          Map.entry("--trust-store", "/nonexistent/umgw/ca.pem"),
          Map.entry("--trust-store-password-file", "/nonexistent/umgw/ca.pw"),
          Map.entry("--tls-trust-store", "/nonexistent/umgw/ca.p12"),
          Map.entry("--tls-trust-store-password-file", "/nonexistent/umgw/ca.pw"),
          Map.entry("--tls-key-store", "/nonexistent/umgw/key.p12"),
          Map.entry("--tls-key-store-password-file", "/nonexistent/umgw/key.pw"),
          Map.entry("--tls-client-cert", "/nonexistent/umgw/client.pem"),
          Map.entry("--tls-client-key", "/nonexistent/umgw/client.key"),
          Map.entry("--tls-client-key-password-file", "/nonexistent/umgw/client.pw"),
          Map.entry("--tls-cert", "/nonexistent/umgw/server.pem"),
          Map.entry("--tls-key", "/nonexistent/umgw/server.key"),
          Map.entry("--tls-key-password-file", "/nonexistent/umgw/server.pw"),
          Map.entry("--tls-client-ca", "/nonexistent/umgw/gateways-ca.pem"),
          Map.entry("--tls-client-ca-password-file", "/nonexistent/umgw/gateways-ca.pw"),
          Map.entry("--certificate-warning-days", "3651"),
          Map.entry("--dnssec-trust-anchors", "/nonexistent/umgw/root.key"),
          Map.entry("--hosts-file", "/nonexistent/umgw/hosts"),
          Map.entry("--admin-password-file", "/nonexistent/umgw/admin.pw"),
          Map.entry("--data-dir", "{file}"),
          Map.entry("--out", "/nonexistent/umgw/trusted.list"),
          Map.entry("--ldap-timeout", "0"),
          Map.entry("--dns-timeout", "0"),
          Map.entry("--dns-retries", "11"),
          Map.entry("--dns-server", "[::1"),
          Map.entry("--feed", "push"),
          Map.entry("--poll-interval", "0"),
          Map.entry("--interval", "0"),
          Map.entry("--deadline", "-1"),
          Map.entry("--accept", "200,99"),
          Map.entry("--down-after", "0"),
          Map.entry("--up-after", "0"),
          Map.entry("--count", "0"),
          Map.entry("--transport", "sctp"),
          Map.entry("--listen", "localhost:99999"),
          Map.entry("--session-timeout", "0"),
          Map.entry("--login-base", "not a dn"),
          Map.entry("--max-shrink", "150"),
          Map.entry("--mode", "0755"),
          Map.entry("--kamailio-rpc", "127.0.0.1:5071/RPC"),
          Map.entry("--reload-delta", "-1"),
          Map.entry("--reload-timeout", "0"),
          Map.entry("--reload-command", "no-such-program-umgw -f {file}"),
          Map.entry("--metrics-listen", "127.0.0.1"),
          Map.entry("--kamailio-group", "-1"),
          Map.entry("--list-name", "bad name"),
          Map.entry("--format", "xml"),
          Map.entry("--address", "not an address!"),
          Map.entry("--port", "70000"),
          Map.entry("--gateway", "a/b"),
          Map.entry("--dial-plan", " padded"),
          Map.entry("--pilot-identifier", "1".repeat(65)),
          Map.entry("--number-of-digits-in-extension", "21"),
          Map.entry("--country-or-region-code", "12345"),
          Map.entry("--access-telephone-number", "call me"),
          Map.entry("--internal-url", "ftp://um1.example.com"),
          Map.entry("--uri-type", "bogus"),
          Map.entry("--voip-security", "bogus"),
          Map.entry("--ip-address-family", "bogus"),
          Map.entry("--simulator", "maybe"),
          Map.entry("--outcalls-allowed", "maybe"),
          Map.entry("--message-waiting-indicator-allowed", "maybe"),
          Map.entry("--delayed-source-party-info-enabled", "maybe"));

  /** Valid values for required options and parameters, so the bad one is what is reported. */
  static final Map<String, String> GOOD =
      Map.ofEntries(
          Map.entry("--address", "192.0.2.1"),
          Map.entry("--dial-plan", "DP1"),
          Map.entry("--gateway", "gw1"),
          Map.entry("--uri-type", "telextn"),
          Map.entry("--number-of-digits-in-extension", "5"),
          Map.entry("--internal-url", "https://um1.example.com"),
          Map.entry("--from-ldap", "ldap://127.0.0.1:1"),
          Map.entry("--from-base-dn", "dc=contoso,dc=test"),
          Map.entry("--listen", "udp:127.0.0.1:5060"),
          Map.entry("--format", "kamailio"),
          Map.entry("--out", "/tmp/umgw-usage-table.list"));

  @BeforeAll
  static void files() throws IOException {
    regularFile = Files.writeString(tmp.resolve("a-file"), "x");
  }

  record Case(List<String> command, OptionSpec option, CommandLine cl) {
    @Override
    public String toString() {
      return String.join(" ", command) + " " + option.longestName();
    }
  }

  static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    walk(Main.commandLine(Map.of()), List.of(), cases);
    return cases;
  }

  private static void walk(CommandLine cl, List<String> path, List<Case> cases) {
    for (OptionSpec o : cl.getCommandSpec().options()) {
      if (!o.usageHelp() && !o.versionHelp() && o.arity().max() > 0) {
        cases.add(new Case(path, o, cl));
      }
    }
    cl.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("generate-completion")) {
                List<String> p = new ArrayList<>(path);
                p.add(name);
                walk(sub, p, cases);
              }
            });
  }

  @Test
  void everyOptionHasABadValue() {
    TreeSet<String> missing = new TreeSet<>();
    for (Case c : cases()) {
      String name = c.option().longestName();
      if (!BAD.containsKey(name) && !OptionChecks.FREE.contains(name)) {
        missing.add(name + " (" + c + ")");
      }
    }
    assertThat(missing).as("options without a bad value in UsageErrorTableTest.BAD").isEmpty();
  }

  static Stream<Arguments> badValues() {
    return cases().stream()
        .filter(c -> BAD.containsKey(c.option().longestName()))
        .map(c -> Arguments.of(c.toString(), c));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badValues")
  void badValueIsAUsageErrorNamingOptionAndValue(String name, Case c) {
    String option = c.option().longestName();
    String bad = BAD.get(option).replace("{file}", regularFile.toString());
    Path data = tmp.resolve("data-" + Math.abs(name.hashCode()));
    List<String> args = new ArrayList<>(c.command());
    for (var p : c.cl().getCommandSpec().positionalParameters()) {
      if (p.arity().min() > 0) {
        args.add(p.paramLabel().contains("/") ? "gw1/hg1" : "gw1");
      }
    }
    for (OptionSpec o : c.cl().getCommandSpec().options()) {
      if (o.required() && o != c.option()) {
        args.add(o.longestName());
        args.add(GOOD.get(o.longestName()));
      }
    }
    if (!option.equals("--data-dir") && c.cl().getCommandSpec().findOption("--data-dir") != null) {
      args.add("--data-dir");
      args.add(data.toString());
    }
    args.add(option);
    args.add(bad);

    // A value the checks let through would start a long-running command: never wait for it.
    CliRun r =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(30),
            () -> CliRun.run(Map.of(), List.of(), args.toArray(String[]::new)),
            () -> "not refused: " + String.join(" ", args));

    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(r.err().lines()).as(r.toString()).hasSize(1);
    // The value as named: the offending element of a list, cut and escaped as in any message.
    String named = org.umgw.events.Untrusted.text(bad.substring(bad.lastIndexOf(',') + 1).strip());
    assertThat(r.err()).as(r.toString()).contains(option).contains(named);
    assertThat(r.err()).as(r.toString()).doesNotContain("Exception", "\tat ", "unexpected error");
    assertThat(r.out()).as(r.toString()).isEmpty();
    assertThat(data).as("nothing created before the usage error").doesNotExist();
  }

  /**
   * A {@code UMGW_*} variable stands in for its option and is checked like it: a bad value is a
   * usage error naming the variable and the value (not a failure when connecting, exit 1).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.CsvSource({
    "UMGW_LDAP_URL, --ldap-url",
    "UMGW_BIND_DN, --bind-dn",
    "UMGW_BIND_PASSWORD_FILE, --bind-password-file",
    "UMGW_BASE_DN, --base-dn",
    "UMGW_DATA_DIR, --data-dir"
  })
  void badEnvironmentValueIsAUsageErrorNamingTheVariableAndValue(String variable, String option) {
    String bad = BAD.get(option).replace("{file}", regularFile.toString());
    Path data = tmp.resolve("env-" + variable);
    List<String> args = new ArrayList<>(List.of("validate"));
    if (!option.equals("--data-dir")) {
      args.addAll(List.of("--data-dir", data.toString()));
    }

    CliRun r =
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
            java.time.Duration.ofSeconds(30),
            () -> CliRun.run(Map.of(variable, bad), List.of(), args.toArray(String[]::new)),
            () -> "not refused: " + variable + "=" + bad);

    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(r.err().lines()).as(r.toString()).hasSize(1);
    assertThat(r.err())
        .as(r.toString())
        .startsWith("umgw: " + variable + " (for " + option + ") \"")
        .contains(org.umgw.events.Untrusted.text(bad));
    assertThat(r.out()).as(r.toString()).isEmpty();
    assertThat(data).as("nothing created before the usage error").doesNotExist();
  }

  /** The command line wins: a bad variable whose option is given is not used, so not refused. */
  @Test
  void badEnvironmentValue_overriddenOnTheCommandLine_isNotUsed() {
    Path data = tmp.resolve("env-overridden");
    CliRun r =
        CliRun.run(
            Map.of("UMGW_DATA_DIR", regularFile.toString()),
            List.of(),
            "init",
            "--data-dir",
            data.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).doesNotContain("UMGW_DATA_DIR");
    assertThat(data).as("the command ran on the given data directory").isDirectory();
  }
}
