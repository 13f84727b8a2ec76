package org.umgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * Finding 4 and deliver 11: the embedded directory, published by {@code serve}, refuses with
 * constraintViolation (19) and the rule's message every write an LDAP browser user could make that
 * breaks a value set or range, the address uniqueness (in any spelling) or any other umgw rule, and
 * still accepts valid edits. Writes are made with OpenLDAP's ldapadd, ldapmodify and ldapdelete;
 * the set-up goes through {@link DirectoryStore}, as the CLI does, past the same guard.
 */
class ServeRulesLdapToolsTest {
  private static final String BASE = "dc=rules,dc=test";
  private static final String GATEWAYS = "ou=gateways," + BASE;
  private static final String DIAL_PLANS = "ou=dialplans," + BASE;

  @TempDir static Path tmp;
  private static EmbeddedDirectory dir;
  private static DirectoryStore store;
  private static String url;

  record Tool(int code, String out) {}

  @BeforeAll
  static void start() {
    dir =
        EmbeddedDirectory.open(
            tmp.resolve("data"), EmbeddedDirectory.Options.defaults().withBaseDn(BASE));
    store = new DirectoryStore(dir.pool(), dir.layout());
    store.createDialPlan(DialPlan.of("plain", UriType.TelExtn, 5));
    store.createDialPlan(
        DialPlan.of("secure", UriType.TelExtn, 5).withVoipSecurity(VoipSecurity.SIPSecured));
    store.createDialPlan(DialPlan.of("sip", UriType.SipName, 5));
    store.createDialPlan(DialPlan.of("big", UriType.TelExtn, 5));
    store.createGateway(Gateway.builder("gw1", "192.0.2.1").build(), "plain");
    store.createGateway(Gateway.builder("gw6", "2001:db8::10").build(), "plain");
    store.createGateway(Gateway.builder("named", "sbc.example.test").build(), null);
    store.createGateway(
        Gateway.builder("anyfam", "any.example.test").ipAddressFamily(IpAddressFamily.Any).build(),
        null);
    store.createGateway(Gateway.builder("tls1", "tls1.example.test").port(5061).build(), "secure");
    store.createGateway(Gateway.builder("s1", "s1.example.test").build(), "sip");
    store.createGateway(
        Gateway.builder("s2", "s2.example.test").outcallsAllowed(false).build(), "sip");
    for (int i = 1; i <= 200; i++) {
      store.createGateway(Gateway.builder("big" + i, "198.51.100." + i).build(), "big");
    }
    InetSocketAddress at = dir.serve("127.0.0.1", 0, ServeOptions.defaults());
    url = "ldap://127.0.0.1:" + at.getPort();
  }

  @AfterAll
  static void stop() {
    if (dir != null) {
      dir.close();
    }
  }

  private static Tool tool(String input, String tool, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                tool,
                "-H",
                url,
                "-x",
                "-D",
                "cn=admin," + BASE,
                "-y",
                dir.adminPasswordFile().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("LDAPNOINIT", "1");
    Process p = pb.start();
    if (input != null) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Tool(p.exitValue(), out);
  }

  private static Tool ldif(String tool, String... lines) throws Exception {
    return tool(String.join("\n", lines) + "\n", tool);
  }

  private static Tool replace(String dn, String attribute, String value) throws Exception {
    return ldif(
        "ldapmodify",
        "dn: " + dn,
        "changetype: modify",
        "replace: " + attribute,
        attribute + ": " + value);
  }

  private static Tool addGateway(String name, String address) throws Exception {
    return ldif(
        "ldapadd",
        "dn: cn=" + name + "," + GATEWAYS,
        "objectClass: umIPGateway",
        "cn: " + name,
        "umAddress: " + address);
  }

  private static Tool addHuntGroup(String gateway, String name, String dialPlan, String pilot)
      throws Exception {
    List<String> lines =
        new ArrayList<>(
            List.of(
                "dn: cn=" + name + ",cn=" + gateway + "," + GATEWAYS,
                "objectClass: umHuntGroup",
                "cn: " + name,
                "umDialPlanLink: cn=" + dialPlan + "," + DIAL_PLANS));
    if (pilot != null) {
      lines.add("umPilotIdentifier: " + pilot);
    }
    return ldif("ldapadd", lines.toArray(String[]::new));
  }

  private static void assertRefused(Tool t, String message) {
    assertThat(t.code()).as(t.out()).isEqualTo(19);
    assertThat(t.out()).contains("Constraint violation (19)").contains(message);
  }

