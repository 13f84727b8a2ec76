package org.umgw.rules;

import static java.util.Objects.requireNonNull;

import org.umgw.model.ObjectRef;

/**
 * One broken rule: which rule, the object at fault, the attribute and value concerned, and a
 * message naming them.
 *
 * @param attribute the LDAP attribute concerned, or {@code null} when the object as a whole is
 * @param value the offending value, or {@code null}
 */
public record RuleViolation(
    Rule rule, ObjectRef object, String attribute, String value, String message) {
  public RuleViolation {
    requireNonNull(rule, "rule == null");
    requireNonNull(object, "object == null");
    requireNonNull(message, "message == null");
  }

  /** {@code UM IP gateway "gw1": umAddress "10.0.0.1": already used by UM IP gateway "gw2"}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(object.toString()).append(": ");
    if (attribute != null) {
      s.append(attribute);
      if (value != null) {
        s.append(" \"").append(value).append('"');
      }
      s.append(": ");
    }
    return s.append(message).toString();
  }
}
