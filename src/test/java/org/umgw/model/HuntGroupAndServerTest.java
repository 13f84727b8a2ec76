package org.umgw.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HuntGroupAndServerTest {

  @Test
  void huntGroup_nullPilot_isTheCatchAll() {
    HuntGroup h = new HuntGroup("gw", "hg", "dp", null, null);
    assertThat(h.isCatchAll()).isTrue();
    assertThat(h.pilotIdentifier()).isEmpty();
  }

  @Test
  void huntGroup_pilotKey_isCaseInsensitive() {
    assertThat(new HuntGroup("gw", "hg", "dp", "UMPilot", null).pilotKey()).isEqualTo("umpilot");
  }

  @Test
  void huntGroup_pilotLongerThan64_refused() {
    assertThatThrownBy(() -> new HuntGroup("gw", "hg", "dp", "1".repeat(65), null))
        .hasMessageEndingWith("longer than 64 characters (65)")
        .hasMessageStartingWith("UM hunt group \"gw/hg\": umPilotIdentifier");
  }

  @Test
  void server_hostOfInternalUrl_isThePeer() {
    assertThat(UmServer.of("um1", "https://[2001:db8::9]:444/ews", null).host().text())
        .isEqualTo("2001:db8::9");
    assertThat(UmServer.of("um1", "https://UM01.contoso.test/ews", null).host().text())
        .isEqualTo("um01.contoso.test");
  }

  @Test
  void server_urlWithoutHttpHost_refused() {
    assertThatThrownBy(() -> UmServer.of("um1", "ftp://x/", null))
        .hasMessage(
            "UM server \"um1\": umInternalUrl \"ftp://x/\": expected an http:// or https:// URL");
    assertThatThrownBy(() -> UmServer.of("um1", "https://0.0.0.0/ews", null))
        .hasMessageContaining("host: the unspecified address");
  }
}
