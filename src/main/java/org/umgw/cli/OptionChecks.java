package org.umgw.cli;

import com.google.common.net.HostAndPort;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.umgw.dns.DnsResolver;
import org.umgw.export.AtomicFileWriter;
import org.umgw.export.ExportOptions;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.InvalidValueException;
import org.umgw.model.Names;
import org.umgw.model.ObjectKind;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmServer;
import org.umgw.model.UmgwException;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The domain of every option value that has one, checked right after parsing and before anything is
 * opened or written: a bad value is a usage error (exit 2), one line naming the option and the
 * value. Types (numbers, enums, booleans) are checked by picocli before; this adds ranges, syntaxes
 * and the model's own value rules, which it asks the model rather than repeating.
 *
 * <p>Checks are by option name and hold for every command that has the option. An option that takes
 * free text has {@link #FREE}; {@code UsageErrorTableTest} fails for an option with neither, so a
 * new option cannot skip this.
 */
final class OptionChecks {
  /** Says what is wrong with a value, or {@code null} when it is fine. */
  @FunctionalInterface
  interface Check extends Function<String, String> {}

  /** Options whose value has no domain to check beyond its type (free text, flags). */
  static final Set<String> FREE = Set.of("--description");

  private static final Pattern FORMAT_TABLE_JSON = Pattern.compile("table|json");

  static final Map<String, Check> BY_NAME =
      Map.ofEntries(
          Map.entry("--ldap-url", OptionChecks::ldapUrls),
          Map.entry("--bind-dn", v -> dn(v, false)),
          Map.entry("--writer-dn", v -> dn(v, true)),
          Map.entry("--max-connections", v -> range(v, 1, 100_000, "connections")),
          Map.entry("--size-limit", v -> range(v, 1, 10_000_000, "entries")),
          Map.entry("--time-limit", v -> range(v, 1, 86_400, "seconds")),
          Map.entry("--from-ldap", OptionChecks::ldapUrls),
          Map.entry("--from-bind-dn", v -> dn(v, false)),
          Map.entry("--from-base-dn", v -> dn(v, true)),
          Map.entry("--from-bind-password-file", OptionChecks::readableFile),
          Map.entry("--from-trust-store", OptionChecks::readableFile),
          Map.entry("--base-dn", v -> dn(v, true)),
          Map.entry("--database-dn", v -> dn(v, true)),
          Map.entry("--bind-password-file", OptionChecks::readableFile),
          Map.entry("--trust-store", OptionChecks::readableFile),
          Map.entry("--trust-store-password-file", OptionChecks::readableFile),
          Map.entry("--tls-trust-store", OptionChecks::readableFile),
          Map.entry("--tls-trust-store-password-file", OptionChecks::readableFile),
          Map.entry("--tls-key-store", OptionChecks::readableFile),
          Map.entry("--tls-key-store-password-file", OptionChecks::readableFile),
          Map.entry("--tls-client-cert", OptionChecks::readableFile),
          Map.entry("--tls-client-key", OptionChecks::readableFile),
          Map.entry("--tls-client-key-password-file", OptionChecks::readableFile),
          Map.entry("--tls-cert", OptionChecks::readableFile),
          Map.entry("--tls-key", OptionChecks::readableFile),
          Map.entry("--tls-key-password-file", OptionChecks::readableFile),
          Map.entry("--tls-client-ca", OptionChecks::readableFile),
          Map.entry("--tls-client-ca-password-file", OptionChecks::readableFile),
          Map.entry("--certificate-warning-days", v -> range(v, 0, 3650, "days")),
          Map.entry("--dnssec-trust-anchors", OptionChecks::readableFile),
          Map.entry("--hosts-file", OptionChecks::readableFile),
          Map.entry("--admin-password-file", OptionChecks::fileOrAbsent),
          Map.entry("--data-dir", OptionChecks::directoryOrAbsent),
          Map.entry("--out", v -> v.equals("-") ? null : fileOrAbsent(v)),
          Map.entry("--ldap-timeout", v -> range(v, 1, 3600, "seconds")),
          Map.entry("--dns-timeout", v -> range(v, 1, 60_000, "milliseconds")),
          Map.entry("--dns-retries", v -> range(v, 0, 10, "retries")),
          Map.entry("--dns-server", OptionChecks::dnsServer),
          Map.entry("--feed", OptionChecks::feed),
          Map.entry("--poll-interval", v -> range(v, 1, 86_400, "seconds")),
          Map.entry("--interval", v -> range(v, 0.1, 86_400, "seconds")),
          Map.entry("--deadline", v -> range(v, 0.05, 3600, "seconds")),
          Map.entry("--accept", v -> range(v, 100, 699, "a SIP final or provisional code")),
          Map.entry("--down-after", v -> range(v, 1, 1000, "probes")),
          Map.entry("--up-after", v -> range(v, 1, 1000, "probes")),
          Map.entry("--count", v -> range(v, 1, Integer.MAX_VALUE, "changes")),
          Map.entry("--transport", v -> oneOf(v, "udp", "tcp")),
          Map.entry("--listen", OptionChecks::listen),
          Map.entry("--session-timeout", v -> range(v, 1, 1440, "minutes")),
          Map.entry("--login-base", v -> dn(v, true)),
          Map.entry("--kamailio-rpc", OptionChecks::httpUrl),
          Map.entry("--reload-delta", v -> range(v, 0, 3600, "seconds")),
          Map.entry("--reload-timeout", v -> range(v, 1, 3600, "seconds")),
          Map.entry("--reload-command", OptionChecks::command),
          Map.entry("--metrics-listen", OptionChecks::hostAndPort),
          Map.entry("--mode", v -> exportOptions(() -> AtomicFileWriter.parseMode(v))),
          Map.entry("--max-shrink", v -> range(v, 0, 100, "a percentage")),
          Map.entry(
              "--kamailio-group", v -> exportOptions(() -> new ExportOptions(toInt(v), "umgw"))),
          Map.entry("--list-name", v -> exportOptions(() -> new ExportOptions(1, v))),
          // Enums (picocli), table|json (below), or the schema command's own forms (its check).
          Map.entry("--format", v -> null),
          Map.entry("--address", v -> model(() -> Gateway.parseAddress("-", v))),
          Map.entry(
              "--port", v -> model(() -> Gateway.builder("-", "192.0.2.1").port(toInt(v)).build())),
          Map.entry("--gateway", v -> model(() -> Names.check(ObjectRef.gateway(v), v))),
          Map.entry("--dial-plan", v -> model(() -> Names.check(ObjectRef.dialPlan(v), v))),
          Map.entry("--pilot-identifier", v -> model(() -> new HuntGroup("-", "-", "-", v, null))),
          Map.entry(
              "--number-of-digits-in-extension",
              v -> model(() -> DialPlan.of("-", UriType.TelExtn, toInt(v)))),
          Map.entry("--country-or-region-code", v -> model(() -> dialPlan(v, List.of()))),
          Map.entry("--access-telephone-number", v -> model(() -> dialPlan(null, List.of(v)))),
          Map.entry("--internal-url", v -> model(() -> UmServer.of("-", v, null))));

  /** Options whose domain depends on the command: {@code "command --option"}. */
  static final Map<String, Check> BY_COMMAND =
      Map.of(
          "sip-responder --listen",
          v -> {
            org.umgw.responder.Listen.parse(v);
            return null;
          });

  private OptionChecks() {}

  /**
   * Checks every option given on the command line (not the defaults, which are ours) of every
   * command in {@code parsed}'s chain, and the names given as NAME parameters.
   *
   * @throws ParameterException naming the option and the value
   */
  static void check(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      CommandLine cl = p.commandSpec().commandLine();
      checkNames(p, cl);
      String object = object(p, cl);
      for (OptionSpec option : p.matchedOptions()) {
        String name = option.longestName();
        Check check = BY_COMMAND.getOrDefault(cl.getCommandName() + " " + name, BY_NAME.get(name));
        if (name.equals("--format")
            && option.type() == String.class
            && !cl.getCommandName().equals("schema")) {
          check = v -> FORMAT_TABLE_JSON.matcher(v).matches() ? null : "expected table or json";
        }
        if (check == null) {
          continue;
        }
        for (String raw : option.originalStringValues()) {
          for (String value : split(option, raw)) {
            String problem;
            try {
              problem = check.apply(value);
            } catch (RuntimeException e) {
              problem = e.getMessage();
            }
            if (problem != null) {
              throw new ParameterException(
                  cl,
                  object + name + " \"" + org.umgw.events.Untrusted.text(value) + "\": " + problem);
            }
          }
        }
      }
    }
  }

  /** {@code UM IP gateway "gw1": } when the command names one object, else the empty string. */
  private static String object(ParseResult p, CommandLine cl) {
    CommandLine parent = cl.getParent();
    if (parent == null) {
      return "";
    }
    for (var param : p.matchedPositionals()) {
      if (param.paramLabel().endsWith("NAME") && !param.originalStringValues().isEmpty()) {
        String value = org.umgw.events.Untrusted.text(param.originalStringValues().get(0));
        ObjectRef ref = ref(parent.getCommandName(), value);
        return ref == null ? "" : ref + ": ";
      }
    }
    return "";
  }

  private static ObjectRef ref(String kind, String value) {
    return switch (kind) {
      case "gateway" -> ObjectRef.gateway(value);
      case "dialplan" -> ObjectRef.dialPlan(value);
      case "server" -> ObjectRef.server(value);
      case "huntgroup" -> new ObjectRef(ObjectKind.HUNT_GROUP, value);
      default -> null;
    };
  }

  /** A new object's NAME must be one the model accepts; any other just has to be findable. */
  private static void checkNames(ParseResult p, CommandLine cl) {
    CommandLine parent = cl.getParent();
    String kind = parent == null ? "" : parent.getCommandName();
    for (var param : p.matchedPositionals()) {
      if (!param.paramLabel().endsWith("NAME")) {
        continue;
      }
      for (String value : param.originalStringValues()) {
        ObjectRef ref = ref(kind, value);
        if (ref == null) {
          continue;
        }
        try {
          Names.check(ref, value);
        } catch (InvalidValueException e) {
          throw new ParameterException(cl, org.umgw.events.Untrusted.text(e.getMessage(), 300));
        }
      }
    }
  }

  private static List<String> split(OptionSpec option, String raw) {
    String regex = option.splitRegex();
    return regex == null || regex.isEmpty() ? List.of(raw) : List.of(raw.split(regex, -1));
  }

  private static String ldapUrls(String value) {
    if (value.isBlank()) {
      return "expected ldap:// or ldaps:// URL(s)";
    }
    for (String url : value.split(",", -1)) {
      try {
        LDAPURL u = new LDAPURL(url.strip());
        if (!u.hostProvided()) {
          return "the URL " + url.strip() + " names no host";
        }
      } catch (LDAPException e) {
        return "not an ldap:// or ldaps:// URL: " + url.strip();
      }
    }
    return null;
  }

  private static String dn(String value, boolean nonEmpty) {
    if (nonEmpty && value.isBlank()) {
      return "a DN is required";
    }
    return DN.isValidDN(value) ? null : "not a DN (expected e.g. cn=umgw,dc=example,dc=com)";
  }

  private static String readableFile(String value) {
    Path p = Path.of(value);
    if (!Files.exists(p)) {
      return "no such file";
    }
    if (Files.isDirectory(p)) {
      return "a directory, expected a file";
    }
    return Files.isReadable(p) ? null : "not readable by this user";
  }

  private static String fileOrAbsent(String value) {
    if (value.isEmpty()) {
      return "a file name is required";
    }
    Path p = Path.of(value);
    if (Files.isDirectory(p)) {
      return "a directory, expected a file";
    }
    Path dir = p.toAbsolutePath().getParent();
    return dir == null || Files.isDirectory(dir)
        ? null
        : "the directory " + dir + " does not exist";
  }

  private static String directoryOrAbsent(String value) {
    Path p = Path.of(value);
    return Files.exists(p) && !Files.isDirectory(p) ? "not a directory" : null;
  }

  private static String range(String value, double min, double max, String what) {
    double v;
    try {
      v = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      return "not a number";
    }
    if (!(v >= min && v <= max)) {
      return "expected " + what + " from " + number(min) + " to " + number(max);
    }
    return null;
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static int toInt(String v) {
    return Integer.parseInt(v.strip());
  }

  private static String oneOf(String value, String... allowed) {
    String v = value.toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(v)) {
        return null;
      }
    }
    return "expected one of " + String.join(", ", allowed);
  }

  private static String feed(String value) {
    return oneOf(value, "auto", "syncrepl", "persistent-search", "changelog", "polling");
  }

  private static String dnsServer(String value) {
    try {
      DnsResolver.parseServer(value);
      return null;
    } catch (UmgwException | IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static String listen(String value) {
    try {
      HostAndPort hp = HostAndPort.fromString(value);
      if (hp.getHost().isEmpty()) {
        return "expected HOST[:PORT]";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "expected HOST[:PORT] (" + e.getMessage() + ")";
    }
  }

  private static String hostAndPort(String value) {
    String problem = listen(value);
    if (problem == null && !HostAndPort.fromString(value).hasPort()) {
      return "expected HOST:PORT (a port is required)";
    }
    return problem;
  }

  private static String httpUrl(String value) {
    try {
      java.net.URI u = new java.net.URI(value);
      if (u.getScheme() == null
          || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        return "expected an http:// URL such as http://127.0.0.1:5071/RPC";
      }
      return null;
    } catch (java.net.URISyntaxException e) {
      return "not a URL: " + e.getReason();
    }
  }

  /** A reload command: its program must exist (an absolute path, or found on the PATH). */
  private static String command(String value) {
    String program;
    try {
      program = org.umgw.sync.CommandReloader.split(value).get(0);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program)) ? null : "no such program: " + program;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return null;
      }
    }
    return "no program " + program + " on the PATH";
  }

  private static String exportOptions(Runnable build) {
    try {
      build.run();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  private static DialPlan dialPlan(String countryCode, List<String> numbers) {
    return new DialPlan(
        "-", UriType.TelExtn, 5, VoipSecurity.Unsecured, countryCode, numbers, null);
  }

  /** What the model says of a value: its reason, without the placeholder object. */
  private static String model(Runnable build) {
    try {
      build.run();
      return null;
    } catch (InvalidValueException e) {
      return e.reason();
    }
  }
}
