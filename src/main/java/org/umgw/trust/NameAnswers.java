package org.umgw.trust;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.umgw.dns.Resolution;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.EventListener;
import org.umgw.model.GatewayAddress;

/**
 * The DNS failure policy of {@link TrustedPeers}, one answer at a time: what an answer does to what
 * is known of a name (addresses, staleness, the addresses refused by {@link
 * GatewayAddress#checkPeerAddress}), the events it calls for (1194, 9101, 9102, 9103, 9105), and
 * when to ask again (the TTL clamped by {@link TrustedPeers.Options}). Confined to the refresh
 * thread, like the states it folds answers into.
 */
final class NameAnswers {
  /** What is known about one name; confined to the refresh thread. */
  static final class NameState {
    final NameKey key;
    List<InetAddress> addresses = List.of();
    boolean stale;
    Instant lastSuccess;
    boolean reportedUnresolved;

    /** Addresses of the last answer that {@link GatewayAddress#checkPeerAddress} refused. */
    Set<InetAddress> refused = Set.of();

    ScheduledFuture<?> next;

    NameState(NameKey key) {
      this.key = key;
    }

    ResolvedName resolved() {
      return new ResolvedName(addresses, stale);
    }
  }

  /**
   * What one answer did.
   *
   * @param changed the name's addresses or staleness changed
   * @param nextLookup how long until the next lookup
   * @param addressChange {@code +added,...} and {@code -removed,...} for event 1424, or {@code
   *     null} when the addresses did not change
   */
  record Folded(boolean changed, Duration nextLookup, List<String> addressChange) {}

  private final TrustedPeers.Options options;
  private final Clock clock;
  private final EventListener events;

