package org.umgw.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewayAddressTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource({
    "192.0.2.10, IPV4, 192.0.2.10",
    "127.0.0.1, IPV4, 127.0.0.1",
    "::1, IPV6, ::1",
    "[::1], IPV6, ::1",
    "2001:DB8:0:0:0:0:0:1, IPV6, 2001:db8::1",
    "[2001:db8::0:1], IPV6, 2001:db8::1",
    "fe80::1, IPV6, fe80::1",
    "gw1.example.test, FQDN, gw1.example.test",
    "SBC1.Contoso.TEST, FQDN, sbc1.contoso.test",
    "localhost, FQDN, localhost",
    "a-b.c1.example, FQDN, a-b.c1.example",
    "xn--bcher-kva.example, FQDN, xn--bcher-kva.example",
  })
  void parse_validAddresses_canonicalForm(String text, GatewayAddress.Kind kind, String canon) {
    GatewayAddress a = GatewayAddress.parse(text);
    assertThat(a.kind()).isEqualTo(kind);
    assertThat(a.text()).isEqualTo(canon);
  }

  @ParameterizedTest(name = "\"{0}\"")
  @CsvSource(
      delimiter = '|',
      value = {
        "0.0.0.0 | the unspecified address 0.0.0.0 cannot be a gateway address",
        ":: | the unspecified address :: cannot be a gateway address",
        "[::] | the unspecified address :: cannot be a gateway address",
        "gw1.example.test. | a trailing '.' is not allowed",
        "256.1.1.1 | not a valid IPv4 address (expected four numbers 0-255)",
        "1.2.3 | not a valid IPv4 address (expected four numbers 0-255)",
        "01.2.3.4 | not a valid IPv4 address (expected four numbers 0-255)",
        "224.0.0.1 | a multicast or broadcast address cannot be a gateway address",
        "255.255.255.255 | a multicast or broadcast address cannot be a gateway address",
        "ff02::1 | a multicast address cannot be a gateway address",
        "::ffff:192.0.2.1 | IPv4-mapped IPv6 address: write the IPv4 address 192.0.2.1",
        "fe80::1%eth0 | a zone id (%...) is not allowed in a gateway address",
        "[192.0.2.1] | brackets enclose only IPv6 literals",
        "[::1 | unbalanced brackets",
        "2001:db8::g | not a valid IPv6 address",
        "gw_1.example | the character '_' is not allowed in a host name",
        "-gw.example | label \"-gw\" starts or ends with a hyphen",
        "gw..example | empty label (two dots in a row or a leading dot)",
        ".gw.example | empty label (two dots in a row or a leading dot)",
        "gw example | white space or control character in the address",
        "bücher.example | the character 'ü' is not allowed in a host name (write an"
            + " internationalised name in its xn-- form)",
      })
  void parse_invalidAddresses_failWithReason(String text, String reason) {
    assertThatThrownBy(() -> GatewayAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(reason);
  }

  @ParameterizedTest
  @CsvSource({"IPv4Only, true, false", "IPv6Only, false, true", "Any, true, true"})
  void agreesWith_literalsFollowTheFamily(IpAddressFamily family, boolean v4, boolean v6) {
    assertThat(GatewayAddress.parse("192.0.2.1").agreesWith(family)).isEqualTo(v4);
    assertThat(GatewayAddress.parse("2001:db8::1").agreesWith(family)).isEqualTo(v6);
    assertThat(GatewayAddress.parse("gw.example").agreesWith(family)).isTrue();
  }

  /** Answers come as raw bytes (A 4, AAAA 16); the check is the one literals pass. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0.0.0.0 | the unspecified address 0.0.0.0 cannot be a gateway address",
        ":: | the unspecified address :: cannot be a gateway address",
        "239.1.2.3 | a multicast or broadcast address cannot be a gateway address",
        "255.255.255.255 | a multicast or broadcast address cannot be a gateway address",
        "ff05::2 | a multicast address cannot be a gateway address",
        "::ffff:192.0.2.1 | an IPv4-mapped IPv6 address cannot be a gateway address",
        "192.0.2.1 | ",
        "2001:db8::1 | ",
        "fe80::1 | ",
      })
  void checkPeerAddress_answersAsBytes(String text, String reason) throws Exception {
    byte[] bytes = com.google.common.net.InetAddresses.forString(text).getAddress();
    if (text.contains(":") && bytes.length == 4) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(bytes, 0, mapped, 12, 4);
      bytes = mapped;
    }
    java.net.InetAddress ip =
        bytes.length == 16
            ? java.net.Inet6Address.getByAddress(null, bytes, -1)
            : java.net.InetAddress.getByAddress(bytes);
    if (reason == null) {
      assertThat(GatewayAddress.checkPeerAddress(ip)).isSameAs(ip);
    } else {
      assertThatThrownBy(() -> GatewayAddress.checkPeerAddress(ip))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage(reason);
    }
  }
}
