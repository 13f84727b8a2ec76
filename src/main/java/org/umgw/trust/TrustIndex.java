package org.umgw.trust;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.pcollections.HashTreePSet;
import org.pcollections.PVector;
import org.pcollections.TreePMap;
import org.pcollections.TreePVector;
import org.umgw.events.Event;
import org.umgw.model.ContentsDelta;
import org.umgw.model.ContentsIndex;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.SortedVectors;
import org.umgw.model.UmServer;
import org.umgw.trust.TrustParts.GatewayPart;
import org.umgw.trust.TrustParts.ServerPart;
import org.umgw.trust.TrustParts.Slot;

/**
 * Builds {@link TrustSnapshot}s, in full or by change: keeps the served directory indexed (hunt
 * groups per gateway, gateways per dial plan, users per name) and each gateway's and server's
 * contribution ({@link TrustParts}), so that a change recomputes only the gateways it touches (the
 * changed ones, those of changed hunt groups, those linked to a changed dial plan, the users of a
 * re-resolved name), then only the peers of their IPs (1175 included) and the outbound choices of
 * their dial plans. The new snapshot shares everything else with the one before ({@link
 * ShardedMap}, persistent lists).
 *
 * <p>Two steps, because DNS comes between them: {@link #stage} takes the directory change and says
 * which names are now needed or no longer; {@link #build} takes the answers and makes the snapshot.
 * {@link #reset} does both for a whole directory (initial load, full refresh). Not thread-safe:
 * {@link TrustedPeers} confines it to its loop.
 *
 * <p>The parts: {@link PeerMembers} (the contributions filed by IP and by dial plan) and {@link
 * NameUsers} (which names are needed, and by whom); this class stages changes and makes the
 * snapshots.
 */
final class TrustIndex {
  private static final Comparator<Peer> PEER_ORDER =
      Comparator.comparing(Peer::address, Addresses.ORDER);

  /**
   * What {@link #build} changed.
   *
   * @param peersChanged some peer was added, removed or changed
   * @param routingChanged hunt groups or dial plans changed since the last build
   * @param added IPs that became peers
   * @param removed IPs that are no longer peers
   * @param newDuplicates 1175 events that are new or say something new
   */
  record Update(
      TrustSnapshot snapshot,
      boolean peersChanged,
      boolean routingChanged,
      List<InetAddress> added,
      List<InetAddress> removed,
      List<Event> newDuplicates) {}

  /**
   * The names a {@link #stage} made needed, and those no longer needed.
   *
   * @param added names to resolve before {@link #build}
   * @param removed names to stop re-resolving
   */
  record NameChanges(Set<NameKey> added, Set<NameKey> removed) {}

  /** The served directory, indexed. */
  private final ContentsIndex directory = new ContentsIndex();

  // Contributions and what they make; the names they need and who needs them.
  private final PeerMembers members = new PeerMembers(directory);
  private final NameUsers names = new NameUsers();

  // Staged, not built yet.
  // Replaced, never cleared: a set cleared after the full build would keep its table, and every
  // later change would walk it.
  private Set<String> dirtyGateways = new HashSet<>();
  private Set<String> dirtyServers = new HashSet<>();
  private boolean routingChanged;
  private DirectoryContents contents = DirectoryContents.empty();

  private TrustSnapshot current;

  TrustIndex(Instant now) {
    current = TrustSnapshot.of(now, DirectoryContents.empty(), Map.of(), emptyParts());
  }

  /** The snapshot of {@code contents}, built in full. */
  static TrustSnapshot build(
      DirectoryContents contents, Map<NameKey, ResolvedName> resolved, Instant now) {
    TrustIndex index = new TrustIndex(now);
    return index.reset(contents, resolved, now);
  }

  /** The snapshot of the last {@link #build} or {@link #reset}. */
  TrustSnapshot current() {
    return current;
  }

  /** Every name the staged directory needs resolved. */
  Set<NameKey> names() {
    return names.names();
  }

  // ---------------------------------------------------------------- full

