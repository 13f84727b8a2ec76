package org.umgw.trust;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pcollections.PMap;
import org.pcollections.PSet;
import org.pcollections.PVector;
import org.pcollections.TreePMap;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.Untrusted;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
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
  /**
   * The structures a snapshot reads, each persistent or copy-on-write so that the next snapshot
   * shares what a change does not touch ({@link TrustIndex}).
   */
  record Parts(
      PVector<Peer> peers,
      ShardedMap<InetAddress, Optional<Peer>> byAddress,
      ShardedMap<String, Routes> routes,
      ShardedMap<String, List<Gateway>> outbound,
      ShardedMap<String, List<Gateway>> mwi,
      TreePMap<InetAddress, Event> duplicates,
      PSet<NameKey> names,
      GatewayNames gatewayNames) {}

  private final Instant builtAt;
  private final DirectoryContents contents;
  private final Parts parts;
  private final PVector<Peer> peers;
  private final ShardedMap<InetAddress, Optional<Peer>> byAddress;
  private final ShardedMap<String, Routes> routes;
  private final Map<NameKey, ResolvedName> resolved;

  private TrustSnapshot(
      Instant builtAt,
      DirectoryContents contents,
      Map<NameKey, ResolvedName> resolved,
      Parts parts) {
    this.builtAt = builtAt;
    this.contents = contents;
    this.parts = parts;
    this.peers = parts.peers();
    this.byAddress = parts.byAddress();
    this.routes = parts.routes();
    this.resolved =
        resolved instanceof PMap<NameKey, ResolvedName>
            ? resolved
            : java.util.Collections.unmodifiableMap(resolved);
  }

  static TrustSnapshot of(
      Instant now, DirectoryContents contents, Map<NameKey, ResolvedName> resolved, Parts parts) {
    return new TrustSnapshot(now, contents, resolved, parts);
  }

  Parts parts() {
    return parts;
  }

  /** The empty snapshot: trusts nobody. */
  public static TrustSnapshot empty(Instant now) {
    return build(DirectoryContents.empty(), Map.of(), now);
  }

  /**
   * Builds the snapshot of {@code contents} with the addresses of {@code resolved} (names missing
   * from it give no address), in full. A service following the directory updates its snapshot by
   * change instead ({@link TrustIndex}); both give equal snapshots ({@link #sameContent}).
   */
  public static TrustSnapshot build(
      DirectoryContents contents, Map<NameKey, ResolvedName> resolved, Instant now) {
    return TrustIndex.build(contents, resolved, now);
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

  /**
   * Whether {@code other} trusts, routes and reports exactly as this one: the same peers, routes,
   * outbound and MWI choices, 1175 messages, names, DNS answers, certificate index and served
   * directory. Build times and event timestamps are not compared; identity never is.
   */
  public boolean sameContent(TrustSnapshot other) {
    return other != null
        && peers.equals(other.peers)
        && routes.toMap().equals(other.routes.toMap())
        && byAddress.toMap().equals(other.byAddress.toMap())
        && parts.outbound().toMap().equals(other.parts.outbound().toMap())
        && parts.mwi().toMap().equals(other.parts.mwi().toMap())
        && duplicateMessages().equals(other.duplicateMessages())
        && parts.names().equals(other.parts.names())
        && resolved.equals(other.resolved)
        && parts.gatewayNames().equals(other.parts.gatewayNames())
        && contents.equals(other.contents);
  }

  private List<String> duplicateMessages() {
    return duplicates().stream().map(Event::message).toList();
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
    return List.copyOf(parts.duplicates().values());
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
    return parts.names();
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
    return parts.gatewayNames().named(names);
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
    return parts.outbound().getOrDefault(dialPlan, List.of()).stream().findFirst();
  }

  /** Every gateway {@link #outboundGateway} could choose, by name. */
  public List<Gateway> outboundGateways(String dialPlan) {
    return parts.outbound().getOrDefault(dialPlan, List.of());
  }

  /** As {@link #outboundGateway}, for message-waiting NOTIFYs (MWI allowed instead). */
  public Optional<Gateway> mwiGateway(String dialPlan) {
    return parts.mwi().getOrDefault(dialPlan, List.of()).stream().findFirst();
  }
}
