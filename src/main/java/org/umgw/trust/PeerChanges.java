package org.umgw.trust;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.LoggerFactory;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;

/**
 * What a swap of {@link TrustedPeers}' snapshot tells: the 1175 events that are new, event 1424
 * with the IPs added and removed and the names whose addresses changed, then the change listeners.
 * An incremental build knows its added and removed IPs ({@link TrustIndex.Update}); a full build
 * compares every IP ({@link #between}).
 */
final class PeerChanges {
  private PeerChanges() {}

  /** The IPs added and removed (canonical text, sorted as text) and the new 1175 events. */
  record Diff(List<String> added, List<String> removed, List<Event> newDuplicates) {}

  /** The diff of two whole snapshots: O(n). */
  static Diff between(TrustSnapshot before, TrustSnapshot after) {
    Set<String> old = new HashSet<>();
    before.duplicates().forEach(e -> old.add(e.message()));
    List<Event> newDuplicates =
        after.duplicates().stream().filter(d -> !old.contains(d.message())).toList();
    Set<String> beforeIps = ipsOf(before);
    Set<String> afterIps = ipsOf(after);
    List<String> added = afterIps.stream().filter(ip -> !beforeIps.contains(ip)).toList();
    List<String> removed = beforeIps.stream().filter(ip -> !afterIps.contains(ip)).toList();
    return new Diff(added, removed, newDuplicates);
  }

  private static Set<String> ipsOf(TrustSnapshot s) {
    Set<String> out = new TreeSet<>();
    for (Peer p : s.peers()) {
      out.add(p.addressText());
    }
    return out;
  }

  /** 1175 for each new duplicate, then 1424, then every listener (a failing one is logged). */
  static void announce(
      EventListener events,
      List<TrustedPeers.ChangeListener> listeners,
      TrustSnapshot before,
      TrustSnapshot after,
      List<String> added,
      List<String> removed,
      List<Event> newDuplicates,
      Map<String, List<String>> names) {
    newDuplicates.forEach(events::onEvent);
    Event refreshed =
        Event.of(
            EventId.PEER_CACHE_REFRESHED,
            after.builtAt(),
            "The trusted peer list was refreshed: "
                + after.peers().size()
                + " peers, "
                + added.size()
                + " added "
                + added
                + ", "
                + removed.size()
                + " removed "
                + removed,
            "peers",
            after.peers().size(),
            "added",
            added,
            "removed",
            removed,
            "names",
            names);
    events.onEvent(refreshed);
    TrustedPeers.Change change = new TrustedPeers.Change(before, after, refreshed);
    for (TrustedPeers.ChangeListener l : listeners) {
      try {
        l.onChange(change);
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(TrustedPeers.class).warn("trust change listener {} failed", l, e);
      }
    }
  }
}
