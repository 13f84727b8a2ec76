package org.umgw.sip;

/**
 * A SIP message that cannot be parsed: malformed, truncated or larger than the limit. Checked, so
 * that every reader of network input decides to drop (and count) it rather than fail.
 */
public final class SipParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public SipParseException(String message) {
    super(message);
  }
}
