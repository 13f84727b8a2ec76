package org.umgw.sip;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

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
   * @param certificateNotAfter over TLS, when the gateway's certificate expires; {@code null}
   *     otherwise
   */
  record Answered(int code, String reason, Duration rtt, Instant certificateNotAfter)
      implements ProbeResult {
    public Answered(int code, String reason, Duration rtt) {
      this(code, reason, rtt, null);
    }

    public Answered {
      if (code < 200 || code > 699) {
        throw new IllegalArgumentException("final SIP code is 200..699: " + code);
      }
      requireNonNull(reason, "reason == null");
      requireNonNull(rtt, "rtt == null");
    }

    /** Whole days until the certificate expires (negative once expired), over TLS. */
    public Optional<Long> certificateDaysLeft(Instant now) {
      return Optional.ofNullable(certificateNotAfter)
          .map(t -> Math.floorDiv(t.getEpochSecond() - now.getEpochSecond(), 86_400L));
    }

    @Override
    public String toString() {
      return code + " " + reason + " in " + rtt.toMillis() + " ms";
    }
  }

  /**
   * No final response; {@code detail} says what happened in words.
   *
   * @param tls for {@link Failure#TLS}, why the handshake failed; {@code null} otherwise
   */
  record Failed(Failure kind, String detail, TlsFailure tls) implements ProbeResult {
    public Failed(Failure kind, String detail) {
      this(kind, detail, null);
    }

    public Failed {
      requireNonNull(kind, "kind == null");
      requireNonNull(detail, "detail == null");
      if (tls != null && kind != Failure.TLS) {
        throw new IllegalArgumentException("a TLS reason needs kind TLS, not " + kind);
      }
    }

    /** Why the TLS handshake failed, when it did. */
    public Optional<TlsFailure> tlsFailure() {
      return Optional.ofNullable(tls);
    }

    @Override
    public String toString() {
      return kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail;
    }
  }
}
