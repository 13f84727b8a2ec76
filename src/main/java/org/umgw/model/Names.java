package org.umgw.model;

/**
 * Checks of object names. All names are 1 to 64 characters without control characters or
 * surrounding white space (LDAP matching ignores the latter, so "a" and "a " would collide);
 * gateway names also exclude the characters Exchange forbids.
 */
public final class Names {
  /** Characters a gateway name may not contain, as in New-UMIPGateway. */
  public static final String GATEWAY_FORBIDDEN = "\"/\\[]:;|=,+*?<>";

  public static final int MAX_LENGTH = 64;

  private Names() {}

  /**
   * @throws InvalidValueException when {@code name} is not a valid name for {@code object}
   */
  public static void check(ObjectRef object, String name) {
    String reason = problem(name, object.kind() == ObjectKind.GATEWAY);
    if (reason != null) {
      throw new InvalidValueException(object, "cn", name, reason);
    }
  }

  static String problem(String name, boolean gateway) {
    if (name == null || name.isEmpty()) {
      return "a name is required";
    }
    int length = name.codePointCount(0, name.length());
    if (length > MAX_LENGTH) {
      return "longer than " + MAX_LENGTH + " characters (" + length + ")";
    }
    if (Character.isWhitespace(name.codePointAt(0))
        || Character.isWhitespace(name.codePointBefore(name.length()))) {
      return "leading or trailing white space";
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      if (Character.isISOControl(c)) {
        return String.format("control character U+%04X", c);
      }
      if (gateway && GATEWAY_FORBIDDEN.indexOf(c) >= 0) {
        return "the character '"
            + Character.toString(c)
            + "' is not allowed (none of "
            + GATEWAY_FORBIDDEN
            + ")";
      }
      i += Character.charCount(c);
    }
    return null;
  }
}