  /** Forgets everything and builds the snapshot of {@code all} in one pass. */
  TrustSnapshot reset(DirectoryContents all, Map<NameKey, ResolvedName> resolved, Instant now) {
    directory.reset(DirectoryContents.empty());
    members.clear();
    names.clear();
    dirtyGateways = new HashSet<>();
    dirtyServers = new HashSet<>();
    stage(all, everything(all));
    routingChanged = false;
    Map<String, Routes> routes = new HashMap<>();
    for (String g : dirtyGateways) {
      GatewayPart p = members.addGateway(g, resolved);
      if (p != null) {
        routes.put(g, p.routes());
      }
    }
    for (String s : dirtyServers) {
      members.addServer(s, resolved);
    }
    dirtyGateways = new HashSet<>();
    dirtyServers = new HashSet<>();
    Map<InetAddress, Slot> slots = members.slots();
    List<Peer> peers = new ArrayList<>(slots.size());
    Map<InetAddress, Optional<Peer>> byAddress = new HashMap<>(slots.size() * 2);
    Map<InetAddress, Event> duplicates = new HashMap<>();
    for (Map.Entry<InetAddress, Slot> e : slots.entrySet()) {
      Peer peer = TrustParts.peerOf(e.getKey(), e.getValue());
      peers.add(peer);
      byAddress.put(e.getKey(), Optional.of(peer));
      TrustParts.duplicateEvent(peer, now).ifPresent(ev -> duplicates.put(e.getKey(), ev));
    }
    peers.sort(PEER_ORDER);
    Map<String, List<Gateway>> out = members.byPlan(false);
    Map<String, List<Gateway>> notify = members.byPlan(true);
    List<Gateway> named = new ArrayList<>();
    members.gateways().forEach(p -> named.add(p.gateway()));
    current =
        TrustSnapshot.of(
            now,
            contents,
            resolved,
            new TrustSnapshot.Parts(
                TreePVector.from(peers),
                ShardedMap.of(byAddress),
                ShardedMap.of(routes),
                ShardedMap.of(out),
                ShardedMap.of(notify),
                TreePMap.from(Addresses.ORDER, duplicates),
                names.names(),
                GatewayNames.of(named)));
    return current;
  }

  private static ContentsDelta everything(DirectoryContents all) {
    return new ContentsDelta(
        all.dialPlans().stream().map(d -> new ContentsDelta.Change<DialPlan>(null, d)).toList(),
        all.gateways().stream().map(g -> new ContentsDelta.Change<Gateway>(null, g)).toList(),
        all.huntGroups().stream().map(h -> new ContentsDelta.Change<HuntGroup>(null, h)).toList(),
        all.servers().stream().map(s -> new ContentsDelta.Change<UmServer>(null, s)).toList());
  }

  private static TrustSnapshot.Parts emptyParts() {
    return new TrustSnapshot.Parts(
        TreePVector.empty(),
        ShardedMap.empty(),
        ShardedMap.empty(),
        ShardedMap.empty(),
        ShardedMap.empty(),
        TreePMap.empty(Addresses.ORDER),
        HashTreePSet.empty(),
        GatewayNames.of(List.of()));
  }

  // ---------------------------------------------------------------- staging a change

  /**
   * Takes a change of the served directory: {@code next} is the directory after {@code delta}.
   * Marks the gateways and servers it can affect, and registers the names they now need.
   */
  NameChanges stage(DirectoryContents next, ContentsDelta delta) {
    contents = next;
    directory.apply(delta);
    Set<String> newlyDirty = new HashSet<>();
    Set<String> newlyDirtyServers = new HashSet<>();
    for (ContentsDelta.Change<Gateway> c : delta.gateways()) {
      addName(newlyDirty, c.before(), Gateway::name);
      addName(newlyDirty, c.after(), Gateway::name);
    }
    for (ContentsDelta.Change<HuntGroup> c : delta.huntGroups()) {
      addName(newlyDirty, c.before(), HuntGroup::gateway);
      addName(newlyDirty, c.after(), HuntGroup::gateway);
    }
    for (ContentsDelta.Change<UmServer> c : delta.servers()) {
      addName(newlyDirtyServers, c.before(), UmServer::name);
      addName(newlyDirtyServers, c.after(), UmServer::name);
    }
    // A dial plan reaches the gateways its hunt groups link (those of changed hunt groups are in).
    for (ContentsDelta.Change<DialPlan> c : delta.dialPlans()) {
      for (DialPlan d : new DialPlan[] {c.before(), c.after()}) {
        if (d != null) {
          directory.linking(d.name()).forEach(h -> newlyDirty.add(h.gateway()));
        }
      }
    }
    routingChanged |= !delta.huntGroups().isEmpty() || !delta.dialPlans().isEmpty();
    dirtyGateways.addAll(newlyDirty);
    dirtyServers.addAll(newlyDirtyServers);

    Map<NameKey, Boolean> neededBefore = new HashMap<>();
    for (String g : newlyDirty) {
      Gateway gw = directory.gateway(g);
      NameKey now =
          gw == null
              ? null
              : TrustParts.nameOf(gw, directory.huntGroupsOf(g), directory.dialPlans());
      names.gateway(g, now, neededBefore);
    }
    for (String s : newlyDirtyServers) {
      UmServer server = directory.server(s);
      names.server(s, server == null ? null : TrustParts.nameOf(server), neededBefore);
    }
    return names.changes(neededBefore);
  }

