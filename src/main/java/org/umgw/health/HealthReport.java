package org.umgw.health;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.umgw.sip.ProbeResult;
import org.umgw.sip.SipTransport;

/**
 * The states after one round, gateways sorted by name, each with its probed addresses.
 *
 * @param time when the round started
 */
public record HealthReport(Instant time, List<Gateway> gateways) {
  public HealthReport {
    requireNonNull(time, "time == null");
    gateways = List.copyOf(gateways);
  }

  /** One gateway: its state derived from its addresses (Up if any address is Up). */
  public record Gateway(String name, HealthState state, List<Address> addresses) {
    public Gateway {
      requireNonNull(name, "name == null");
      requireNonNull(state, "state == null");
      addresses = List.copyOf(addresses);
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("gateway", name);
      m.put("state", state.name());
      m.put("addresses", addresses.stream().map(Address::toMap).toList());
      return m;
    }
  }

  /**
   * One probed address of a gateway.
   *
   * @param last the latest probe outcome
   * @param failures consecutive failed probes so far
   * @param successes consecutive accepted answers so far
   */
  public record Address(
      String address,
      int port,
      SipTransport transport,
      HealthState state,
      ProbeResult last,
      int failures,
      int successes) {
    public Address {
      requireNonNull(address, "address == null");
      requireNonNull(transport, "transport == null");
      requireNonNull(state, "state == null");
      requireNonNull(last, "last == null");
    }

    /** The code of the last answer, or empty when the last probe got none. */
    public Optional<Integer> code() {
      return last instanceof ProbeResult.Answered a ? Optional.of(a.code()) : Optional.empty();
    }

    /** The round-trip time in milliseconds (3 decimals) of the last answer, or empty. */
    public Optional<Double> rttMillis() {
      return last instanceof ProbeResult.Answered a
          ? Optional.of(Math.round(a.rtt().toNanos() / 1000.0) / 1000.0)
          : Optional.empty();
    }

    /** Over TLS, whole days until the gateway's certificate expires, as of {@code now}. */
    public Optional<Long> certificateDaysLeft(Instant now) {
      return last instanceof ProbeResult.Answered a ? a.certificateDaysLeft(now) : Optional.empty();
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", address);
      m.put("port", port);
      m.put("transport", transport.name().toLowerCase(java.util.Locale.ROOT));
      m.put("state", state.name());
      m.put("code", code().orElse(null));
      m.put("reason", last instanceof ProbeResult.Answered a ? a.reason() : null);
      m.put("rttMs", rttMillis().orElse(null));
      m.put(
          "failure",
          last instanceof ProbeResult.Failed f
              ? f.kind().name().toLowerCase(java.util.Locale.ROOT)
              : null);
      m.put("detail", last instanceof ProbeResult.Failed f ? f.detail() : null);
      if (transport == SipTransport.TLS) {
        m.put(
            "tlsFailure",
            last instanceof ProbeResult.Failed f && f.tls() != null ? f.tls().name() : null);
        Instant notAfter = last instanceof ProbeResult.Answered a ? a.certificateNotAfter() : null;
        m.put("certificateNotAfter", notAfter == null ? null : notAfter.toString());
        m.put("certificateDaysLeft", certificateDaysLeft(Instant.now()).orElse(null));
      }
      return m;
    }
  }

  public Optional<Gateway> gateway(String name) {
    return gateways.stream().filter(g -> g.name().equals(name)).findFirst();
  }
}