  NameAnswers(TrustedPeers.Options options, Clock clock, EventListener events) {
    this.options = options;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Folds one answer into a name's state and raises the events it calls for.
   *
   * @return whether the name's addresses or staleness changed, when to look it up again, and the
   *     change of addresses for event 1424
   */
  Folded fold(NameState s, Resolution answer) {
    Instant now = clock.instant();
    List<InetAddress> before = s.addresses;
    boolean staleBefore = s.stale;
    Duration wait;
    if (answer instanceof Resolution.NoAddress) {
      s.refused = Set.of(); // a bad record that comes back is reported again
    }
    Resolution r = answer instanceof Resolution.Addresses given ? usable(s, given, now) : answer;
    if (r instanceof Resolution.Addresses a) {
      if (staleBefore || s.reportedUnresolved) {
        emit(
            EventId.PEER_NAME_RESOLVED_AGAIN,
            now,
            "Peer host name " + s.key.name() + " resolves again: " + texts(a.addresses()),
            "name",
            s.key.name(),
            "addresses",
            texts(a.addresses()));
      }
      s.addresses = a.addresses();
      s.stale = false;
      s.lastSuccess = now;
      s.reportedUnresolved = false;
      wait = clamp(a.ttl());
    } else if (r instanceof Resolution.NoAddress n) {
      s.addresses = List.of();
      s.stale = false;
      if (!s.reportedUnresolved) {
        s.reportedUnresolved = true;
        emit(
            EventId.PEER_NAME_UNRESOLVED,
            now,
            "Peer host name "
                + s.key.name()
                + " does not resolve ("
                + n.kind()
                + " for "
                + s.key.family()
                + "): it is left out of the trusted peers",
            "name",
            s.key.name(),
            "family",
            s.key.family().name(),
            "reason",
            n.kind().name());
      }
      wait = clamp(n.negativeTtl());
    } else {
      wait = failure(s, (Resolution.Failure) r, now);
    }
    List<String> change = null;
    if (!before.equals(s.addresses)) {
      List<String> plus = texts(minus(s.addresses, before));
      List<String> less = texts(minus(before, s.addresses));
      change = List.of("+" + String.join(",", plus), "-" + String.join(",", less));
    }
    return new Folded(!before.equals(s.addresses) || staleBefore != s.stale, wait, change);
  }

  /**
   * The answer without the addresses no gateway may have ({@link GatewayAddress#checkPeerAddress},
   * the check literals pass), raising 9105 for each address refused now that the previous answer
   * did not already have: a name re-resolved every few seconds reports its bad record once. An
   * answer left with no address is NODATA for the name.
   */
  private Resolution usable(NameState s, Resolution.Addresses a, Instant now) {
    List<InetAddress> kept = usable(s, a.addresses(), now);
    if (kept.size() == a.addresses().size()) {
      return a;
    }
    return kept.isEmpty()
        ? new Resolution.NoAddress(a.name(), Resolution.NoAddress.Kind.NODATA, a.ttl())
        : new Resolution.Addresses(a.name(), kept, a.ttl());
  }

  List<InetAddress> usable(NameState s, List<InetAddress> given, Instant now) {
    List<InetAddress> kept = new ArrayList<>();
    Set<InetAddress> refused = new HashSet<>();
    for (InetAddress ip : given) {
      try {
        kept.add(GatewayAddress.checkPeerAddress(ip));
      } catch (IllegalArgumentException e) {
        refused.add(ip);
        if (!s.refused.contains(ip)) {
          String address = InetAddresses.toAddrString(ip);
          emit(
              EventId.PEER_ADDRESS_REFUSED,
              now,
              "Peer host name "
                  + s.key.name()
                  + " resolves to "
                  + address
                  + ", which is left out of the trusted peers: "
                  + e.getMessage(),
              "name",
              s.key.name(),
              "address",
              address,
              "reason",
              e.getMessage());
        }
      }
    }
    s.refused = Set.copyOf(refused);
    return kept;
  }

  private Duration failure(NameState s, Resolution.Failure f, Instant now) {
    boolean known = !s.addresses.isEmpty();
    if (f.dnssecBogus()) {
      s.addresses = List.of();
      s.stale = false;
      if (!s.reportedUnresolved) {
        s.reportedUnresolved = true;
        emit(
            EventId.PEER_NAME_UNRESOLVED,
            now,
            "Peer host name " + s.key.name() + " failed DNSSEC validation: " + f.reason(),
            "name",
            s.key.name(),
            "reason",
            "DNSSEC: " + f.reason());
      }
      return clamp(options.failureRetry());
    }
    if (!known) {
      if (!s.reportedUnresolved) {
        s.reportedUnresolved = true;
        emit(
            EventId.PEER_NAME_UNRESOLVED,
            now,
            "Peer host name "
                + s.key.name()
                + " could not be resolved ("
                + f.reason()
                + ") and has no last known address: it is left out of the trusted peers",
            "name",
            s.key.name(),
            "reason",
            f.reason(),
            TrustedPeers.LOOKUP_FAILED,
            true);
      }
      return clamp(options.failureRetry());
    }
    Instant expires = s.lastSuccess.plus(options.maxStale());
    if (!now.isBefore(expires)) {
      emit(
          EventId.PEER_STALE_ADDRESSES_DROPPED,
          now,
          "Peer host name "
              + s.key.name()
              + " has failed to resolve since "
              + s.lastSuccess
              + " ("
              + f.reason()
              + "); its stale addresses "
              + texts(s.addresses)
              + " are dropped after the maximum staleness of "
              + options.maxStale(),
          "name",
          s.key.name(),
          "addresses",
          texts(s.addresses),
          "reason",
          f.reason());
      s.addresses = List.of();
      s.stale = false;
      s.reportedUnresolved = true;
      return clamp(options.failureRetry());
    }
    if (!s.stale) {
      s.stale = true;
      emit(
          EventId.PEER_ADDRESSES_STALE,
          now,
          "Peer host name "
              + s.key.name()
              + " could not be resolved ("
              + f.reason()
              + "); its last known addresses "
              + texts(s.addresses)
              + " stay trusted, marked stale, until "
              + expires,
          "name",
          s.key.name(),
          "addresses",
          texts(s.addresses),
          "reason",
          f.reason(),
          "staleUntil",
          expires.toString());
    }
    Duration untilExpiry = Duration.between(now, expires);
    Duration retry = clamp(options.failureRetry());
    return untilExpiry.compareTo(retry) < 0 ? untilExpiry : retry;
  }

  private Duration clamp(Duration ttl) {
    if (ttl.compareTo(options.minTtl()) < 0) {
      return options.minTtl();
    }
    return ttl.compareTo(options.maxTtl()) > 0 ? options.maxTtl() : ttl;
  }

  private void emit(EventId id, Instant now, String message, Object... details) {
    events.onEvent(Event.of(id, now, message, details));
  }

  private static List<InetAddress> minus(List<InetAddress> a, List<InetAddress> b) {
    List<InetAddress> out = new ArrayList<>(a);
    out.removeAll(b);
    return out;
  }

  static List<String> texts(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddresses::toAddrString).toList();
  }

  /** Resolves {@code keys} at once, waiting for every answer (a failed lookup is a Failure). */
  static Map<NameKey, Resolution> resolveAll(
      org.umgw.dns.NameResolver resolver, List<NameKey> keys, TrustedPeers.Progress progress) {
    Map<NameKey, java.util.concurrent.CompletableFuture<Resolution>> pending =
        new java.util.LinkedHashMap<>();
    java.util.concurrent.atomic.AtomicInteger done =
        new java.util.concurrent.atomic.AtomicInteger();
    int total = keys.size();
    for (NameKey key : keys) {
      java.util.concurrent.CompletableFuture<Resolution> f =
          resolver.resolve(key.name(), key.family()).toCompletableFuture();
      f.whenComplete((r, e) -> progress.resolved(done.incrementAndGet(), total));
      pending.put(key, f);
    }
    Map<NameKey, Resolution> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<NameKey, java.util.concurrent.CompletableFuture<Resolution>> e :
        pending.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get());
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new org.umgw.model.UmgwException("interrupted while resolving " + e.getKey(), ex);
      } catch (java.util.concurrent.ExecutionException ex) {
        out.put(
            e.getKey(),
            new Resolution.Failure(e.getKey().name(), String.valueOf(ex.getCause()), false));
      }
    }
    return out;
  }
}
