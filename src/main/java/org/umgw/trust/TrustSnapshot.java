package org.umgw.trust;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.Untrusted;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayAddress;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UmServer;

/**
 * An immutable view of the trusted SIP peers: built once from the directory and the current DNS
 * answers, then only read, by any number of threads, without locks.
 *
 * <pre>{@code
 * TrustSnapshot s = TrustSnapshot.build(contents, resolved, clock.instant());
 * Optional<Peer> peer = s.lookup(source);              // no allocation
 * Admission a = s.admit(source, "5000", false, clock); // routed hunt group, or why not
 * }</pre>
 *
 * <p>Peers are the gateways linked to a dial plan by at least one hunt group, plus the hosts of the
 * UM servers' internal URLs. Everything a call needs (the peer of each IP, each gateway's routes by
 * pilot and transport, the accepted answers themselves) is computed here, so lookups and admissions
 * of trusted calls allocate nothing.
 */
public final class TrustSnapshot {
  private final Instant builtAt;
  private final DirectoryContents contents;
  private final List<Peer> peers;
  private final HashMap<InetAddress, Optional<Peer>> byAddress;
  private final Map<String, Routes> routes;
  private final Map<String, List<Gateway>> outbound;
  private final Map<String, List<Gateway>> mwi;
  private final List<Event> duplicates;
  private final Set<NameKey> names;
  private final Map<NameKey, ResolvedName> resolved;
  private final GatewayNames gatewayNames;

  private TrustSnapshot(Builder b) {
    this.builtAt = b.now;
    this.contents = b.contents;
    this.peers = List.copyOf(b.peers);
    this.byAddress = b.byAddress;
    this.routes = Map.copyOf(b.routes);
    this.outbound = Map.copyOf(b.outbound);
    this.mwi = Map.copyOf(b.mwi);
    this.duplicates = List.copyOf(b.duplicates);
    this.names = Set.copyOf(b.names);
    this.resolved = b.resolved;
    this.gatewayNames =
        new GatewayNames(
            b.contents.gateways().stream().filter(g -> b.routes.containsKey(g.name())).toList());
  }

  /** The empty snapshot: trusts nobody. */
  public static TrustSnapshot empty(Instant now) {
    return build(DirectoryContents.empty(), Map.of(), now);
  }

  /**
   * Builds the snapshot of {@code contents} with the addresses of {@code resolved} (names missing
   * from it give no address).
   */
  public static TrustSnapshot build(
      DirectoryContents contents, Map<NameKey, ResolvedName> resolved, Instant now) {
    return new TrustSnapshot(new Builder(contents, resolved, now));
  }

  /** The names to resolve for {@code contents}: FQDNs of linked gateways and of servers. */
  public static Set<NameKey> namesOf(DirectoryContents contents) {
    // The same names the builder asks for, without building the peers (a directory change needs
    // the names before DNS, and the build after it).
    Set<String> plans = new HashSet<>();
    contents.dialPlans().forEach(d -> plans.add(d.name()));
    Set<String> linked = new HashSet<>();
    for (HuntGroup h : contents.huntGroups()) {
      if (plans.contains(h.dialPlan())) {
        linked.add(h.gateway());
      }
    }
    Set<NameKey> names = new LinkedHashSet<>();
    for (Gateway g : contents.gateways()) {
      if (linked.contains(g.name()) && !g.address().isIpLiteral()) {
        names.add(new NameKey(g.address().text(), g.ipAddressFamily()));
      }
    }
    for (UmServer s : contents.servers()) {
      if (!s.host().isIpLiteral()) {
        names.add(new NameKey(s.host().text(), IpAddressFamily.Any));
      }
    }
    return names;
  }

  // ---------------------------------------------------------------- reads

  /** The peer of {@code source}, or empty: allocation-free, for every incoming packet. */
  public Optional<Peer> lookup(InetAddress source) {
    Optional<Peer> p = byAddress.get(source);
    return p != null ? p : Optional.empty();
  }

  /** Every peer, sorted IPv4 first, then IPv6, each numerically. */
  public List<Peer> peers() {
    return peers;
  }

  /**
   * Event 1175 for every IP reached by two or more names, gateways or servers (in any mix), in
   * address order.
   */
  public List<Event> duplicates() {
    return duplicates;
  }

  public Instant builtAt() {
    return builtAt;
  }

  public DirectoryContents contents() {
    return contents;
  }

