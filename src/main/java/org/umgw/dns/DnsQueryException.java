package org.umgw.dns;

/**
 * A DNS query got no usable answer (every attempt timed out, failed or was answered SERVFAIL or
 * REFUSED). It travels through dnsjava's futures, including the DNSSEC validator's, and becomes a
 * {@link Resolution.Failure} whose reason is this message.
 */
final class DnsQueryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  DnsQueryException(String message) {
    super(message, null, false, false);
  }
}
