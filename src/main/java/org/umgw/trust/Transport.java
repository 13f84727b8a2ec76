package org.umgw.trust;

/** SIP transport towards a peer; names as in the JSON output. */
public enum Transport {
  tcp(5060),
  tls(5061);

  private final int defaultPort;

  Transport(int defaultPort) {
    this.defaultPort = defaultPort;
  }

  /** The port a gateway's port 0 stands for. */
  public int defaultPort() {
    return defaultPort;
  }
}