  /**
   * The DNS answers this snapshot was built from, by name (read-only): what an on-disk copy must
   * keep to rebuild the same peers without DNS.
   */
  public Map<NameKey, ResolvedName> resolved() {
    return resolved;
  }

  /** The names this snapshot's directory needs resolved. */
  public Set<NameKey> names() {
    return names;
  }

  /**
   * Admits a call from {@code source} to {@code pilot} (the Request-URI user part; empty or {@code
   * null} matches only the catch-all) over TLS or not. A trusted call allocates nothing; a refusal
   * carries its event, stamped with {@code clock}.
   */
  public Admission admit(InetAddress source, String pilot, boolean overTls, Clock clock) {
    Optional<Peer> found = lookup(source);
    if (found.isEmpty()) {
      String ip = com.google.common.net.InetAddresses.toAddrString(source);
      return new Admission.Refused(
          Admission.Reason.UNTRUSTED_SOURCE,
          Event.of(
              EventId.UNTRUSTED_SOURCE,
              clock.instant(),
              "No valid UM IP gateway was found with address " + ip,
              "address",
              ip));
    }
    Peer peer = found.get();
    String key = pilot == null ? "" : pilot;
    boolean anyEnabled = false;
    for (Gateway g : peer.gateways()) {
      if (g.status() != GatewayStatus.Enabled) {
        continue;
      }
      anyEnabled = true;
      Admission.Accepted a = routes.get(g.name()).route(key, overTls);
      if (a != null) {
        return a;
      }
    }
    return refusal(peer, key, overTls, anyEnabled, clock);
  }

  /**
   * Admits a call that arrived over mutual TLS by its certificate: the gateway is the one the
   * certificate names (see {@link CertificateAdmission}), and the source must be one of its
   * addresses. {@code chain} is the peer's, leaf first, as {@code SSLSession.getPeerCertificates()}
   * gives it (already verified against the trust store by the TLS layer).
   */
  public Admission admit(
      InetAddress source, String pilot, java.security.cert.X509Certificate[] chain, Clock clock) {
    return CertificateAdmission.admit(this, source, pilot, chain, clock);
  }

  /** The trusted gateways whose FQDN the certificate's names match. */
  List<Gateway> gatewaysNamed(org.umgw.tls.CertificateNames names) {
    return gatewayNames.named(names);
  }

  /** The route of {@code gateway}'s hunt groups for the pilot, or null. */
  Admission.Accepted route(String gateway, String pilot, boolean overTls) {
    Routes r = routes.get(gateway);
    return r == null ? null : r.route(pilot == null ? "" : pilot, overTls);
  }

  /**
   * Why a trusted source's call found no route. 1442 only when the IP is nothing but gateways that
   * are not Enabled: a UM server on the IP is a trusted peer in its own right (without hunt
   * groups), so its calls are refused like a server-only IP's, whatever the gateways beside it.
   */
  private static Admission.Refused refusal(
      Peer peer, String key, boolean overTls, boolean anyEnabled, Clock clock) {
    String ip = peer.addressText();
    String pilot = Untrusted.text(key);
    List<String> notEnabled =
        peer.gateways().stream()
            .filter(g -> g.status() != GatewayStatus.Enabled)
            .map(g -> g.name() + " (" + g.status() + ")")
            .toList();
    if (!anyEnabled && peer.servers().isEmpty()) {
      return new Admission.Refused(
          Admission.Reason.GATEWAY_NOT_ENABLED,
          Event.of(
              EventId.GATEWAY_NOT_ENABLED,
              clock.instant(),
              "A call from "
                  + ip
                  + " was refused: UM IP gateway "
                  + String.join(", ", notEnabled)
                  + " is not Enabled",
              "address",
              ip,
              "gateways",
              peer.gatewayNames()));
    }
    List<String> enabled =
        peer.gateways().stream()
            .filter(g -> g.status() == GatewayStatus.Enabled)
            .map(Gateway::name)
            .toList();
    return new Admission.Refused(
        Admission.Reason.NO_HUNT_GROUP,
        Event.of(
            EventId.NO_HUNT_GROUP,
            clock.instant(),
            "A call from "
                + ip
                + " to pilot \""
                + pilot
                + "\" over "
                + (overTls ? "TLS" : "TCP/UDP")
                + " matched no hunt group of "
                + (enabled.isEmpty()
                    ? "this UM server address"
                    : "UM IP gateway " + String.join(", ", enabled))
                + (notEnabled.isEmpty()
                    ? ""
                    : " (not Enabled: UM IP gateway " + String.join(", ", notEnabled) + ")"),
            "address",
            ip,
            "pilot",
            pilot,
            "tls",
            overTls));
  }

