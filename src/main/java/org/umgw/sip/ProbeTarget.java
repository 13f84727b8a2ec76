package org.umgw.sip;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;

/**
 * Where one OPTIONS probe goes.
 *
 * <pre>{@code
 * ProbeTarget udp = ProbeTarget.of(new InetSocketAddress(ip, 5060), SipTransport.UDP, null);
 * ProbeTarget tls = ProbeTarget.of(new InetSocketAddress(ip, 5061), SipTransport.TLS, "gw1.example.test");
 * }</pre>
 *
 * @param address a resolved IP address and port (never looked up here)
 * @param serverName the host for the Request-URI and, over TLS, the name the certificate must
 *     carry; the IP literal when none is given
 */
public record ProbeTarget(InetSocketAddress address, SipTransport transport, String serverName) {
  public ProbeTarget {
    requireNonNull(address, "address == null");
    requireNonNull(transport, "transport == null");
    if (address.isUnresolved() || address.getAddress() == null) {
      throw new IllegalArgumentException("probe target must be an IP address: " + address);
    }
    if (address.getPort() == 0) {
      throw new IllegalArgumentException("probe target has port 0: " + address);
    }
    if (serverName == null || serverName.isBlank()) {
      serverName = InetAddresses.toAddrString(address.getAddress());
    }
  }

  public static ProbeTarget of(InetSocketAddress address, SipTransport transport, String name) {
    return new ProbeTarget(address, transport, name);
  }

  /** {@code sip:host:port}, IPv6 literals in brackets. */
  public String requestUri() {
    String host =
        InetAddresses.isInetAddress(serverName)
            ? InetAddresses.toUriString(InetAddresses.forString(serverName))
            : serverName;
    return "sip:" + host + ":" + address.getPort();
  }

  /** {@code udp 127.0.0.1:5060}, {@code tls [::1]:5061 (gw1.example.test)}. */
  @Override
  public String toString() {
    String ip = InetAddresses.toUriString(address.getAddress());
    String t = transport.name().toLowerCase(java.util.Locale.ROOT);
    String base = t + " " + ip + ":" + address.getPort();
    return serverName.equals(InetAddresses.toAddrString(address.getAddress()))
        ? base
        : base + " (" + serverName + ")";
  }
}
