package org.umgw.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.InvalidValueException;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * The constraints slapd and the embedded directory enforce accept exactly what the model accepts
 * (enumerations: the canonical spelling only, a subset of what the lenient reader takes).
 */
class ValueConstraintTest {
  private static boolean modelAcceptsPort(int port) {
    try {
      Gateway.builder("gw", "192.0.2.1").port(port).build();
      return true;
    } catch (InvalidValueException e) {
      return false;
    }
  }

  private static boolean modelAcceptsDigits(int digits) {
    try {
      DialPlan.of("dp", UriType.TelExtn, digits);
      return true;
    } catch (InvalidValueException e) {
      return false;
    }
  }

  @Test
  void port_regexAgreesWithTheModel() {
    ValueConstraint c = ValueConstraint.of("umPort").orElseThrow();
    for (int port = -10; port <= 70_000; port++) {
      assertThat(c.accepts(Integer.toString(port)))
          .as("%d", port)
          .isEqualTo(modelAcceptsPort(port));
    }
    assertThat(c.accepts("05060")).isFalse();
    assertThat(ValueConstraint.check("umPort", "70000")).contains("an integer 0 to 65535");
  }

  @Test
  void digits_regexAgreesWithTheModel() {
    ValueConstraint c = ValueConstraint.of("umNumberOfDigitsInExtension").orElseThrow();
    for (int d = -5; d <= 100; d++) {
      assertThat(c.accepts(Integer.toString(d))).as("%d", d).isEqualTo(modelAcceptsDigits(d));
    }
  }

  @Test
  void countryCode_oneToFourDigits() {
    ValueConstraint c = ValueConstraint.of("umCountryOrRegionCode").orElseThrow();
    assertThat(List.of("1", "44", "1234")).allMatch(c::accepts);
    assertThat(List.of("", "12345", "+44", "4a")).noneMatch(c::accepts);
  }

  @Test
  void enumerations_canonicalSpellingOnly() {
    for (Enum<?>[] values :
        List.<Enum<?>[]>of(
            GatewayStatus.values(),
            IpAddressFamily.values(),
            UriType.values(),
            VoipSecurity.values())) {
      for (Enum<?> v : values) {
        String attribute =
            switch (v.getDeclaringClass().getSimpleName()) {
              case "GatewayStatus" -> "umStatus";
              case "IpAddressFamily" -> "umIPAddressFamily";
              case "UriType" -> "umURIType";
              default -> "umVoIPSecurity";
            };
        assertThat(ValueConstraint.check(attribute, v.name())).as(v.name()).isEmpty();
        assertThat(ValueConstraint.check(attribute, v.name().toLowerCase())).isPresent();
      }
    }
    assertThat(ValueConstraint.check("umStatus", "Disable"))
        .contains("expected one of Enabled, Disabled, NoNewCalls");
  }

  @Test
  void booleans_trueOrFalse() {
    assertThat(ValueConstraint.check("umSimulator", "TRUE")).isEmpty();
    assertThat(ValueConstraint.check("umSimulator", "yes")).isPresent();
    assertThat(ValueConstraint.check("description", "anything")).isEmpty();
  }
}