  private static void assertOk(Tool t) {
    assertThat(t.code()).as(t.out()).isZero();
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "gw1 | umStatus | Disable | expected one of Enabled, Disabled, NoNewCalls",
        "gw1 | umStatus | enabled | expected one of Enabled, Disabled, NoNewCalls",
        "gw1 | umPort | 70000 | an integer 0 to 65535",
        "gw1 | umIPAddressFamily | IPv4 | expected one of IPv4Only, IPv6Only, Any",
        "gw1 | umSimulator | yes | an LDAP BOOLEAN (TRUE or FALSE)",
      })
  void gatewayValueOutOfSetOrRange_refused(
      String gateway, String attribute, String value, String expected) throws Exception {
    String dn = "cn=" + gateway + "," + GATEWAYS;
    Tool t = replace(dn, attribute, value);
    assertThat(t.code()).as(t.out()).isNotZero();
    if (!attribute.equals("umSimulator")) {
      assertRefused(t, dn + ": " + attribute + " \"" + value + "\": " + expected);
    }
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "umURIType | Sip | expected one of TelExtn, E164, SipName",
        "umVoIPSecurity | TLS | expected one of Unsecured, SIPSecured, Secured",
        "umNumberOfDigitsInExtension | 21 | an integer 1 to 20",
        "umCountryOrRegionCode | 12345 | 1 to 4 digits",
      })
  void dialPlanValueOutOfSetOrRange_refused(String attribute, String value, String expected)
      throws Exception {
    String dn = "cn=plain," + DIAL_PLANS;
    assertRefused(replace(dn, attribute, value), dn + ": " + attribute + " \"" + value + "\": ");
    assertThat(replace(dn, attribute, value).out()).contains(expected);
  }

  @ParameterizedTest
  @CsvSource({
    "2001:DB8:0:0::10, gw6, 2001:db8::10",
    "[2001:db8::10], gw6, 2001:db8::10",
    "192.0.2.1, gw1, 192.0.2.1",
    "SBC.Example.TEST, named, sbc.example.test",
  })
  void secondGatewayOnAnAddress_refusedInAnySpelling(String written, String holder, String canon)
      throws Exception {
    assertRefused(
        addGateway("copycat", written),
        "UM IP gateway \"copycat\": umAddress \""
            + canon
            + "\": already the address of UM IP gateway \""
            + holder
            + "\"");
    assertRefused(
        replace("cn=anyfam," + GATEWAYS, "umAddress", written),
        "UM IP gateway \"anyfam\": umAddress \"" + canon + "\": already the address of");
  }

  @Test
  void securedDialPlanNeedsFqdnAndTlsPort_refused() throws Exception {
    assertRefused(
        replace("cn=tls1," + GATEWAYS, "umPort", "5060"),
        "UM IP gateway \"tls1\": umPort \"5060\": UM dial plan \"secure\" is SIPSecured: its"
            + " gateways use port 5061 (or 0 for the default)");
    assertRefused(
        replace("cn=tls1," + GATEWAYS, "umAddress", "192.0.2.50"),
        "UM IP gateway \"tls1\": umAddress \"192.0.2.50\": UM dial plan \"secure\" is SIPSecured");
    assertRefused(
        addHuntGroup("gw1", "tls", "secure", "77"),
        "UM IP gateway \"gw1\": umAddress \"192.0.2.1\": UM dial plan \"secure\" is SIPSecured");
    assertRefused(
        replace("cn=plain," + DIAL_PLANS, "umVoIPSecurity", "Secured"),
        "UM IP gateway \"gw1\": umAddress \"192.0.2.1\": UM dial plan \"plain\" is Secured");
  }

  @Test
  void pilotUniqueCapacitySipUriAndDialPlanExists_refused() throws Exception {
    assertRefused(
        addHuntGroup("gw1", "Second", "plain", null),
        "UM hunt group \"gw1/Second\": umPilotIdentifier \"\": the catch-all (empty) pilot is"
            + " already used by UM hunt group \"gw1/Default Hunt Group\"");
    assertRefused(
        addHuntGroup("gw1", "Overflow", "big", "5"),
        "UM dial plan \"big\": 201 UM IP gateways; at most 200 may serve one dial plan");
    assertRefused(
        replace("cn=s2," + GATEWAYS, "umOutcallsAllowed", "TRUE"),
        "UM IP gateway \"s2\": umOutcallsAllowed \"TRUE\": 2 UM IP gateways of SIP URI dial plans"
            + " allow outcalls (s1, s2); only one may");
    assertRefused(
        addHuntGroup("gw1", "Nowhere", "nope", "6"),
        "UM hunt group \"gw1/Nowhere\": umDialPlanLink \"nope\": no such UM dial plan");
  }

  @Test
  void dialPlanInUseAndImmutableAttributes_refused() throws Exception {
    assertRefused(
        tool(null, "ldapdelete", "cn=sip," + DIAL_PLANS),
        "UM dial plan \"sip\": cannot be removed while 2 UM hunt group(s) link to it"
            + " (s1/Default Hunt Group, s2/Default Hunt Group)");
    assertRefused(
        replace("cn=sip," + DIAL_PLANS, "umURIType", "E164"),
        "UM dial plan \"sip\": umURIType \"E164\": cannot change after creation (it is SipName)");
    assertRefused(
        replace("cn=sip," + DIAL_PLANS, "umNumberOfDigitsInExtension", "6"),
        "UM dial plan \"sip\": umNumberOfDigitsInExtension \"6\": cannot change after creation");
  }

  @Test
  void entryThatNoLongerMaps_refused() throws Exception {
    assertRefused(
        replace("cn=gw1," + GATEWAYS, "umIPAddressFamily", "IPv6Only"),
        "cn=gw1," + GATEWAYS + ": umIPAddressFamily \"IPv6Only\": does not admit the IPv4 literal");
    assertRefused(
        ldif(
            "ldapmodify",
            "dn: cn=plain," + DIAL_PLANS,
            "changetype: moddn",
            "newrdn: cn=plain",
            "deleteoldrdn: 1",
            "newsuperior: " + GATEWAYS),
        "UM dial plan \"plain\": cannot be removed while");
  }

  /** A directory that already breaks a rule takes the writes that do not add to it: repairs. */
  @Test
  void existingViolation_doesNotBlockOtherWritesOrTheRepair() throws Exception {
    StringBuilder ldif = new StringBuilder();
    for (String twin : List.of("twinA", "twinB")) {
      ldif.append("dn: cn=")
          .append(twin)
          .append(',')
          .append(GATEWAYS)
          .append("\nobjectClass: top\nobjectClass: umIPGateway\ncn: ")
          .append(twin)
          .append("\numAddress: 203.0.113.5\n\n");
    }
    // Past the guard (and the journal), as if written before it existed.
    dir.server()
        .importFromLDIF(
            false,
            new com.unboundid.ldif.LDIFReader(
                new java.io.ByteArrayInputStream(
                    ldif.toString().getBytes(StandardCharsets.UTF_8))));

    assertOk(replace("cn=twinA," + GATEWAYS, "umPort", "5070"));
    assertOk(replace("cn=twinA," + GATEWAYS, "umStatus", "NoNewCalls"));
    assertRefused(
        addGateway("twinC", "203.0.113.5"),
        "UM IP gateway \"twinC\": umAddress \"203.0.113.5\": already the address of UM IP gateway"
            + " \"twinA\"");
    assertOk(replace("cn=twinB," + GATEWAYS, "umAddress", "203.0.113.6"));
    assertOk(replace("cn=twinB," + GATEWAYS, "umAddress", "203.0.113.7"));
  }

  @Test
  void validEdits_accepted() throws Exception {
    assertOk(replace("cn=named," + GATEWAYS, "umStatus", "Disabled"));
    assertOk(replace("cn=named," + GATEWAYS, "umPort", "65535"));
    assertOk(replace("cn=named," + GATEWAYS, "umAddress", "SBC2.Example.TEST"));
    assertOk(replace("cn=named," + GATEWAYS, "umAddress", "sbc.example.test"));
    assertOk(addGateway("fresh", "2001:db8::11"));
    assertOk(addHuntGroup("fresh", "Default", "plain", null));
    assertOk(addHuntGroup("fresh", "Pilot", "plain", "1234"));
    assertOk(replace("cn=plain," + DIAL_PLANS, "umCountryOrRegionCode", "44"));
    // Hand the SIP URI outcalls over: first off on s1, then on for s2 (and back).
    assertOk(replace("cn=s1," + GATEWAYS, "umOutcallsAllowed", "FALSE"));
    assertOk(replace("cn=s2," + GATEWAYS, "umOutcallsAllowed", "TRUE"));
    assertOk(replace("cn=s2," + GATEWAYS, "umOutcallsAllowed", "FALSE"));
    assertOk(replace("cn=s1," + GATEWAYS, "umOutcallsAllowed", "TRUE"));
    // Remove a gateway as Remove-UMIPGateway does, then its now unused dial plan.
    store.createDialPlan(DialPlan.of("spare", UriType.E164, 10));
    store.createHuntGroup(new HuntGroup("fresh", "Spare", "spare", "99", null));
    assertOk(tool(null, "ldapdelete", "cn=Spare,cn=fresh," + GATEWAYS));
    assertOk(tool(null, "ldapdelete", "cn=spare," + DIAL_PLANS));
    assertOk(tool(null, "ldapdelete", "-r", "cn=fresh," + GATEWAYS));
    assertThat(store.gateway("fresh")).isEmpty();
    assertThat(store.requireGateway("named").address().text()).isEqualTo("sbc.example.test");
  }
}
