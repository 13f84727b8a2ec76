package org.umgw.export;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.trust.Peer;
import org.umgw.trust.TrustSnapshot;

/**
 * What an export writes: the peers of a snapshot and the events about the list, in a fixed order so
 * that the same directory and DNS give the same bytes apart from {@code generatedAt}.
 */
public record TrustList(Instant generatedAt, List<Peer> peers, List<Event> events) {
  /** Events that describe the list itself (not the process that built it). */
  private static final Set<EventId> ABOUT_THE_LIST =
      Set.of(
          EventId.DUPLICATE_PEER_IP,
          EventId.PEER_NAME_UNRESOLVED,
          EventId.PEER_ADDRESS_REFUSED,
          EventId.PEER_ADDRESSES_STALE,
          EventId.PEER_STALE_ADDRESSES_DROPPED,
          EventId.DIRECTORY_REJECTED);

  public TrustList {
    peers = List.copyOf(peers);
    events = List.copyOf(events);
  }

  /**
   * The list of {@code snapshot}, with those of {@code raised} (events seen while building it) that
   * are about the list, sorted by id then message.
   */
  public static TrustList of(TrustSnapshot snapshot, List<Event> raised, Instant generatedAt) {
    List<Event> events =
        raised.stream()
            .filter(e -> ABOUT_THE_LIST.contains(e.type()))
            .distinct()
            .sorted(Comparator.comparingInt(Event::id).thenComparing(Event::message))
            .toList();
    return new TrustList(generatedAt, snapshot.peers(), events);
  }

  /**
   * The peers an allow-list admits: those with a UM server or a gateway that is not Disabled
   * ({@link Peer#allowListed()}); an IP whose only members are Disabled gateways is left out.
   */
  public List<Peer> allowed() {
    return peers.stream().filter(Peer::allowListed).toList();
  }
}
