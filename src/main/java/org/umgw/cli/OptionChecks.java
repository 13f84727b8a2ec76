package org.umgw.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
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
import org.umgw.model.UriType;
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
          Map.entry("--ldap-url", OptionValues::ldapUrls),
          Map.entry("--bind-dn", v -> OptionValues.dn(v, false)),
          Map.entry("--writer-dn", v -> OptionValues.dn(v, true)),
          Map.entry("--max-connections", v -> OptionValues.range(v, 1, 100_000, "connections")),
          Map.entry("--size-limit", v -> OptionValues.range(v, 1, 10_000_000, "entries")),
          Map.entry("--time-limit", v -> OptionValues.range(v, 1, 86_400, "seconds")),
          Map.entry("--from-ldap", OptionValues::ldapUrls),
          Map.entry("--from-bind-dn", v -> OptionValues.dn(v, false)),
          Map.entry("--from-base-dn", v -> OptionValues.dn(v, true)),
          Map.entry("--from-bind-password-file", OptionValues::readableFile),
          Map.entry("--from-trust-store", OptionValues::readableFile),
          Map.entry("--base-dn", v -> OptionValues.dn(v, true)),
          Map.entry("--database-dn", v -> OptionValues.dn(v, true)),
          Map.entry("--bind-password-file", OptionValues::readableFile),
          Map.entry("--trust-store", OptionValues::readableFile),
          Map.entry("--trust-store-password-file", OptionValues::readableFile),
          Map.entry("--tls-trust-store", OptionValues::readableFile),
          Map.entry("--tls-trust-store-password-file", OptionValues::readableFile),
          Map.entry("--tls-key-store", OptionValues::readableFile),
          Map.entry("--tls-key-store-password-file", OptionValues::readableFile),
          Map.entry("--tls-client-cert", OptionValues::readableFile),
          Map.entry("--tls-client-key", OptionValues::readableFile),
          Map.entry("--tls-client-key-password-file", OptionValues::readableFile),
          Map.entry("--tls-cert", OptionValues::readableFile),
          Map.entry("--tls-key", OptionValues::readableFile),
          Map.entry("--tls-key-password-file", OptionValues::readableFile),
          Map.entry("--tls-client-ca", OptionValues::readableFile),
          Map.entry("--tls-client-ca-password-file", OptionValues::readableFile),
          Map.entry("--certificate-warning-days", v -> OptionValues.range(v, 0, 3650, "days")),
          Map.entry("--dnssec-trust-anchors", OptionValues::readableFile),
          Map.entry("--hosts-file", OptionValues::readableFile),
          Map.entry("--admin-password-file", OptionValues::fileOrAbsent),
          Map.entry("--data-dir", OptionValues::directoryOrAbsent),
          Map.entry("--out", v -> v.equals("-") ? null : OptionValues.fileOrAbsent(v)),
          Map.entry("--ldap-timeout", v -> OptionValues.range(v, 1, 3600, "seconds")),
          Map.entry("--dns-timeout", v -> OptionValues.range(v, 1, 60_000, "milliseconds")),
          Map.entry("--dns-retries", v -> OptionValues.range(v, 0, 10, "retries")),
          Map.entry("--dns-server", OptionValues::dnsServer),
          Map.entry("--feed", OptionValues::feed),
          Map.entry("--poll-interval", v -> OptionValues.range(v, 1, 86_400, "seconds")),
          Map.entry("--interval", v -> OptionValues.range(v, 0.1, 86_400, "seconds")),
          Map.entry("--deadline", v -> OptionValues.range(v, 0.05, 3600, "seconds")),
          Map.entry(
              "--accept", v -> OptionValues.range(v, 100, 699, "a SIP final or provisional code")),
          Map.entry("--down-after", v -> OptionValues.range(v, 1, 1000, "probes")),
          Map.entry("--up-after", v -> OptionValues.range(v, 1, 1000, "probes")),
          Map.entry("--count", v -> OptionValues.range(v, 1, Integer.MAX_VALUE, "changes")),
          Map.entry("--transport", v -> OptionValues.oneOf(v, "udp", "tcp")),
          Map.entry("--listen", OptionValues::listen),
          Map.entry("--session-timeout", v -> OptionValues.range(v, 1, 1440, "minutes")),
          Map.entry("--login-base", v -> OptionValues.dn(v, true)),
          Map.entry("--kamailio-rpc", OptionValues::httpUrl),
          Map.entry("--reload-delta", v -> OptionValues.range(v, 0, 3600, "seconds")),
          Map.entry("--reload-timeout", v -> OptionValues.range(v, 1, 3600, "seconds")),
          Map.entry("--reload-command", OptionValues::command),
          Map.entry("--metrics-listen", OptionValues::hostAndPort),
          Map.entry("--mode", v -> OptionValues.exportOptions(() -> AtomicFileWriter.parseMode(v))),
          Map.entry("--max-shrink", v -> OptionValues.range(v, 0, 100, "a percentage")),
          Map.entry(
              "--kamailio-group",
              v ->
                  OptionValues.exportOptions(
                      () -> new ExportOptions(OptionValues.toInt(v), "umgw"))),
          Map.entry("--list-name", v -> OptionValues.exportOptions(() -> new ExportOptions(1, v))),
          // Enums (picocli), table|json (below), or the schema command's own forms (its check).
          Map.entry("--format", v -> null),
          Map.entry("--address", v -> OptionValues.model(() -> Gateway.parseAddress("-", v))),
          Map.entry(
              "--port",
              v ->
                  OptionValues.model(
                      () -> Gateway.builder("-", "192.0.2.1").port(OptionValues.toInt(v)).build())),
          Map.entry(
              "--gateway", v -> OptionValues.model(() -> Names.check(ObjectRef.gateway(v), v))),
          Map.entry(
              "--dial-plan", v -> OptionValues.model(() -> Names.check(ObjectRef.dialPlan(v), v))),
          Map.entry(
              "--pilot-identifier",
              v -> OptionValues.model(() -> new HuntGroup("-", "-", "-", v, null))),
          Map.entry(
              "--number-of-digits-in-extension",
              v ->
                  OptionValues.model(
                      () -> DialPlan.of("-", UriType.TelExtn, OptionValues.toInt(v)))),
          Map.entry(
              "--country-or-region-code",
              v -> OptionValues.model(() -> OptionValues.dialPlan(v, List.of()))),
          Map.entry(
              "--access-telephone-number",
              v -> OptionValues.model(() -> OptionValues.dialPlan(null, List.of(v)))),
          Map.entry("--internal-url", v -> OptionValues.model(() -> UmServer.of("-", v, null))));

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
   * Checks every option given on the command line of every command in {@code parsed}'s chain, the
   * names given as NAME parameters, and the {@code UMGW_*} environment values that stand in for an
   * option not given (the other defaults are ours).
   *
   * @throws ParameterException naming the option (or the variable) and the value
   */
  static void check(ParseResult parsed, EnvironmentDefaults environment) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      CommandLine cl = p.commandSpec().commandLine();
      checkNames(p, cl);
      String object = object(p, cl);
      for (OptionSpec option : p.matchedOptions()) {
        for (String raw : option.originalStringValues()) {
          check(cl, option, raw, object + option.longestName());
        }
      }
      for (OptionSpec option : p.commandSpec().options()) {
        String value = environment.value(option);
        if (value != null && !p.hasMatchedOption(option)) {
          check(
              cl,
              option,
              value,
              EnvironmentDefaults.variable(option) + " (for " + option.longestName() + ")");
        }
      }
    }
  }

  /** Checks one value of {@code option} as given; {@code named} says where it came from. */
  private static void check(CommandLine cl, OptionSpec option, String raw, String named) {
    String name = option.longestName();
    Check check = BY_COMMAND.getOrDefault(cl.getCommandName() + " " + name, BY_NAME.get(name));
    if (name.equals("--format")
        && option.type() == String.class
        && !cl.getCommandName().equals("schema")) {
      check = v -> FORMAT_TABLE_JSON.matcher(v).matches() ? null : "expected table or json";
    }
    if (check == null) {
      return;
    }
    for (String value : split(option, raw)) {
      String problem;
      try {
        problem = check.apply(value);
      } catch (RuntimeException e) {
        problem = e.getMessage();
      }
      if (problem != null) {
        throw new ParameterException(
            cl, named + " \"" + org.umgw.events.Untrusted.text(value) + "\": " + problem);
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
}
