package org.umgw.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DialPlanTest {

  @ParameterizedTest
  @ValueSource(ints = {0, 21, -3})
  void digits_outOfRange_refused(int digits) {
    assertThatThrownBy(() -> DialPlan.of("dp", UriType.TelExtn, digits))
        .hasMessage(
            "UM dial plan \"dp\": umNumberOfDigitsInExtension \"" + digits + "\": must be 1 to 20");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "12345", "1a", "+1"})
  void countryCode_notOneToFourDigits_refused(String code) {
    assertThatThrownBy(
            () ->
                new DialPlan("dp", UriType.E164, 10, VoipSecurity.Unsecured, code, List.of(), null))
        .hasMessage(
            "UM dial plan \"dp\": umCountryOrRegionCode \"" + code + "\": must be 1 to 4 digits");
  }

  @Test
  void names_mayHoldLdapSpecialCharacters() {
    String name = "Plan *()\\,=+\"<>; Zürich";
    assertThat(DialPlan.of(name, UriType.TelExtn, 4).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @CsvSource({"Unsecured, false", "SIPSecured, true", "Secured, true"})
  void voipSecurity_tls(VoipSecurity security, boolean tls) {
    assertThat(security.usesTls()).isEqualTo(tls);
  }

  @Test
  void enums_parseAnyCaseAndNameTheSpellingsOtherwise() {
    assertThat(UriType.parse("sipname", ObjectRef.dialPlan("dp"))).isEqualTo(UriType.SipName);
    assertThatThrownBy(() -> UriType.parse("Sip", ObjectRef.dialPlan("dp")))
        .hasMessage(
            "UM dial plan \"dp\": umURIType \"Sip\": expected one of TelExtn, E164, SipName");
  }
}
