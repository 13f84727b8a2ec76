package org.umgw.health;

/** What the OPTIONS probes say about a gateway or one of its addresses. */
public enum HealthState {
  /** Not decided yet: fewer probes than a decision needs. */
  Unknown,
  /** Answers with an accepted code (any 2xx, plus the configured list). */
  Up,
  /** Answers, but with a code outside the accepted set (403, 405, 501 …): alive but refusing. */
  Degraded,
  /** No final response, or a transport error (refused, TLS, I/O). */
  Down
}
