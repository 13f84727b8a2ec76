package org.umgw.trust;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmServer;

/**
 * What each gateway and server contributes to a {@link TrustSnapshot}, and how the contributions on
 * one IP make its {@link Peer}: the one definition both the full build and the incremental update
 * of {@link TrustIndex} use, so the two cannot disagree on what a peer is.
 */
final class TrustParts {
  private TrustParts() {}

  /**
   * A linked gateway's contribution.
   *
   * @param name the name to resolve, or {@code null} for an IP literal
   * @param outboundPlans the dial plans whose outbound calls may leave through it
   * @param mwiPlans the dial plans whose MWI NOTIFYs may leave through it
   */
  record GatewayPart(
      Gateway gateway,
      Transport transport,
      NameKey name,
      ResolvedName addresses,
      Routes routes,
      List<String> outboundPlans,
      List<String> mwiPlans) {}

  /** A UM server's contribution: the addresses of its internal URL's host. */
  record ServerPart(UmServer server, NameKey name, ResolvedName addresses) {}

  /** Everything that reaches one IP. */
  static final class Slot {
    final TreeMap<String, GatewayPart> gateways = new TreeMap<>();
    final TreeMap<String, ServerPart> servers = new TreeMap<>();

    boolean isEmpty() {
      return gateways.isEmpty() && servers.isEmpty();
    }
  }

  /**
   * The contribution of {@code g} given its hunt groups ({@code groups}, by name) and the dial
   * plans; {@code null} when no hunt group links it to an existing dial plan (not a peer).
   */
  static GatewayPart gatewayPart(
      Gateway g,
      Map<String, HuntGroup> groups,
      Map<String, DialPlan> plans,
      Map<NameKey, ResolvedName> resolved) {
    if (groups == null) {
      return null;
    }
    List<HuntGroup> linked = new ArrayList<>(groups.size());
    boolean tls = false;
    for (HuntGroup h : groups.values()) {
      DialPlan dp = plans.get(h.dialPlan());
      if (dp != null) {
        linked.add(h);
        tls |= dp.voipSecurity().usesTls();
      }
    }
    if (linked.isEmpty()) {
      return null;
    }
    NameKey name =
        g.address().isIpLiteral() ? null : new NameKey(g.address().text(), g.ipAddressFamily());
    ResolvedName addresses =
        name == null
            ? new ResolvedName(List.of(g.address().ip().orElseThrow()), false)
            : resolved.getOrDefault(name, ResolvedName.NONE);
    Routes routes = new Routes();
    List<String> outbound = new ArrayList<>(1);
    List<String> mwi = new ArrayList<>(1);
    boolean hasAddress = !addresses.addresses().isEmpty();
    for (HuntGroup h : linked) {
      DialPlan dp = plans.get(h.dialPlan());
      routes.add(
          h.pilotIdentifier(), dp.voipSecurity().usesTls(), new Admission.Accepted(g, h, dp));
      if (eligibleOutbound(g, dp, hasAddress)) {
        if (g.outcallsAllowed() && !outbound.contains(dp.name())) {
          outbound.add(dp.name());
        }
        if (g.messageWaitingIndicatorAllowed() && !mwi.contains(dp.name())) {
          mwi.add(dp.name());
        }
      }
    }
    return new GatewayPart(
        g,
        tls ? Transport.tls : Transport.tcp,
        name,
        addresses,
        routes,
        List.copyOf(outbound),
        List.copyOf(mwi));
  }

  /** The name a gateway needs resolved, or {@code null} (IP literal or not linked). */
  static NameKey nameOf(Gateway g, Map<String, HuntGroup> groups, Map<String, DialPlan> plans) {
    if (g.address().isIpLiteral() || groups == null) {
      return null;
    }
    for (HuntGroup h : groups.values()) {
      if (plans.containsKey(h.dialPlan())) {
        return new NameKey(g.address().text(), g.ipAddressFamily());
      }
    }
    return null;
  }

  static NameKey nameOf(UmServer s) {
    return s.host().isIpLiteral()
        ? null
        : new NameKey(s.host().text(), org.umgw.model.IpAddressFamily.Any);
  }

