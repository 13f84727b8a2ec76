package org.umgw.trust;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.pcollections.HashTreePSet;
import org.pcollections.PSet;

/**
 * Which gateways and servers need each name, for {@link TrustIndex}: a staged change says which
 * names it made needed or no longer needed, and a re-resolved name says whom to rebuild. Not
 * thread-safe, like the index.
 */
final class NameUsers {
  /** Which gateways and servers need a name. */
  private static final class Users {
    final Set<String> gateways = new HashSet<>(2);
    final Set<String> servers = new HashSet<>(1);

    boolean isEmpty() {
      return gateways.isEmpty() && servers.isEmpty();
    }
  }

  private final Map<String, NameKey> gatewayNames = new HashMap<>();
  private final Map<String, NameKey> serverNames = new HashMap<>();
  private final Map<NameKey, Users> users = new HashMap<>();
  private PSet<NameKey> names = HashTreePSet.empty();

  /** Every name needed now. */
  PSet<NameKey> names() {
    return names;
  }

  void clear() {
    gatewayNames.clear();
    serverNames.clear();
    users.clear();
    names = HashTreePSet.empty();
  }

  /**
   * Registers the name gateway {@code owner} needs now ({@code null}: none), noting in {@code
   * neededBefore} whether each name it touches was needed before this stage.
   */
  void gateway(String owner, NameKey now, Map<NameKey, Boolean> neededBefore) {
    register(gatewayNames, owner, now, false, neededBefore);
  }

  /** As {@link #gateway}, for a UM server. */
  void server(String owner, NameKey now, Map<NameKey, Boolean> neededBefore) {
    register(serverNames, owner, now, true, neededBefore);
  }

  /** The names the registrations since {@code neededBefore} was empty made needed, or not. */
  TrustIndex.NameChanges changes(Map<NameKey, Boolean> neededBefore) {
    Set<NameKey> added = new HashSet<>();
    Set<NameKey> removed = new HashSet<>();
    neededBefore.forEach(
        (key, was) -> {
          boolean is = users.containsKey(key);
          if (is && !was) {
            added.add(key);
            names = names.plus(key);
          } else if (!is && was) {
            removed.add(key);
            names = names.minus(key);
          }
        });
    return new TrustIndex.NameChanges(added, removed);
  }

  /** Adds the users of the {@code changed} names to {@code gateways} and {@code servers}. */
  void usersOf(Collection<NameKey> changed, Set<String> gateways, Set<String> servers) {
    for (NameKey key : changed) {
      Users u = users.get(key);
      if (u != null) {
        gateways.addAll(u.gateways);
        servers.addAll(u.servers);
      }
    }
  }

  private void register(
      Map<String, NameKey> registered,
      String owner,
      NameKey now,
      boolean server,
      Map<NameKey, Boolean> neededBefore) {
    NameKey was = registered.get(owner);
    if (Objects.equals(was, now)) {
      return;
    }
    if (was != null) {
      neededBefore.putIfAbsent(was, true);
      Users u = users.get(was);
      (server ? u.servers : u.gateways).remove(owner);
      if (u.isEmpty()) {
        users.remove(was);
      }
      registered.remove(owner);
    }
    if (now != null) {
      neededBefore.putIfAbsent(now, users.containsKey(now));
      Users u = users.computeIfAbsent(now, k -> new Users());
      (server ? u.servers : u.gateways).add(owner);
      registered.put(owner, now);
    }
  }
}
