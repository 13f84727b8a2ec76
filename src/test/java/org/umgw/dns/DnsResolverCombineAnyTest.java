package org.umgw.dns;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.umgw.dns.Resolution.Addresses;
import org.umgw.dns.Resolution.Failure;
import org.umgw.dns.Resolution.NoAddress;
import org.umgw.dns.Resolution.NoAddress.Kind;

/**
 * {@link DnsResolver#combineAny}: how the AAAA and A outcomes of an Any lookup merge, including the
 * cases a test server cannot produce on demand (one family timing out, the other answering).
 */
class DnsResolverCombineAnyTest {
  static final String N = "gw.example.test";
  static final InetAddress V6 = InetAddresses.forString("2001:db8::1");
  static final InetAddress V4 = InetAddresses.forString("192.0.2.1");
  static final Resolution AAAA = new Addresses(N, List.of(V6), s(300));
  static final Resolution A = new Addresses(N, List.of(V4), s(120));
  static final Resolution NODATA_40 = new NoAddress(N, Kind.NODATA, s(40));
  static final Resolution NODATA_50 = new NoAddress(N, Kind.NODATA, s(50));
  static final Resolution NXDOMAIN = new NoAddress(N, Kind.NXDOMAIN, s(30));
  static final Resolution TIMEOUT = new Failure(N, "AAAA: no answer after 3 attempts", false);
  static final Resolution BOGUS = new Failure(N, "A: DNSSEC validation failed: x", true);

  @Test
  void bothAddresses_ipv6First_smallestTtl() {
    assertThat(DnsResolver.combineAny(N, AAAA, A))
        .isEqualTo(new Addresses(N, List.of(V6, V4), s(120)));
  }

  @Test
  void oneFamilyNodata_addressesOfTheOther_ttlCappedByTheNegativeTtl() {
    assertThat(DnsResolver.combineAny(N, NODATA_40, A))
        .isEqualTo(new Addresses(N, List.of(V4), s(40)));
    assertThat(DnsResolver.combineAny(N, AAAA, NODATA_50))
        .isEqualTo(new Addresses(N, List.of(V6), s(50)));
  }

  @Test
  void bothNodata_nodataWithTheSmallerTtl() {
    assertThat(DnsResolver.combineAny(N, NODATA_50, NODATA_40))
        .isEqualTo(new NoAddress(N, Kind.NODATA, s(40)));
  }

  @Test
  void nxdomainFromEither_isNxdomain() {
    assertThat(DnsResolver.combineAny(N, NXDOMAIN, NODATA_40)).isEqualTo(NXDOMAIN);
    assertThat(DnsResolver.combineAny(N, AAAA, NXDOMAIN)).isEqualTo(NXDOMAIN);
  }

  @Test
  void failureOfEither_isFailure_evenWhenTheOtherHasAddresses() {
    assertThat(DnsResolver.combineAny(N, TIMEOUT, A)).isEqualTo(TIMEOUT);
    assertThat(DnsResolver.combineAny(N, NXDOMAIN, TIMEOUT)).isEqualTo(TIMEOUT);
  }

  @Test
  void twoFailures_bothReasons_bogusIfEitherIs() {
    assertThat(DnsResolver.combineAny(N, TIMEOUT, BOGUS))
        .isEqualTo(
            new Failure(
                N, "AAAA: no answer after 3 attempts; A: DNSSEC validation failed: x", true));
  }

  static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
