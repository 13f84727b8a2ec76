package org.umgw.directory;

import static java.util.Objects.requireNonNull;

/**
 * Why one directory entry could not become an object: the entry's DN, the attribute and the value
 * at fault (either may be {@code null} when the entry as a whole is at fault).
 */
public record EntryProblem(String dn, String attribute, String value, String message) {
  public EntryProblem {
    requireNonNull(dn, "dn == null");
    requireNonNull(message, "message == null");
  }

  /** {@code cn=gw1,ou=gateways,...: umPort "x": not an integer}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(dn).append(": ");
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
