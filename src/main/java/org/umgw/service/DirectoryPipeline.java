package org.umgw.service;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.events.Events;
import org.umgw.feed.DirectoryChanges;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DirectoryContents;
import org.umgw.policy.IncrementalPolicy;
import org.umgw.policy.TrustPolicy;
import org.umgw.trust.TrustedPeers;

/**
 * What the service does with each directory delivery, on its worker: the policy ({@link
 * IncrementalPolicy}), the trusted peers, the 9201/9204 reports and the gateway status fan-out.
 *
 * <p>A delivery the feed tracked entry by entry costs O(change) from end to end while the directory
 * is whole: the policy re-checks the change's neighbourhood, {@link TrustedPeers#apply} resolves
 * only the names the change adds and rebuilds only the peers it touches, and the status listeners
 * hear the changed gateways only. The initial load, a full refresh, a delivery from a feed without
 * deltas and the first delivery after serving the on-disk copy go the full way ({@link
 * TrustPolicy#decide}, {@link TrustedPeers#update}).
 */
final class DirectoryPipeline {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryPipeline.class);

  private final IncrementalPolicy policy;
  private final TrustedPeers peers;
  private final Events events;
  private final Clock clock;
  private final List<GatewayStatusListener> statusListeners;
  private final BooleanSupplier connected;

  // Worker thread.
  private DirectoryContents served;
  private final Set<String> reported = new HashSet<>();

  private volatile TrustPolicy.Decision decision;

  /** Something was held back, unreadable or unreachable since the directory was last whole. */
  private volatile boolean brokenSinceWhole;

  DirectoryPipeline(
      DirectoryLayout layout,
      TrustedPeers peers,
      Events events,
      Clock clock,
      List<GatewayStatusListener> statusListeners,
      BooleanSupplier connected) {
    this.policy = new IncrementalPolicy(layout);
    this.peers = peers;
    this.events = events;
    this.clock = clock;
    this.statusListeners = statusListeners;
    this.connected = connected;
  }

  /** The policy's latest decision, or {@code null}. */
  TrustPolicy.Decision decision() {
    return decision;
  }

  /** Serving the on-disk copy: the next delivery is decided in full against it. Worker thread. */
  void restored(DirectoryContents contents) {
    served = contents;
    brokenSinceWhole = true;
  }

  /** The connection was lost: the directory is not whole again until it is followed live. */
  void disconnected() {
    brokenSinceWhole = true;
  }

  /**
   * Takes one delivery through the policy, then resolves and publishes what it allows.
   *
   * @return what the directory breaks and what that holds back, or {@code null} when whole
   */
  String process(DirectoryChanges changes) {
    boolean tracked = changes.tracked() && !changes.update().fullRefresh();
    IncrementalPolicy.Outcome outcome =
        policy.decide(changes.read(), tracked ? changes.delta() : null, served);
    TrustPolicy.Decision decided = outcome.decision();
    DirectoryContents before = served;
    if (tracked && before != null) {
      peers.apply(decided.served(), outcome.servedDelta());
    } else {
      peers.update(decided.served());
    }
    served = decided.served();
    decision = decided;
    report(decided);
    if (before != null) {
      fireStatusChanges(outcome.servedDelta());
    }
    return decided.findings().isEmpty() && decided.salvaged().isEmpty()
        ? null
        : java.util.stream.Stream.concat(
                decided.salvaged().stream().map(o -> o.problem() + ": " + o.action()),
                decided.findings().stream().map(TrustPolicy.Finding::toString))
            .collect(Collectors.joining("; "));
  }

  /**
   * Raises 9201 once for each new finding or unreadable entry (not again while it persists), and
   * 9204 when the directory is whole again after a broken rule, an unreadable entry or an outage.
   */
  private void report(TrustPolicy.Decision decided) {
    List<Event> now = decided.events(clock.instant());
    if (!now.isEmpty() || !reported.isEmpty()) {
      Set<String> current = new HashSet<>();
      now.forEach(e -> current.add(e.message()));
      reported.retainAll(current);
      for (Event e : now) {
        if (reported.add(e.message())) {
          events.onEvent(e);
        }
      }
    }
    if (!decided.whole()) {
      brokenSinceWhole = true;
    } else if (brokenSinceWhole && connected.getAsBoolean()) {
      brokenSinceWhole = false;
      int count = peers.snapshot().peers().size();
      events.onEvent(
          Event.of(
              EventId.DIRECTORY_WHOLE,
              clock.instant(),
              "The directory is whole again: every rule kept, every entry readable, followed live;"
                  + " nothing is held back ("
                  + count
                  + " trusted peers)",
              "peers",
              count));
    }
  }

  private void fireStatusChanges(ContentsDelta delta) {
    if (statusListeners.isEmpty()) {
      return;
    }
    for (GatewayStatusChange c : GatewayStatusChange.of(delta)) {
      for (GatewayStatusListener l : statusListeners) {
        try {
          l.onStatusChange(c);
        } catch (RuntimeException e) {
          LOG.warn("gateway status listener {} failed on {}", l, c, e);
        }
      }
    }
  }
}
