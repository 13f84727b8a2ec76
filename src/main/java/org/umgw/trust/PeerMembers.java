package org.umgw.trust;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.umgw.model.ContentsIndex;
import org.umgw.model.Gateway;
import org.umgw.model.UmServer;
import org.umgw.trust.TrustParts.GatewayPart;
import org.umgw.trust.TrustParts.ServerPart;
import org.umgw.trust.TrustParts.Slot;

/**
 * The members of each IP and of each dial plan's outbound and MWI choice, for {@link TrustIndex}:
 * every gateway's and server's contribution ({@link TrustParts}) filed under the IPs it resolves to
 * and the dial plans it may leave for, so that removing or re-adding one contribution says which
 * IPs and dial plans to recompute. Not thread-safe, like the index.
 */
final class PeerMembers {
  private final ContentsIndex directory;
  private final Map<String, GatewayPart> gatewayParts = new HashMap<>();
  private final Map<String, ServerPart> serverParts = new HashMap<>();
  private final Map<InetAddress, Slot> slots = new HashMap<>();
  private final Map<String, TreeMap<String, Gateway>> outbound = new HashMap<>();
  private final Map<String, TreeMap<String, Gateway>> mwi = new HashMap<>();

  /**
   * @param directory the served directory, indexed (shared with the index, which keeps it current)
   */
  PeerMembers(ContentsIndex directory) {
    this.directory = directory;
  }

  void clear() {
    gatewayParts.clear();
    serverParts.clear();
    slots.clear();
    outbound.clear();
    mwi.clear();
  }

  /** Every IP with a member and what reaches it. */
  Map<InetAddress, Slot> slots() {
    return slots;
  }

  Collection<GatewayPart> gateways() {
    return gatewayParts.values();
  }

  /** The outbound (or, with {@code mwi}, MWI) gateways of each dial plan, in name order. */
  Map<String, List<Gateway>> byPlan(boolean mwi) {
    Map<String, List<Gateway>> copy = new HashMap<>();
    (mwi ? this.mwi : outbound).forEach((plan, gws) -> copy.put(plan, List.copyOf(gws.values())));
    return copy;
  }

  /**
   * Files gateway {@code name}'s contribution as the directory has it now.
   *
   * @return the contribution, or {@code null} when it is gone or not a peer
   */
  GatewayPart addGateway(String name, Map<NameKey, ResolvedName> resolved) {
    Gateway g = directory.gateway(name);
    GatewayPart part =
        g == null
            ? null
            : TrustParts.gatewayPart(
                g, directory.huntGroupsOf(name), directory.dialPlans(), resolved);
    if (part == null) {
      return null;
    }
    gatewayParts.put(name, part);
    for (InetAddress ip : part.addresses().addresses()) {
      slots.computeIfAbsent(ip, k -> new Slot()).gateways.put(name, part);
    }
    for (String plan : part.outboundPlans()) {
      outbound.computeIfAbsent(plan, k -> new TreeMap<>()).put(name, g);
    }
    for (String plan : part.mwiPlans()) {
      mwi.computeIfAbsent(plan, k -> new TreeMap<>()).put(name, g);
    }
    return part;
  }

  /**
   * Unfiles gateway {@code name}'s contribution, adding its IPs and dial plans to the dirty sets.
   *
   * @return the contribution removed, or {@code null} when it had none
   */
  GatewayPart removeGateway(String name, Set<InetAddress> dirtyIps, Set<String> dirtyPlans) {
    GatewayPart old = gatewayParts.remove(name);
    if (old != null) {
      for (InetAddress ip : old.addresses().addresses()) {
        slots.get(ip).gateways.remove(name);
        dirtyIps.add(ip);
      }
      unlist(outbound, old.outboundPlans(), name, dirtyPlans);
      unlist(mwi, old.mwiPlans(), name, dirtyPlans);
    }
    return old;
  }

  /** Files server {@code name}'s contribution; {@code null} when it is gone. */
  ServerPart addServer(String name, Map<NameKey, ResolvedName> resolved) {
    UmServer s = directory.server(name);
    if (s == null) {
      return null;
    }
    ServerPart part = TrustParts.serverPart(s, resolved);
    serverParts.put(name, part);
    for (InetAddress ip : part.addresses().addresses()) {
      slots.computeIfAbsent(ip, k -> new Slot()).servers.put(name, part);
    }
    return part;
  }

  /** Unfiles server {@code name}'s contribution, adding its IPs to {@code dirtyIps}. */
  void removeServer(String name, Set<InetAddress> dirtyIps) {
    ServerPart old = serverParts.remove(name);
    if (old != null) {
      for (InetAddress ip : old.addresses().addresses()) {
        slots.get(ip).servers.remove(name);
        dirtyIps.add(ip);
      }
    }
  }

  /** The peer at {@code ip} now, or {@code null}, forgetting an IP no member reaches any more. */
  Peer peerAt(InetAddress ip) {
    Slot slot = slots.get(ip);
    if (slot != null && slot.isEmpty()) {
      slots.remove(ip);
    } else if (slot != null) {
      return TrustParts.peerOf(ip, slot);
    }
    return null;
  }

  /** Puts {@code plan}'s outbound and MWI gateways now into the snapshot's editors. */
  void relist(
      String plan,
      ShardedMap.Editor<String, List<Gateway>> out,
      ShardedMap.Editor<String, List<Gateway>> notify) {
    relist(outbound, plan, out);
    relist(mwi, plan, notify);
  }

  private static void unlist(
      Map<String, TreeMap<String, Gateway>> byPlan,
      List<String> plans,
      String gateway,
      Set<String> dirtyPlans) {
    for (String plan : plans) {
      TreeMap<String, Gateway> of = byPlan.get(plan);
      of.remove(gateway);
      if (of.isEmpty()) {
        byPlan.remove(plan);
      }
      dirtyPlans.add(plan);
    }
  }

  private static void relist(
      Map<String, TreeMap<String, Gateway>> byPlan,
      String plan,
      ShardedMap.Editor<String, List<Gateway>> editor) {
    TreeMap<String, Gateway> of = byPlan.get(plan);
    if (of == null) {
      editor.remove(plan);
    } else {
      editor.put(plan, List.copyOf(of.values()));
    }
  }
}
