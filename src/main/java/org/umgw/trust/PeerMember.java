package org.umgw.trust;

import static java.util.Objects.requireNonNull;

import org.umgw.model.GatewayStatus;

/**
 * One gateway or UM server on a {@link Peer}'s IP, with what is its own: status, transport, port
 * and name. Several members share an IP when event 1175 applies, and each keeps its own values: a
 * plain gateway beside a TLS gateway is still reached over its own transport and port, and a server
 * beside a Disabled gateway is still trusted.
 *
 * <pre>{@code
 * for (PeerMember m : peer.members()) {
 *   if (m.kind() == PeerMember.Kind.GATEWAY && m.status() != GatewayStatus.Disabled) {
 *     probe(peer.address(), m.port(), m.transport(), m.fqdn());
 *   }
 * }
 * }</pre>
 *
 * @param name the gateway's or the server's name
 * @param status the gateway's status; always {@code Enabled} for a server (a server's host is
 *     trusted as long as the server is in the directory)
 * @param transport {@code tls} for a gateway linked to a SIPSecured or Secured dial plan, else
 *     {@code tcp} (plain: UDP or TCP); {@code tcp} for a server
 * @param port the gateway's port, its transport's default (5060, 5061) when the directory says 0;
 *     5060 for a server (its URL's port is the web services', not SIP's)
 * @param fqdn the host name the member is addressed by (the TLS certificate name), or {@code null}
 *     when it is addressed by an IP literal
 */
public record PeerMember(
    Kind kind, String name, GatewayStatus status, Transport transport, int port, String fqdn) {

  /** What the member is. */
  public enum Kind {
    GATEWAY,
    SERVER
  }

  public PeerMember {
    requireNonNull(kind, "kind == null");
    requireNonNull(name, "name == null");
    requireNonNull(status, "status == null");
    requireNonNull(transport, "transport == null");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("peer member " + name + " has port out of range: " + port);
    }
    if (kind == Kind.SERVER && status != GatewayStatus.Enabled) {
      throw new IllegalArgumentException(
          "UM server " + name + " has no status of its own, not " + status);
    }
  }

  /**
   * Whether this member puts its IP on the allow-lists: every server, and every gateway that is not
   * Disabled (NoNewCalls stays: calls in progress must finish).
   */
  public boolean allowListed() {
    return kind == Kind.SERVER || status != GatewayStatus.Disabled;
  }
}
