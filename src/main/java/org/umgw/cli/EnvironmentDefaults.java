package org.umgw.cli;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Option defaults from {@code UMGW_*} environment variables, read from an injectable map. One table
 * of which variable stands for which option, shared by picocli's default provider and {@link
 * OptionChecks}, so a variable's value is checked like the option it stands for (a bad one is a
 * usage error naming the variable, not a failure at connect).
 */
record EnvironmentDefaults(Map<String, String> env) implements CommandLine.IDefaultValueProvider {
  private static final Map<String, String> VARIABLES =
      Map.of(
          "--ldap-url", "UMGW_LDAP_URL",
          "--bind-dn", "UMGW_BIND_DN",
          "--bind-password-file", "UMGW_BIND_PASSWORD_FILE",
          "--base-dn", "UMGW_BASE_DN",
          "--data-dir", "UMGW_DATA_DIR");

  /** The variable that supplies {@code option}'s default, or {@code null}. */
  static String variable(OptionSpec option) {
    return VARIABLES.get(option.longestName());
  }

  /** The value {@code option} takes from the environment, or {@code null} (unset or blank). */
  String value(OptionSpec option) {
    String variable = variable(option);
    String value = variable == null ? null : env.get(variable);
    return value == null || value.isBlank() ? null : value;
  }

  @Override
  public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
    if (argSpec instanceof OptionSpec option) {
      String value = value(option);
      if (value != null) {
        return value;
      }
    }
    return argSpec.defaultValue();
  }
}
