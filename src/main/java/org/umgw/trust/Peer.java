package org.umgw.trust;

import static java.util.Objects.requireNonNull;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;

/**
 * One trusted IP address and everything that reaches it: its gateways, UM servers and FQDNs.
 *
 * @param gateways the gateways on this IP, sorted by name (several when event 1175 applies)
 * @param servers names of the UM servers whose internal URL host is this IP
 * @param fqdns the host names that resolved to this IP, sorted
 * @param status the most permissive status of its gateways (Enabled for servers only)
 * @param port the SIP port of the gateway that decides the transport
 * @param stale some address of this IP comes from a stale DNS answer (lookups failing)
 */
public record Peer(
    InetAddress address,
    List<Gateway> gateways,
    List<String> servers,
    List<String> fqdns,
    GatewayStatus status,
    int port,
    Transport transport,
    boolean stale) {

  public Peer {
    requireNonNull(address, "address == null");
    gateways = List.copyOf(gateways);
    servers = List.copyOf(servers);
    fqdns = List.copyOf(fqdns);
    requireNonNull(status, "status == null");
    requireNonNull(transport, "transport == null");
  }

  /** "IPv4" or "IPv6". */
  public String family() {
    return address instanceof Inet4Address ? "IPv4" : "IPv6";
  }

  public List<String> gatewayNames() {
    return gateways.stream().map(Gateway::name).toList();
  }

  /** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  public String addressText() {
    return com.google.common.net.InetAddresses.toAddrString(address);
  }
}