  /**
   * The gateway an outbound call (Play-on-Phone) of {@code dialPlan} leaves through: Enabled, not a
   * simulator, outcalls allowed, with at least one address, addressed by FQDN when the dial plan
   * uses TLS; the first by name.
   */
  public Optional<Gateway> outboundGateway(String dialPlan) {
    return outbound.getOrDefault(dialPlan, List.of()).stream().findFirst();
  }

  /** Every gateway {@link #outboundGateway} could choose, by name. */
  public List<Gateway> outboundGateways(String dialPlan) {
    return outbound.getOrDefault(dialPlan, List.of());
  }

  /** As {@link #outboundGateway}, for message-waiting NOTIFYs (MWI allowed instead). */
  public Optional<Gateway> mwiGateway(String dialPlan) {
    return mwi.getOrDefault(dialPlan, List.of()).stream().findFirst();
  }

  // ---------------------------------------------------------------- routing

  /** One gateway's hunt groups, by pilot (case-insensitive) and transport. */
  private static final class Routes {
    private final TreeMap<String, Admission.Accepted> plain =
        new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final TreeMap<String, Admission.Accepted> tls =
        new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    Admission.Accepted route(String pilot, boolean overTls) {
      TreeMap<String, Admission.Accepted> table = overTls ? tls : plain;
      Admission.Accepted exact = table.get(pilot);
      return exact != null ? exact : table.get("");
    }
  }

  // ---------------------------------------------------------------- building

  private static final class Builder {
    final Instant now;
    final DirectoryContents contents;
    final List<Peer> peers = new ArrayList<>();
    final HashMap<InetAddress, Optional<Peer>> byAddress = new HashMap<>();
    final Map<String, Routes> routes = new HashMap<>();
    final Map<String, List<Gateway>> outbound = new HashMap<>();
    final Map<String, List<Gateway>> mwi = new HashMap<>();
    final List<Event> duplicates = new ArrayList<>();
    final Set<NameKey> names = new LinkedHashSet<>();
    final Map<NameKey, ResolvedName> resolved;

    /** Everything that reaches one IP, gathered before the Peer is made. */
    private static final class Slot {
      final TreeMap<String, Gateway> gateways = new TreeMap<>();

      /** Server name to its URL's host name (null for an IP literal), by name. */
      final TreeMap<String, String> servers = new TreeMap<>();

      final TreeSet<String> fqdns = new TreeSet<>();
      final Map<String, Transport> transports = new HashMap<>();
      boolean stale;
    }

