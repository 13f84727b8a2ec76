package org.umgw.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayTest {

  @Test
  void builder_defaults_areExchanges() {
    Gateway g = Gateway.builder("gw1", "gw1.example.test").build();
    assertThat(g.port()).isZero();
    assertThat(g.ipAddressFamily()).isEqualTo(IpAddressFamily.IPv4Only);
    assertThat(g.status()).isEqualTo(GatewayStatus.Enabled);
    assertThat(g.outcallsAllowed()).isTrue();
    assertThat(g.messageWaitingIndicatorAllowed()).isTrue();
    assertThat(g.simulator()).isFalse();
    assertThat(g.delayedSourcePartyInfoEnabled()).isFalse();
  }

  @Test
  void builder_ipv6Literal_derivesIpv6Only() {
    assertThat(Gateway.builder("gw1", "[2001:db8::5]").build().ipAddressFamily())
        .isEqualTo(IpAddressFamily.IPv6Only);
  }

  @Test
  void builder_literalDisagreeingWithFamily_namesGatewayAttributeAndValue() {
    assertThatThrownBy(
            () ->
                Gateway.builder("gw1", "192.0.2.1")
                    .ipAddressFamily(IpAddressFamily.IPv6Only)
                    .build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(
            "UM IP gateway \"gw1\": umIPAddressFamily \"IPv6Only\": does not admit the IPv4"
                + " literal address 192.0.2.1");
  }

  @Test
  void builder_anyFamily_admitsBothLiterals() {
    assertThat(Gateway.builder("a", "192.0.2.1").ipAddressFamily(IpAddressFamily.Any).build())
        .isNotNull();
    assertThat(Gateway.builder("b", "::2").ipAddressFamily(IpAddressFamily.Any).build())
        .isNotNull();
  }

  @Test
  void toBuilder_newLiteral_familyDerivedFromTheOldLiteralFollows() {
    Gateway v4 = Gateway.builder("gw1", "192.0.2.1").build();
    Gateway v6 = v4.toBuilder().address("2001:db8::1").build();
    assertThat(v6.ipAddressFamily()).isEqualTo(IpAddressFamily.IPv6Only);
  }

  @Test
  void builder_badAddress_namesGateway() {
    assertThatThrownBy(() -> Gateway.builder("gw1", "0.0.0.0"))
        .hasMessage(
            "UM IP gateway \"gw1\": umAddress \"0.0.0.0\": the unspecified address 0.0.0.0"
                + " cannot be a gateway address");
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65536, 100000})
  void builder_portOutOfRange_refused(int port) {
    assertThatThrownBy(() -> Gateway.builder("gw1", "192.0.2.1").port(port).build())
        .hasMessage("UM IP gateway \"gw1\": umPort \"" + port + "\": a port is 0 to 65535");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\"b", "a/b", "a\\b", "a[b", "a]b", "a:b", "a;b", "a|b", "a=b", "a,b", "a+b", "a*b", "a?b",
        "a<b", "a>b"
      })
  void name_forbiddenCharacter_refused(String name) {
    assertThatThrownBy(() -> Gateway.builder(name, "192.0.2.1").build())
        .isInstanceOf(InvalidValueException.class)
        .hasMessageStartingWith(
            "UM IP gateway \"" + name + "\": cn \"" + name + "\": the character")
        .hasMessageEndingWith("is not allowed (none of \"/\\[]:;|=,+*?<>)");
  }

  @Test
  void name_lengthIsCountedInCharacters() {
    String max = "ü".repeat(64);
    assertThat(Gateway.builder(max, "192.0.2.1").build().name()).isEqualTo(max);
    assertThatThrownBy(() -> Gateway.builder(max + "x", "192.0.2.1").build())
        .hasMessageEndingWith("longer than 64 characters (65)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " gw", "gw ", "g\tw"})
  void name_emptySpacedOrControl_refused(String name) {
    assertThatThrownBy(() -> Gateway.builder(name, "192.0.2.1").build())
        .isInstanceOf(InvalidValueException.class);
  }

  @Test
  void name_parenthesesAndNonAscii_allowed() {
    assertThat(Gateway.builder("Zürich PBX (Bâtiment 2)", "192.0.2.1").build().name())
        .isEqualTo("Zürich PBX (Bâtiment 2)");
  }
}
