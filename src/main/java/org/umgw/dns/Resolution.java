package org.umgw.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** The outcome of resolving one name: addresses, no address, or no answer. */
public sealed interface Resolution
    permits Resolution.Addresses, Resolution.NoAddress, Resolution.Failure {
  String name();

  /**
   * At least one address; {@code ttl} is the smallest TTL of the records used (A/AAAA and any
   * CNAMEs). For Any, IPv6 addresses come first, then IPv4; every record counts, sorted within a
   * family by byte value, without duplicates.
   */
  record Addresses(String name, List<InetAddress> addresses, Duration ttl) implements Resolution {
    public Addresses {
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("no addresses for " + name);
      }
    }
  }

  /**
   * The name has no address of the wanted family: NXDOMAIN, or NODATA. {@code negativeTtl} comes
   * from the SOA of the authority section (RFC 2308), else a default.
   */
  record NoAddress(String name, Kind kind, Duration negativeTtl) implements Resolution {
    /** Which negative answer. */
    public enum Kind {
      NXDOMAIN,
      NODATA
    }
  }

  /**
   * No answer could be had: timeout after retries, SERVFAIL, REFUSED, a network error, or with
   * DNSSEC a validation failure ({@code dnssecBogus}).
   */
  record Failure(String name, String reason, boolean dnssecBogus) implements Resolution {}
}
