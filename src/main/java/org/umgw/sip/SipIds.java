package org.umgw.sip;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Fresh branch, tag and Call-ID values: random, so that no two probes or restarts collide. */
final class SipIds {
  /** RFC 3261 8.1.1.7: every branch starts with this cookie. */
  static final String MAGIC_COOKIE = "z9hG4bK";

  private static final SecureRandom RANDOM = new SecureRandom();

  private SipIds() {}

  static String branch() {
    return MAGIC_COOKIE + random(12);
  }

  /** A branch and a Call-ID from one draw of the generator (the hot path of a probe). */
  static String[] branchAndCallId() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    String hex = HexFormat.of().formatHex(b);
    return new String[] {MAGIC_COOKIE + hex.substring(0, 24), hex.substring(24)};
  }

  static String tag() {
    return random(8);
  }

  static String callId() {
    return random(16);
  }

  private static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
