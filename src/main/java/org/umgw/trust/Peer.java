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
 * <p>Status, transport and port belong to each gateway or server, not to the IP: {@link #members()}
 * has them one by one. The IP-wide {@link #status()}, {@link #transport()} and {@link #port()} are
 * summaries kept for callers that want one value per IP; anything that acts on one gateway
 * (probing, admission) must use its member.
 *
 * @param gateways the gateways on this IP, sorted by name (several when event 1175 applies)
 * @param servers names of the UM servers whose internal URL host is this IP
 * @param fqdns the host names that resolved to this IP, sorted
 * @param status the most permissive status of its members, a server counting as Enabled: Disabled
 *     exactly when no member is {@link #allowListed() allow-listed}
 * @param port the port of the member whose transport is {@link #transport()}: the first gateway by
 *     name linked to a TLS dial plan, else the first gateway, else the first server (5060)
 * @param transport {@code tls} when any gateway on this IP is linked to a TLS dial plan, else
 *     {@code tcp}
 * @param stale some address of this IP comes from a stale DNS answer (lookups failing)
 * @param members the gateways (by name), then the servers (by name), each with its own status,
 *     transport, port and name
 */
public record Peer(
    InetAddress address,
    List<Gateway> gateways,
    List<String> servers,
    List<String> fqdns,
    GatewayStatus status,
    int port,
    Transport transport,
    boolean stale,
    List<PeerMember> members) {

  public Peer {
    requireNonNull(address, "address == null");
    gateways = List.copyOf(gateways);
    servers = List.copyOf(servers);
    fqdns = List.copyOf(fqdns);
    requireNonNull(status, "status == null");
    requireNonNull(transport, "transport == null");
    members = List.copyOf(members);
    if (members.size() != gateways.size() + servers.size()) {
      throw new IllegalArgumentException(
          "peer "
              + address.getHostAddress()
              + " has "
              + members.size()
              + " members for "
              + gateways.size()
              + " gateways and "
              + servers.size()
              + " servers");
    }
  }

  /** "IPv4" or "IPv6". */
  public String family() {
    return address instanceof Inet4Address ? "IPv4" : "IPv6";
  }

  public List<String> gatewayNames() {
    return gateways.stream().map(Gateway::name).toList();
  }

  /**
   * Whether allow-lists admit this IP: some member is a server or a gateway that is not Disabled.
   */
  public boolean allowListed() {
    for (PeerMember m : members) {
      if (m.allowListed()) {
        return true;
      }
    }
    return false;
  }

  /** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6. */
  public String addressText() {
    return com.google.common.net.InetAddresses.toAddrString(address);
  }
}
