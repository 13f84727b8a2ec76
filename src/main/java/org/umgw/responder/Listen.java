package org.umgw.responder;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.umgw.model.UmgwException;
import org.umgw.sip.SipTransport;

/**
 * One address the responder listens on: {@code udp:HOST:PORT}, {@code tcp:HOST:PORT} or {@code
 * tls:HOST:PORT}, HOST an IP literal (IPv6 in brackets: {@code tls:[::1]:5061}); port 0 picks a
 * free one.
 */
public record Listen(SipTransport transport, InetSocketAddress address) {
  public Listen {
    requireNonNull(transport, "transport == null");
    requireNonNull(address, "address == null");
  }

  /**
   * @throws UmgwException naming the value when it is not TRANSPORT:IP:PORT
   */
  public static Listen parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw bad(text, "no transport");
    }
    SipTransport t;
    try {
      t = SipTransport.parse(text.substring(0, colon));
    } catch (IllegalArgumentException e) {
      throw bad(text, "the transport is udp, tcp or tls");
    }
    HostAndPort hp;
    try {
      hp = HostAndPort.fromString(text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw bad(text, e.getMessage());
    }
    if (!InetAddresses.isInetAddress(hp.getHost())) {
      throw bad(text, "the host must be an IP address (0.0.0.0 or [::] for all)");
    }
    if (!hp.hasPort()) {
      throw bad(text, "no port (" + t.defaultPort() + " is the usual one)");
    }
    return new Listen(
        t, new InetSocketAddress(InetAddresses.forString(hp.getHost()), hp.getPort()));
  }

  private static UmgwException bad(String text, String why) {
    return new UmgwException(
        "--listen " + text + ": expected udp:HOST:PORT, tcp:HOST:PORT or tls:HOST:PORT; " + why);
  }

  /** {@code tls [::1]:5061}. */
  @Override
  public String toString() {
    return transport.name().toLowerCase(Locale.ROOT)
        + " "
        + HostAndPort.fromParts(
            InetAddresses.toAddrString(address.getAddress()), address.getPort());
  }
}
