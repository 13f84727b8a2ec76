package org.umgw.events;

/**
 * Makes a caller-supplied string (a pilot from a Request-URI, a certificate name, a SIP reason
 * phrase) safe to put in an event: cut to a sane length and with every control character escaped,
 * so a SIP scanner cannot forge log lines (CR, LF), hide text (bidirectional overrides) or fill the
 * log with one huge value.
 */
public final class Untrusted {
  /** Longest caller-supplied value kept in an event, in characters. */
  public static final int MAX_LENGTH = 64;

  private Untrusted() {}

  /** {@code null} becomes the empty string; see {@link #text(String, int)}. */
  public static String text(String value) {
    return text(value, MAX_LENGTH);
  }

  /**
   * Escapes C0/C1 controls, DEL, line and paragraph separators and bidirectional formatting
   * characters as {@code \xNN} or {@code \\uNNNN}, then cuts the result to {@code max} characters
   * with a note of how many were left out. Idempotent (a backslash is left as it is), so a message
   * made safe twice reads the same.
   */
  public static String text(String value, int max) {
    if (value == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(Math.min(value.length(), max) + 16);
    int i = 0;
    for (; i < value.length() && b.length() < max; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
        b.append(String.format("\\x%02x", (int) c));
      } else if (c == 0x2028 || c == 0x2029 || isBidiControl(c)) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    if (i < value.length()) {
      b.append("...(").append(value.length() - i).append(" more)");
    }
    return b.toString();
  }

  /** True when {@code value} would come out of {@link #text(String)} unchanged. */
  public static boolean isClean(String value) {
    return value != null && text(value).equals(value);
  }

  private static boolean isBidiControl(char c) {
    return c == 0x061c
        || c == 0x200e
        || c == 0x200f
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069);
  }
}
