package org.umgw.health;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.umgw.sip.SipTransport;

/**
 * Settings of a {@link HealthMonitor}.
 *
 * <pre>{@code
 * HealthOptions o = HealthOptions.defaults().withAccepted(Set.of(405, 501));
 * }</pre>
 *
 * @param interval time between the starts of two rounds
 * @param deadline how long one probe may take (retransmissions included)
 * @param accepted final codes besides 2xx that count as Up
 * @param downAfter consecutive failed probes that make an address Down
 * @param upAfter consecutive accepted answers that make an address Up again (1 from Unknown)
 * @param plainTransport the transport for peers that do not use TLS: UDP (default) or TCP
 * @param certificateWarning event 9504 when a TLS gateway's certificate expires sooner (21 days)
 */
public record HealthOptions(
    Duration interval,
    Duration deadline,
    Set<Integer> accepted,
    int downAfter,
    int upAfter,
    SipTransport plainTransport,
    Duration certificateWarning) {

  /** Default certificate warning threshold: 21 days. */
  public static final Duration DEFAULT_CERTIFICATE_WARNING = Duration.ofDays(21);

  /** With the default certificate warning threshold (21 days). */
  public HealthOptions(
      Duration interval,
      Duration deadline,
      Set<Integer> accepted,
      int downAfter,
      int upAfter,
      SipTransport plainTransport) {
    this(
        interval,
        deadline,
        accepted,
        downAfter,
        upAfter,
        plainTransport,
        DEFAULT_CERTIFICATE_WARNING);
  }

  public HealthOptions {
    requireNonNull(certificateWarning, "certificateWarning == null");
    if (certificateWarning.isNegative()) {
      throw new IllegalArgumentException(
          "certificate warning must not be negative: " + certificateWarning);
    }
    requireNonNull(interval, "interval == null");
    requireNonNull(deadline, "deadline == null");
    requireNonNull(plainTransport, "plainTransport == null");
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("probe deadline must be positive: " + deadline);
    }
    if (interval.compareTo(deadline) < 0) {
      throw new IllegalArgumentException(
          "probe interval " + interval + " is shorter than the deadline " + deadline);
    }
    for (int code : accepted) {
      if (code < 200 || code > 699) {
        throw new IllegalArgumentException("accepted SIP code is 200..699: " + code);
      }
    }
    accepted = Set.copyOf(new TreeSet<>(accepted));
    if (downAfter < 1 || downAfter > 100) {
      throw new IllegalArgumentException("downAfter is 1..100: " + downAfter);
    }
    if (upAfter < 1 || upAfter > 100) {
      throw new IllegalArgumentException("upAfter is 1..100: " + upAfter);
    }
    if (plainTransport == SipTransport.TLS) {
      throw new IllegalArgumentException("plain transport is UDP or TCP, not TLS");
    }
  }

  /** Every 30 s, 5 s deadline, 2xx accepted, Down after 3 failures, Up after 2 answers, UDP. */
  public static HealthOptions defaults() {
    return new HealthOptions(
        Duration.ofSeconds(30), Duration.ofSeconds(5), Set.of(), 3, 2, SipTransport.UDP);
  }

  /** True for any 2xx and for the configured extra codes. */
  public boolean accepts(int code) {
    return code >= 200 && code < 300 || accepted.contains(code);
  }

  public HealthOptions withInterval(Duration d) {
    return new HealthOptions(
        d, deadline, accepted, downAfter, upAfter, plainTransport, certificateWarning);
  }

  public HealthOptions withDeadline(Duration d) {
    return new HealthOptions(
        interval, d, accepted, downAfter, upAfter, plainTransport, certificateWarning);
  }

  public HealthOptions withAccepted(Set<Integer> codes) {
    return new HealthOptions(
        interval, deadline, codes, downAfter, upAfter, plainTransport, certificateWarning);
  }

  public HealthOptions withHysteresis(int down, int up) {
    return new HealthOptions(
        interval, deadline, accepted, down, up, plainTransport, certificateWarning);
  }

  public HealthOptions withPlainTransport(SipTransport t) {
    return new HealthOptions(
        interval, deadline, accepted, downAfter, upAfter, t, certificateWarning);
  }

  /** Event 9504 when a TLS gateway's certificate expires within {@code d}. */
  public HealthOptions withCertificateWarning(Duration d) {
    return new HealthOptions(interval, deadline, accepted, downAfter, upAfter, plainTransport, d);
  }
}
