package org.umgw.sip;

/** The transport of one probe; the name is the Via token. */
public enum SipTransport {
  UDP(5060),
  TCP(5060),
  TLS(5061);

  private final int defaultPort;

  SipTransport(int defaultPort) {
    this.defaultPort = defaultPort;
  }

  /** 5060, or 5061 for TLS (RFC 3261 19.1.2). */
  public int defaultPort() {
    return defaultPort;
  }

  /**
   * @throws IllegalArgumentException naming the value unless it is udp, tcp or tls (any case)
   */
  public static SipTransport parse(String text) {
    for (SipTransport t : values()) {
      if (t.name().equalsIgnoreCase(text)) {
        return t;
      }
    }
    throw new IllegalArgumentException("SIP transport is udp, tcp or tls, not: " + text);
  }
}
