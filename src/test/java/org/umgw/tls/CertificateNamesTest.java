package org.umgw.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 6125 6.4.3 matching of a presented DNS identifier against a gateway FQDN. */
class CertificateNamesTest {
  @ParameterizedTest(name = "{0} vs {1}: {2}")
  @CsvSource({
    "gw1.example.test, gw1.example.test, true",
    "GW1.Example.TEST, gw1.example.test, true",
    "gw1.example.test., gw1.example.test, true",
    "gw1.example.test, gw1.example.test., true",
    "gw1.example.test, gw2.example.test, false",
    "*.example.test, gw1.example.test, true",
    "*.example.test, example.test, false",
    "*.example.test, a.gw1.example.test, false",
    "*.test, example.test, false",
    "gw*.example.test, gw1.example.test, false",
    "*gw.example.test, agw.example.test, false",
    "gw1.*.test, gw1.example.test, false",
    "*.*.test, a.example.test, false",
    "'', gw1.example.test, false",
  })
  void matches(String presented, String fqdn, boolean expected) {
    assertThat(CertificateNames.matches(presented, fqdn)).isEqualTo(expected);
  }

  @Test
  void commonNameCountsOnlyWithoutDnsSans() {
    assertThat(new CertificateNames(List.of(), "gw1.example.test").identities())
        .containsExactly("gw1.example.test");
    assertThat(
            new CertificateNames(List.of("gw2.example.test"), "gw1.example.test")
                .matches("gw1.example.test"))
        .isFalse();
    assertThat(new CertificateNames(List.of(), null).identities()).isEmpty();
  }
}