    Builder(DirectoryContents contents, Map<NameKey, ResolvedName> resolved, Instant now) {
      this.now = now;
      this.contents = contents;
      this.resolved = java.util.Collections.unmodifiableMap(resolved);
      Map<String, DialPlan> plans = new HashMap<>();
      for (DialPlan dp : contents.dialPlans()) {
        plans.put(dp.name(), dp);
      }
      Map<String, List<HuntGroup>> groups = new HashMap<>();
      for (HuntGroup h : contents.huntGroups()) {
        if (plans.containsKey(h.dialPlan())) {
          groups.computeIfAbsent(h.gateway(), k -> new ArrayList<>()).add(h);
        }
      }
      TreeMap<InetAddress, Slot> slots = new TreeMap<>(Addresses.ORDER);
      Map<String, Boolean> hasAddress = new HashMap<>();
      for (Gateway g : contents.gateways()) {
        List<HuntGroup> linked = groups.get(g.name());
        if (linked == null) {
          continue;
        }
        Transport transport =
            linked.stream().anyMatch(h -> plans.get(h.dialPlan()).voipSecurity().usesTls())
                ? Transport.tls
                : Transport.tcp;
        ResolvedName addresses = addressesOf(g.address(), g.ipAddressFamily(), resolved);
        hasAddress.put(g.name(), !addresses.addresses().isEmpty());
        for (InetAddress ip : addresses.addresses()) {
          Slot slot = slots.computeIfAbsent(ip, k -> new Slot());
          slot.gateways.put(g.name(), g);
          slot.transports.put(g.name(), transport);
          slot.stale |= addresses.stale();
          if (g.address().isFqdn()) {
            slot.fqdns.add(g.address().text());
          }
        }
        routes.put(g.name(), new Routes());
      }
      for (UmServer s : contents.servers()) {
        GatewayAddress host = s.host();
        ResolvedName addresses = addressesOf(host, IpAddressFamily.Any, resolved);
        for (InetAddress ip : addresses.addresses()) {
          Slot slot = slots.computeIfAbsent(ip, k -> new Slot());
          slot.servers.put(s.name(), host.isFqdn() ? host.text() : null);
          slot.stale |= addresses.stale();
          if (host.isFqdn()) {
            slot.fqdns.add(host.text());
          }
        }
      }
      for (Map.Entry<InetAddress, Slot> e : slots.entrySet()) {
        Peer peer = peerOf(e.getKey(), e.getValue());
        peers.add(peer);
        byAddress.put(e.getKey(), Optional.of(peer));
        duplicateEvent(peer).ifPresent(duplicates::add);
      }
      for (Gateway g : contents.gateways()) {
        List<HuntGroup> linked = groups.get(g.name());
        if (linked == null) {
          continue;
        }
        Routes r = routes.get(g.name());
        for (HuntGroup h : linked) {
          DialPlan dp = plans.get(h.dialPlan());
          var table = dp.voipSecurity().usesTls() ? r.tls : r.plain;
          table.putIfAbsent(h.pilotIdentifier(), new Admission.Accepted(g, h, dp));
          if (eligibleOutbound(g, dp, hasAddress.getOrDefault(g.name(), false))) {
            if (g.outcallsAllowed()) {
              addOnce(outbound, dp.name(), g);
            }
            if (g.messageWaitingIndicatorAllowed()) {
              addOnce(mwi, dp.name(), g);
            }
          }
        }
      }
      outbound.replaceAll((k, v) -> sortedByName(v));
      mwi.replaceAll((k, v) -> sortedByName(v));
    }

    private ResolvedName addressesOf(
        GatewayAddress address, IpAddressFamily family, Map<NameKey, ResolvedName> resolved) {
      if (address.isIpLiteral()) {
        return new ResolvedName(List.of(address.ip().orElseThrow()), false);
      }
      NameKey key = new NameKey(address.text(), family);
      names.add(key);
      return resolved.getOrDefault(key, ResolvedName.NONE);
    }

    private static Peer peerOf(InetAddress ip, Slot slot) {
      List<Gateway> gateways = List.copyOf(slot.gateways.values());
      List<PeerMember> members = new ArrayList<>();
      // Each gateway keeps its own status, transport, port and name.
      for (Gateway g : gateways) {
        Transport t = slot.transports.get(g.name());
        members.add(
            new PeerMember(
                PeerMember.Kind.GATEWAY,
                g.name(),
                g.status(),
                t,
                g.port() == 0 ? t.defaultPort() : g.port(),
                g.address().isFqdn() ? g.address().text() : null));
      }
      for (Map.Entry<String, String> s : slot.servers.entrySet()) {
        members.add(
            new PeerMember(
                PeerMember.Kind.SERVER,
                s.getKey(),
                GatewayStatus.Enabled,
                Transport.tcp,
                Transport.tcp.defaultPort(),
                s.getValue()));
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
          List.copyOf(slot.fqdns),
          status,
          decides.port(),
          decides.transport(),
          slot.stale,
          members);
    }

    private static int rank(GatewayStatus s) {
      return switch (s) {
        case Disabled -> 0;
        case NoNewCalls -> 1;
        case Enabled -> 2;
      };
    }

    private Optional<Event> duplicateEvent(Peer peer) {
      // Any two peers on one IP: gateways, servers, or names.
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
                  + (peer.fqdns().isEmpty()
                      ? ""
                      : " (names " + String.join(", ", peer.fqdns()) + ")")
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

    private static boolean eligibleOutbound(Gateway g, DialPlan dp, boolean hasAddress) {
      return g.status() == GatewayStatus.Enabled
          && !g.simulator()
          && hasAddress
          && (!dp.voipSecurity().usesTls() || g.address().isFqdn());
    }

    private static void addOnce(Map<String, List<Gateway>> map, String key, Gateway g) {
      List<Gateway> list = map.computeIfAbsent(key, k -> new ArrayList<>());
      if (!list.contains(g)) {
        list.add(g);
      }
    }

    private static List<Gateway> sortedByName(Collection<Gateway> gateways) {
      return gateways.stream().sorted(java.util.Comparator.comparing(Gateway::name)).toList();
    }
  }
}
