package org.umgw.health;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A change of state of a gateway as a whole ({@code address} null) or of one of its addresses.
 *
 * @param address the IP text, or null for the gateway
 * @param detail the probe outcome that caused it, in words
 */
public record HealthTransition(
    Instant time, String gateway, String address, HealthState from, HealthState to, String detail) {

  public HealthTransition {
    requireNonNull(time, "time == null");
    requireNonNull(gateway, "gateway == null");
    requireNonNull(from, "from == null");
    requireNonNull(to, "to == null");
    requireNonNull(detail, "detail == null");
  }

  /** True for the gateway as a whole, false for one address. */
  public boolean isGateway() {
    return address == null;
  }

  /** {@code gw1 Up -> Down (timeout: ...)} or {@code gw1 127.0.0.1 Up -> Down (...)}. */
  @Override
  public String toString() {
    return gateway
        + (address == null ? "" : " " + address)
        + " "
        + from
        + " -> "
        + to
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
