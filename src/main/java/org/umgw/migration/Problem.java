package org.umgw.migration;

import static java.util.Objects.requireNonNull;

/**
 * Why an Exchange object, or one of its attributes, was not imported.
 *
 * @param attribute the Exchange attribute concerned, or {@code null} when the object as a whole is
 * @param value the offending value as Exchange stores it, or {@code null}
 */
public record Problem(String attribute, String value, String reason) {
  public Problem {
    requireNonNull(reason, "reason == null");
  }

  /** {@code msExchUMIPGatewayPort "70000": a port is 0 to 65535}. */
  @Override
  public String toString() {
    if (attribute == null) {
      return reason;
    }
    return attribute + (value == null ? "" : " \"" + value + "\"") + ": " + reason;
  }
}
