package org.umgw.sip;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The outcome of one OPTIONS probe: the peer answered with a final response, or it did not. A
 * timeout is always {@link Failed}: no locally generated 408 ever poses as an answer.
 */
public sealed interface ProbeResult permits ProbeResult.Answered, ProbeResult.Failed {

  /** Why a probe got no final response. */
  enum Failure {
    /** No final response within the deadline. */
    TIMEOUT,
    /** The connection was refused (TCP/TLS: RST; nothing listens on the port). */
    REFUSED,
    /** The TLS handshake failed: certificate untrusted, wrong name, protocol mismatch. */
    TLS,
    /** Another transport error: unreachable network, reset connection, oversized stream. */
    IO,
    /**
     * The prober itself could not probe: its UDP receiver failed or was restarting (event 9401).
     * Says nothing about the peer; a health monitor leaves the peer's state as it was.
     */
    LOCAL
  }

  /**
   * A final response (200..699) that matched the probe's branch, Call-ID and CSeq.
   *
   * @param rtt from the first transmission to the response
   */
  record Answered(int code, String reason, Duration rtt) implements ProbeResult {
    public Answered {
      if (code < 200 || code > 699) {
        throw new IllegalArgumentException("final SIP code is 200..699: " + code);
      }
      requireNonNull(reason, "reason == null");
      requireNonNull(rtt, "rtt == null");
    }

    @Override
    public String toString() {
      return code + " " + reason + " in " + rtt.toMillis() + " ms";
    }
  }

  /** No final response; {@code detail} says what happened in words. */
  record Failed(Failure kind, String detail) implements ProbeResult {
    public Failed {
      requireNonNull(kind, "kind == null");
      requireNonNull(detail, "detail == null");
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail;
    }
  }
}
