package org.umgw.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Entry;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;

/**
 * Finding 11, below the servers: every value an LDAP browser can get wrong (including those a
 * server's syntax checks would refuse, such as a boolean "maybe") leaves a gateway or dial plan
 * that a command can repair, with two distinct stand-ins for the unreadable attribute only.
 */
class EntryMapperRepairTest {
  private static final EntryMapper MAPPER =
      new EntryMapper(DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));

  private static Entry gateway(String attribute, String... values) throws Exception {
    Entry e =
        new Entry(
            "dn: cn=gw1,ou=gateways,dc=umgw,dc=example",
            "objectClass: top",
            "objectClass: umIPGateway",
            "cn: gw1",
            "umAddress: 2001:db8::10",
            "umPort: 5060",
            "umIPAddressFamily: IPv6Only",
            "umStatus: NoNewCalls",
            "umOutcallsAllowed: FALSE",
            "umMessageWaitingIndicatorAllowed: TRUE",
            "umSimulator: FALSE",
            "umDelayedSourcePartyInfoEnabled: FALSE",
            "description: edge");
    if (attribute != null) {
      e.setAttribute(attribute, values);
    }
    return e;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "umAddress,                       not an address!",
    "umPort,                          70000",
    "umPort,                          x",
    "umIPAddressFamily,               IPv5",
    "umIPAddressFamily,               IPv4Only", // readable, but disagrees with the IPv6 literal
    "umStatus,                        Bogus",
    "umOutcallsAllowed,               maybe",
    "umMessageWaitingIndicatorAllowed, 2",
    "umSimulator,                     yes",
    "umDelayedSourcePartyInfoEnabled, no",
  })
  void gateway_oneUnreadableValue_standsInForItAlone(String attribute, String value)
      throws Exception {
    Entry entry = gateway(attribute, value);
    assertThatThrownBy(() -> MAPPER.gateway(entry)).isInstanceOf(EntryMappingException.class);

    EntryMapper.Repairable<Gateway> one = MAPPER.gatewayForRepair(entry, false);
    EntryMapper.Repairable<Gateway> other = MAPPER.gatewayForRepair(entry, true);
    assertThat(one.unreadable()).containsExactly(attribute);
    assertThat(one.problems()).singleElement().extracting(EntryProblem::attribute).isNotNull();
    Entry a = MAPPER.toEntry(one.object());
    Entry b = MAPPER.toEntry(other.object());
    assertThat(a.getAttribute(attribute)).isNotEqualTo(b.getAttribute(attribute));
    // Every readable value is read as it is.
    for (String readable :
        Set.of("umPort", "umStatus", "umOutcallsAllowed", "description", "umAddress")) {
      if (!readable.equals(attribute)) {
        assertThat(a.getAttribute(readable)).isEqualTo(gateway(null).getAttribute(readable));
        assertThat(b.getAttribute(readable)).isEqualTo(a.getAttribute(readable));
      }
    }
  }

  @Test
  void gateway_severalUnreadableValues_andTwoDescriptions() throws Exception {
    Entry entry = gateway("umStatus", "Bogus");
    entry.setAttribute("umPort", "-1");
    entry.setAttribute("description", "one", "two");
    EntryMapper.Repairable<Gateway> read = MAPPER.gatewayForRepair(entry, false);
    assertThat(read.unreadable()).containsExactly("description", "umPort", "umStatus");
    assertThat(read.object().status()).isEqualTo(GatewayStatus.Enabled);
    assertThat(MAPPER.gatewayForRepair(entry, true).object().status())
        .isEqualTo(GatewayStatus.Disabled);
  }

  @Test
  void gateway_wrongAsAWhole_notRepairable() throws Exception {
    Entry entry = gateway(null);
    entry.setDN("cn=gw1,ou=dialplans,dc=umgw,dc=example");
    assertThatThrownBy(() -> MAPPER.gatewayForRepair(entry, false))
        .isInstanceOf(EntryMappingException.class)
        .hasMessageContaining("expected directly under ou=gateways");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "umURIType,                   Telephone",
    "umNumberOfDigitsInExtension, 0",
    "umVoIPSecurity,              Bogus",
    "umCountryOrRegionCode,       USA",
    "umAccessTelephoneNumber,     call me",
  })
  void dialPlan_oneUnreadableValue_standsInForItAlone(String attribute, String value)
      throws Exception {
    Entry entry =
        new Entry(
            "dn: cn=DP1,ou=dialplans,dc=umgw,dc=example",
            "objectClass: top",
            "objectClass: umDialPlan",
            "cn: DP1",
            "umURIType: SipName",
            "umNumberOfDigitsInExtension: 4",
            "umVoIPSecurity: Secured",
            "umCountryOrRegionCode: 44",
            "umAccessTelephoneNumber: +44 20 7946 0000");
    entry.setAttribute(attribute, value);
    var one = MAPPER.dialPlanForRepair(entry, false);
    var other = MAPPER.dialPlanForRepair(entry, true);
    assertThat(one.unreadable()).containsExactly(attribute);
    assertThat(MAPPER.toEntry(one.object()).getAttribute(attribute))
        .isNotEqualTo(MAPPER.toEntry(other.object()).getAttribute(attribute));
  }
}
