package org.umgw.console.pages;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.trust.NameKey;
import org.umgw.trust.Peer;
import org.umgw.trust.ResolvedName;
import org.umgw.trust.TrustSnapshot;

/**
 * The lookups the pages need, built once per snapshot (the snapshot is immutable, so this is too):
 * gateways sorted by name, hunt groups by gateway and by dial plan, peers by gateway, the names
 * that share an IP (1175) and the names that resolve to nothing (1194). Pages of 10,000 gateways
 * then cost a slice, not a scan.
 */
public final class Index {
  final TrustSnapshot snapshot;
  final List<Gateway> gateways;

  /** Per gateway of {@link #gateways}, in the same order: its name and address, lower case. */
  final List<String> searchKeys;

  final Map<String, Gateway> gatewayByName = new HashMap<>();

  /** Per peer of the snapshot, in its order: what the peers filter looks in. */
  final List<String> peerSearchKeys;

  final Map<String, List<HuntGroup>> huntGroupsByGateway = new HashMap<>();
  final Map<String, List<HuntGroup>> huntGroupsByDialPlan = new HashMap<>();
  final Map<String, DialPlan> dialPlans = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  final Map<String, List<Peer>> peersByGateway = new HashMap<>();
  final Set<String> sharingAddress = new LinkedHashSet<>();
  final Set<String> unresolved = new LinkedHashSet<>();

  private Index(TrustSnapshot snapshot) {
    this.snapshot = snapshot;
    List<Gateway> sorted = new ArrayList<>(snapshot.contents().gateways());
    sorted.sort(Comparator.comparing(g -> g.name().toLowerCase(Locale.ROOT)));
    this.gateways = List.copyOf(sorted);
    List<String> keys = new ArrayList<>(gateways.size());
    for (Gateway g : gateways) {
      keys.add(key(g.name()) + "\u0000" + g.address().text().toLowerCase(Locale.ROOT));
    }
    this.searchKeys = List.copyOf(keys);
    for (Gateway g : gateways) {
      gatewayByName.put(key(g.name()), g);
    }
    for (HuntGroup h : snapshot.contents().huntGroups()) {
      huntGroupsByGateway.computeIfAbsent(key(h.gateway()), k -> new ArrayList<>()).add(h);
      if (h.dialPlan() != null) {
        huntGroupsByDialPlan.computeIfAbsent(key(h.dialPlan()), k -> new ArrayList<>()).add(h);
      }
    }
    for (DialPlan dp : snapshot.contents().dialPlans()) {
      dialPlans.put(dp.name(), dp);
    }
    List<String> peerKeys = new ArrayList<>(snapshot.peers().size());
    for (Peer p : snapshot.peers()) {
      peerKeys.add(PeersPage.searchKey(p));
      for (Gateway g : p.gateways()) {
        peersByGateway.computeIfAbsent(key(g.name()), k -> new ArrayList<>()).add(p);
      }
      if (p.members().size() > 1) {
        p.members().forEach(m -> sharingAddress.add(key(m.name())));
      }
    }
    this.peerSearchKeys = List.copyOf(peerKeys);
    for (Map.Entry<NameKey, ResolvedName> e : snapshot.resolved().entrySet()) {
      if (e.getValue().addresses().isEmpty()) {
        unresolved.add(key(e.getKey().name()));
      }
    }
  }

  private static volatile Index last;

  /** The index of {@code snapshot}, reusing the last one built when it is the same snapshot. */
  public static Index of(TrustSnapshot snapshot) {
    Index i = last;
    if (i == null || i.snapshot != snapshot) {
      i = new Index(snapshot);
      last = i;
    }
    return i;
  }

  static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** The gateway of that name (any case), or {@code null}. */
  public Gateway gateway(String name) {
    return name == null ? null : gatewayByName.get(key(name));
  }

  List<HuntGroup> huntGroups(String gateway) {
    return huntGroupsByGateway.getOrDefault(key(gateway), List.of());
  }

  List<HuntGroup> huntGroupsOfDialPlan(String dialPlan) {
    return huntGroupsByDialPlan.getOrDefault(key(dialPlan), List.of());
  }

  List<Peer> peers(String gateway) {
    return peersByGateway.getOrDefault(key(gateway), List.of());
  }

  /** The gateway or server shares its IP with another name (1175). */
  boolean sharesAddress(String name) {
    return sharingAddress.contains(key(name));
  }

  /** The name (an FQDN) resolved to no address (1194). */
  boolean unresolved(String fqdn) {
    return fqdn != null && unresolved.contains(key(fqdn));
  }
}