  static ServerPart serverPart(UmServer s, Map<NameKey, ResolvedName> resolved) {
    NameKey name = nameOf(s);
    ResolvedName addresses =
        name == null
            ? new ResolvedName(List.of(s.host().ip().orElseThrow()), false)
            : resolved.getOrDefault(name, ResolvedName.NONE);
    return new ServerPart(s, name, addresses);
  }

  /** The peer of {@code ip}: every gateway (by name), then every server (by name), on it. */
  static Peer peerOf(InetAddress ip, Slot slot) {
    List<Gateway> gateways = new ArrayList<>(slot.gateways.size());
    List<PeerMember> members = new ArrayList<>(slot.gateways.size() + slot.servers.size());
    TreeSet<String> fqdns = new TreeSet<>();
    boolean stale = false;
    // Each gateway keeps its own status, transport, port and name.
    for (GatewayPart p : slot.gateways.values()) {
      Gateway g = p.gateway();
      Transport t = p.transport();
      gateways.add(g);
      stale |= p.addresses().stale();
      if (g.address().isFqdn()) {
        fqdns.add(g.address().text());
      }
      members.add(
          new PeerMember(
              PeerMember.Kind.GATEWAY,
              g.name(),
              g.status(),
              t,
              g.port() == 0 ? t.defaultPort() : g.port(),
              g.address().isFqdn() ? g.address().text() : null));
    }
    for (ServerPart p : slot.servers.values()) {
      String host = p.server().host().isFqdn() ? p.server().host().text() : null;
      stale |= p.addresses().stale();
      if (host != null) {
        fqdns.add(host);
      }
      members.add(
          new PeerMember(
              PeerMember.Kind.SERVER,
              p.server().name(),
              GatewayStatus.Enabled,
              Transport.tcp,
              Transport.tcp.defaultPort(),
              host));
    }
    GatewayStatus status = GatewayStatus.Disabled;
    for (PeerMember m : members) {
      if (rank(m.status()) > rank(status)) {
        status = m.status();
      }
    }
    // The IP-wide summary: a TLS gateway decides, else the first gateway, else a server.
    PeerMember decides = members.get(0);
    for (PeerMember m : members) {
      if (m.kind() == PeerMember.Kind.GATEWAY
          && m.transport() == Transport.tls
          && decides.transport() != Transport.tls) {
        decides = m;
      }
    }
    return new Peer(
        ip,
        gateways,
        List.copyOf(slot.servers.keySet()),
        List.copyOf(fqdns),
        status,
        decides.port(),
        decides.transport(),
        stale,
        members);
  }

  private static int rank(GatewayStatus s) {
    return switch (s) {
      case Disabled -> 0;
      case NoNewCalls -> 1;
      case Enabled -> 2;
    };
  }

  /** Event 1175 when two or more names, gateways or servers reach the peer's IP. */
  static Optional<Event> duplicateEvent(Peer peer, Instant now) {
    if (peer.fqdns().size() < 2 && peer.members().size() < 2) {
      return Optional.empty();
    }
    List<String> all = new ArrayList<>();
    peer.gateways().forEach(g -> all.add("UM IP gateway " + g.name()));
    peer.servers().forEach(s -> all.add("UM server " + s));
    String ip = peer.addressText();
    return Optional.of(
        Event.of(
            EventId.DUPLICATE_PEER_IP,
            now,
            "IP address "
                + ip
                + " is reached by "
                + String.join(", ", all)
                + (peer.fqdns().isEmpty() ? "" : " (names " + String.join(", ", peer.fqdns()) + ")")
                + "; all of them stay trusted on this address",
            "address",
            ip,
            "gateways",
            peer.gatewayNames(),
            "servers",
            peer.servers(),
            "fqdns",
            peer.fqdns()));
  }

  /**
   * Whether outbound calls of {@code dp} may leave through {@code g}: Enabled, not a simulator,
   * with an address, addressed by FQDN when the dial plan uses TLS.
   */
  static boolean eligibleOutbound(Gateway g, DialPlan dp, boolean hasAddress) {
    return g.status() == GatewayStatus.Enabled
        && !g.simulator()
        && hasAddress
        && (!dp.voipSecurity().usesTls() || g.address().isFqdn());
  }
}
