package org.umgw.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.pcollections.PVector;

/**
 * Every valid object of one directory read, sorted by name (hunt groups by gateway, then name). The
 * lists are immutable; contents that follow a live directory hold persistent lists, so {@link
 * #apply} shares everything a change does not touch.
 */
public record DirectoryContents(
    List<DialPlan> dialPlans,
    List<Gateway> gateways,
    List<HuntGroup> huntGroups,
    List<UmServer> servers) {

  private static final Comparator<DialPlan> DIAL_PLANS = Comparator.comparing(DialPlan::name);
  private static final Comparator<Gateway> GATEWAYS = Comparator.comparing(Gateway::name);
  private static final Comparator<HuntGroup> HUNT_GROUPS =
      Comparator.comparing(HuntGroup::gateway).thenComparing(HuntGroup::name);
  private static final Comparator<UmServer> SERVERS = Comparator.comparing(UmServer::name);

  public DirectoryContents {
    dialPlans = SortedVectors.immutable(dialPlans);
    gateways = SortedVectors.immutable(gateways);
    huntGroups = SortedVectors.immutable(huntGroups);
    servers = SortedVectors.immutable(servers);
  }

  public static DirectoryContents empty() {
    return new DirectoryContents(List.of(), List.of(), List.of(), List.of());
  }

  /** The gateway named {@code name} (names are unique), by binary search: O(log² n). */
  public Optional<Gateway> gateway(String name) {
    return SortedVectors.find(gateways, name, Gateway::name);
  }

  /** The dial plan named {@code name}, by binary search. */
  public Optional<DialPlan> dialPlan(String name) {
    return SortedVectors.find(dialPlans, name, DialPlan::name);
  }

  /**
   * These contents with {@code delta} applied (every before removed, then every after added, each
   * at its sorted place): O(change · log² size) once the lists are persistent (the first call on
   * contents read in full makes them so, in O(size)).
   */
  public DirectoryContents apply(ContentsDelta delta) {
    if (delta.isEmpty()) {
      return this;
    }
    return new DirectoryContents(
        apply(dialPlans, delta.dialPlans(), DIAL_PLANS),
        apply(gateways, delta.gateways(), GATEWAYS),
        apply(huntGroups, delta.huntGroups(), HUNT_GROUPS),
        apply(servers, delta.servers(), SERVERS));
  }

  private static <T> List<T> apply(
      List<T> list, List<ContentsDelta.Change<T>> changes, Comparator<? super T> order) {
    if (changes.isEmpty()) {
      return list;
    }
    PVector<T> v = SortedVectors.of(list);
    if (changes.size() == 1 && changes.get(0).before() != null && changes.get(0).after() != null) {
      // One object modified: replaced in place when its name did not change.
      return SortedVectors.replace(v, changes.get(0).before(), changes.get(0).after(), order);
    }
    for (ContentsDelta.Change<T> c : changes) {
      if (c.before() != null) {
        v = SortedVectors.remove(v, c.before(), order);
      }
    }
    for (ContentsDelta.Change<T> c : changes) {
      if (c.after() != null) {
        v = SortedVectors.insert(v, c.after(), order);
      }
    }
    return v;
  }
}
