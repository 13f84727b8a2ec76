package org.umgw.migration;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/** Each Exchange encoding of {@link ExchangeTable}, one row per value, through the mapper. */
class ExchangeMapperTest {
  private static final String GW = "CN=gw,CN=UM IPGateway Container,CN=O";
  private static final String DP = "CN=dp,CN=UM DialPlan Container,CN=O";

  private final ExchangeMapper mapper = new ExchangeMapper();

  @ParameterizedTest(name = "status {0} -> {1}")
  @CsvSource({"0, Enabled", "1, Disabled", "2, NoNewCalls", ", Enabled"})
  void gatewayStatus(String code, GatewayStatus expected) {
    assertThat(gateway(code == null ? "" : "msExchUMIPGatewayStatus: " + code).status())
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "flags {0} flags2 {1}")
  @CsvSource({
    // flags, flags2, simulator, delayed, mwi, family
    "0, 0x2, false, false, false, IPv4Only",
    "1, 0x2, true, false, false, IPv4Only",
    "2, 0x3, false, true, true, IPv4Only",
    "3, 0x3, true, true, true, IPv4Only",
    "4, 0x1, false, false, true, IPv6Only",
    "5, 0x0, true, false, false, IPv6Only",
    "6, 0x2, false, true, false, Any",
    "7, 0x3, true, true, true, Any",
    "4, -1, false, false, true, Any",
    ", -1, false, false, true, IPv4Only",
    ", , false, false, true, IPv4Only",
    "8, 0x3, false, false, true, IPv4Only",
  })
  void gatewayFlags(
      String flags,
      String flags2,
      boolean simulator,
      boolean delayed,
      boolean mwi,
      IpAddressFamily family) {
    String lines =
        (flags == null ? "" : "msExchUMIPGatewayFlags: " + flags + "\n")
            + (flags2 == null ? "" : "msExchUMIPGatewayFlags2: " + Integer.decode(flags2));
    Gateway g = gateway("msExchUMIPGatewayAddress: gw.example.test\n" + lines);
    assertThat(g.simulator()).isEqualTo(simulator);
    assertThat(g.delayedSourcePartyInfoEnabled()).isEqualTo(delayed);
    assertThat(g.messageWaitingIndicatorAllowed()).isEqualTo(mwi);
    assertThat(g.ipAddressFamily()).isEqualTo(family);
  }

  @ParameterizedTest(name = "uri {0} security {1}")
  @CsvSource({
    "1, 1, TelExtn, SIPSecured",
    "2, 2, E164, Unsecured",
    "3, 3, SipName, Secured",
    ", , TelExtn, Unsecured",
  })
  void dialPlanCodes(String uri, String security, UriType uriType, VoipSecurity voipSecurity) {
    Mapped m =
        map(
            "dn: " + DP,
            "objectClass: msExchUMDialPlan",
            "cn: dp",
            "msExchUMNumberingPlanDigits: 4",
            uri == null ? "description: -" : "msExchUMDialPlanURIType: " + uri,
            security == null ? "name: dp" : "msExchUMDialPlanVoipSecurity: " + security);
    assertThat(m).isInstanceOf(Mapped.DialPlanEntry.class);
    DialPlan dp = ((Mapped.DialPlanEntry) m).dialPlan();
    assertThat(dp.uriType()).isEqualTo(uriType);
    assertThat(dp.voipSecurity()).isEqualTo(voipSecurity);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "msExchUMIPGatewayStatus: 3|msExchUMIPGatewayStatus \"3\": not a value umgw knows;"
            + " known: 0 Enabled, 1 Disabled, 2 NoNewCalls",
        "msExchUMIPGatewayPort: -1|msExchUMIPGatewayPort \"-1\": a port is 0 to 65535",
        "msExchUMOutcallsAllowed: maybe|msExchUMOutcallsAllowed \"maybe\": expected TRUE or FALSE",
        "msExchUMIPGatewayFlags2: 1|msExchUMIPGatewayFlags/msExchUMIPGatewayFlags2 \"0/1\":"
            + " neither IPv4 (bit 0x2 of msExchUMIPGatewayFlags2) nor IPv6 (bit 0x4 of"
            + " msExchUMIPGatewayFlags) is enabled",
        "msExchUMIPGatewayFlags: x|msExchUMIPGatewayFlags \"x\": not a 32-bit integer",
      })
  void badGatewayValues_areRefusedNamingAttributeAndValue(String line, String problem) {
    Mapped m =
        map(
            "dn: " + GW,
            "objectClass: msExchUMIPGateway",
            "cn: gw",
            "msExchUMIPGatewayAddress: 192.0.2.1",
            line);
    assertThat(m).isInstanceOf(Mapped.Refused.class);
    assertThat(((Mapped.Refused) m).problems())
        .extracting(Problem::toString)
        .containsExactly(problem);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "msExchUMDialPlanURIType: 4|msExchUMDialPlanURIType \"4\": not a value umgw knows;"
            + " known: 1 TelExtn, 2 E164, 3 SipName",
        "msExchUMDialPlanVoipSecurity: 0|msExchUMDialPlanVoipSecurity \"0\": not a value umgw"
            + " knows; known: 1 SIPSecured, 2 Unsecured, 3 Secured",
        "msExchUMCountryCode: +44|msExchUMCountryCode \"+44\": must be 1 to 4 digits",
      })
  void badDialPlanValues_areRefusedNamingAttributeAndValue(String line, String problem) {
    Mapped m =
        map(
            "dn: " + DP,
            "objectClass: msExchUMDialPlan",
            "cn: dp",
            "msExchUMNumberingPlanDigits: 4",
            line);
    assertThat(m).isInstanceOf(Mapped.Refused.class);
    assertThat(((Mapped.Refused) m).problems())
        .extracting(Problem::toString)
        .containsExactly(problem);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"msExchUMIPGateway", "MSEXCHUMIPGATEWAY", "msexchumipgateway"})
  void objectClassAndAttributeNames_matchInAnyCase(String objectClass) {
    Mapped m =
        map(
            "dn: " + GW,
            "objectClass: " + objectClass,
            "CN: gw",
            "MSEXCHUMIPGATEWAYADDRESS: 192.0.2.1",
            "msexchumipgatewayport: 5062");
    assertThat(m).isInstanceOf(Mapped.GatewayEntry.class);
    assertThat(((Mapped.GatewayEntry) m).gateway().port()).isEqualTo(5062);
  }

  private Gateway gateway(String lines) {
    List<String> all =
        new java.util.ArrayList<>(
            List.of("dn: " + GW, "objectClass: top", "objectClass: msExchUMIPGateway", "cn: gw"));
    if (!lines.contains("msExchUMIPGatewayAddress")) {
      all.add("msExchUMIPGatewayAddress: 192.0.2.1");
    }
    for (String l : lines.split("\n")) {
      if (!l.isBlank()) {
        all.add(l);
      }
    }
    Mapped m = map(all.toArray(String[]::new));
    assertThat(m).as(m.toString()).isInstanceOf(Mapped.GatewayEntry.class);
    return ((Mapped.GatewayEntry) m).gateway();
  }

  private Mapped map(String... ldif) {
    try {
      return mapper.map(new Entry(ldif));
    } catch (com.unboundid.ldif.LDIFException e) {
      throw new AssertionError(e);
    }
  }
}