  /** Marks the users of re-resolved names, for the next {@link #build}. */
  void resolved(Collection<NameKey> changed) {
    names.usersOf(changed, dirtyGateways, dirtyServers);
  }

  private static <T> void addName(
      Set<String> names, T object, java.util.function.Function<T, String> name) {
    if (object != null) {
      names.add(name.apply(object));
    }
  }

  // ---------------------------------------------------------------- building a change

  /**
   * Recomputes what the staged changes (and the names in {@link #resolved}) touch and makes the
   * next snapshot from the current one, with {@code resolved} as the DNS answers.
   */
  Update build(Map<NameKey, ResolvedName> resolved, Instant now) {
    TrustSnapshot.Parts was = current.parts();
    Set<InetAddress> dirtyIps = new HashSet<>();
    Set<String> dirtyPlans = new HashSet<>();
    ShardedMap.Editor<String, Routes> routes = was.routes().edit();
    GatewayNames.Editor named = was.gatewayNames().edit();
    for (String g : dirtyGateways) {
      GatewayPart old = members.removeGateway(g, dirtyIps, dirtyPlans);
      if (old != null) {
        routes.remove(g);
        named.remove(old.gateway());
      }
      GatewayPart part = members.addGateway(g, resolved);
      if (part != null) {
        dirtyIps.addAll(part.addresses().addresses());
        dirtyPlans.addAll(part.outboundPlans());
        dirtyPlans.addAll(part.mwiPlans());
        routes.put(g, part.routes());
        named.add(part.gateway());
      }
    }
    for (String s : dirtyServers) {
      members.removeServer(s, dirtyIps);
      ServerPart part = members.addServer(s, resolved);
      if (part != null) {
        dirtyIps.addAll(part.addresses().addresses());
      }
    }
    dirtyGateways = new HashSet<>();
    dirtyServers = new HashSet<>();

    PVector<Peer> peers = was.peers();
    ShardedMap.Editor<InetAddress, Optional<Peer>> byAddress = was.byAddress().edit();
    TreePMap<InetAddress, Event> duplicates = was.duplicates();
    List<InetAddress> added = new ArrayList<>();
    List<InetAddress> removed = new ArrayList<>();
    List<Event> newDuplicates = new ArrayList<>();
    for (InetAddress ip : dirtyIps) {
      Peer after = members.peerAt(ip);
      Optional<Peer> found = was.byAddress().get(ip);
      Peer before = found == null ? null : found.get();
      if (java.util.Objects.equals(before, after)) {
        continue;
      }
      Event oldDuplicate = duplicates.get(ip);
      if (before != null && after != null) {
        peers = SortedVectors.replace(peers, before, after, PEER_ORDER);
        byAddress.remove(ip);
        duplicates = duplicates.minus(ip);
      } else if (before != null) {
        peers = SortedVectors.remove(peers, before, PEER_ORDER);
        byAddress.remove(ip);
        duplicates = duplicates.minus(ip);
      } else {
        added.add(ip);
      }
      if (after != null) {
        if (before == null) {
          peers = SortedVectors.insert(peers, after, PEER_ORDER);
        }
        byAddress.put(ip, Optional.of(after));
        Optional<Event> dup = TrustParts.duplicateEvent(after, now);
        if (dup.isPresent()) {
          duplicates = duplicates.plus(ip, dup.get());
          if (oldDuplicate == null || !oldDuplicate.message().equals(dup.get().message())) {
            newDuplicates.add(dup.get());
          }
        }
      } else {
        removed.add(ip);
      }
    }
    ShardedMap.Editor<String, List<Gateway>> out = was.outbound().edit();
    ShardedMap.Editor<String, List<Gateway>> notify = was.mwi().edit();
    for (String plan : dirtyPlans) {
      members.relist(plan, out, notify);
    }
    boolean routing = routingChanged;
    routingChanged = false;
    added.sort(Addresses.ORDER);
    removed.sort(Addresses.ORDER);
    current =
        TrustSnapshot.of(
            now,
            contents,
            resolved,
            new TrustSnapshot.Parts(
                peers,
                byAddress.done(),
                routes.done(),
                out.done(),
                notify.done(),
                duplicates,
                names.names(),
                named.done()));
    return new Update(current, was.peers() != peers, routing, added, removed, newDuplicates);
  }
}
