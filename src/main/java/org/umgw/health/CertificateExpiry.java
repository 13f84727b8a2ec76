package org.umgw.health;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.sip.ProbeResult;
import org.umgw.sip.ProbeTarget;

/**
 * Watches the expiry of TLS gateways' certificates as the probes see them: event 9504 when a
 * gateway's certificate has less than the warning threshold left, once per certificate (a renewed
 * certificate, with a new expiry, that is again short-lived raises it again). Confined to the
 * monitor's round.
 */
final class CertificateExpiry {
  private final Duration warning;
  private final Map<String, Instant> warned = new HashMap<>(); // gateway -> notAfter warned about

  CertificateExpiry(Duration warning) {
    this.warning = warning;
  }

  /** Forgets gateways no longer probed. */
  void retain(java.util.Set<String> gateways) {
    warned.keySet().retainAll(gateways);
  }

  /**
   * The event for {@code gateway} when one of its TLS answers this round carries a certificate
   * expiring within the threshold, and it was not raised for that certificate yet.
   */
  Optional<Event> check(
      String gateway, List<ProbeTarget> targets, List<ProbeResult> results, Instant now) {
    Instant soonest = null;
    ProbeTarget where = null;
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) instanceof ProbeResult.Answered a && a.certificateNotAfter() != null) {
        if (soonest == null || a.certificateNotAfter().isBefore(soonest)) {
          soonest = a.certificateNotAfter();
          where = targets.get(i);
        }
      }
    }
    if (soonest == null) {
      return Optional.empty();
    }
    if (Duration.between(now, soonest).compareTo(warning) >= 0) {
      warned.remove(gateway); // renewed, or never short: warn again when it next runs short
      return Optional.empty();
    }
    if (soonest.equals(warned.get(gateway))) {
      return Optional.empty();
    }
    warned.put(gateway, soonest);
    long days = Math.floorDiv(soonest.getEpochSecond() - now.getEpochSecond(), 86_400L);
    return Optional.of(
        Event.of(
            EventId.GATEWAY_CERTIFICATE_EXPIRING,
            now,
            "The TLS certificate of UM IP gateway "
                + gateway
                + " at "
                + where
                + " expires at "
                + soonest
                + " ("
                + days
                + " days left, warning below "
                + warning.toDays()
                + ")",
            "gateway",
            gateway,
            "notAfter",
            soonest.toString(),
            "daysLeft",
            days));
  }
}
