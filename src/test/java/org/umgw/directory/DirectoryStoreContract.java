package org.umgw.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.InvalidValueException;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmServer;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;
import org.umgw.rules.Rule;
import org.umgw.rules.RuleViolation;
import org.umgw.rules.RuleViolationException;
import org.umgw.rules.Rules;
import org.umgw.testing.TestDirectories;

/**
 * Every create/read/update/delete and every rule, positive and negative, against a real server.
 * Implemented once per server (slapd, ApacheDS, UnboundID in-memory).
 */
interface DirectoryStoreContract {

  DirectoryStore store();

  @BeforeEach
  default void resetDirectory() {
    store().init();
    TestDirectories.wipe(store().pool(), store().layout());
  }

  private DialPlan plan(String name, VoipSecurity security) {
    return store().createDialPlan(DialPlan.of(name, UriType.TelExtn, 5).withVoipSecurity(security));
  }

  private static Gateway gw(String name, String address) {
    return Gateway.builder(name, address).build();
  }

  private static RuleViolation violation(Runnable write) {
    try {
      write.run();
    } catch (RuleViolationException e) {
      assertThat(e.violations()).hasSize(1);
      return e.violations().get(0);
    }
    throw new AssertionError("the write was accepted");
  }

  // ------------------------------------------------------------------ CRUD

  @Test
  default void init_isIdempotent() {
    assertThat(store().init()).isEmpty();
  }

  @Test
  default void dialPlan_createReadUpdateRemove() {
    DialPlan dp =
        new DialPlan(
            "Redmond",
            UriType.E164,
            10,
            VoipSecurity.Unsecured,
            "1",
            List.of("+1 425 555 0100", "+1 425 555 0101"),
            "HQ");
    store().createDialPlan(dp);
    assertThat(store().dialPlan("Redmond")).contains(dp);

    DialPlan changed =
        store()
            .updateDialPlan(
                "Redmond",
                d ->
                    new DialPlan(
                        d.name(),
                        d.uriType(),
                        d.numberOfDigitsInExtension(),
                        VoipSecurity.Unsecured,
                        "44",
                        List.of("+44 20 7946 0000"),
                        null));
    assertThat(store().dialPlan("Redmond")).contains(changed);
    assertThat(store().dialPlans().objects()).containsExactly(changed);

    store().removeDialPlan("Redmond");
    assertThat(store().dialPlan("Redmond")).isEmpty();
  }

  @Test
  default void dialPlan_duplicateName_refused() {
    plan("dp", VoipSecurity.Unsecured);
    assertThatThrownBy(() -> plan("dp", VoipSecurity.Unsecured))
        .isInstanceOf(ObjectExistsException.class)
        .hasMessage("UM dial plan \"dp\": already exists");
  }

  @Test
  default void gateway_createWithEveryPropertyReadsBackEqual() {
    Gateway g =
        Gateway.builder("gw1", "sbc1.example.test")
            .port(5062)
            .ipAddressFamily(IpAddressFamily.Any)
            .status(GatewayStatus.NoNewCalls)
            .outcallsAllowed(false)
            .messageWaitingIndicatorAllowed(false)
            .simulator(true)
            .delayedSourcePartyInfoEnabled(true)
            .description("rack 4")
            .build();
    store().createGateway(g, null);
    assertThat(store().gateway("gw1")).contains(g);
    assertThat(store().huntGroups("gw1").objects()).isEmpty();
  }

  @Test
  default void gateway_createWithDialPlan_addsDefaultHuntGroup() {
    plan("dp", VoipSecurity.Unsecured);
    store().createGateway(gw("gw1", "192.0.2.1"), "dp");
    assertThat(store().huntGroups("gw1").objects())
        .containsExactly(new HuntGroup("gw1", "Default Hunt Group", "dp", "", null));
  }

  @Test
  default void gateway_createWithUnknownDialPlan_refusedAndNothingWritten() {
    assertThatThrownBy(() -> store().createGateway(gw("gw1", "192.0.2.1"), "nope"))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessage("UM dial plan \"nope\": not found");
    assertThat(store().gateway("gw1")).isEmpty();
  }

  @Test
  default void gateway_duplicateName_refused() {
    store().createGateway(gw("gw1", "192.0.2.1"), null);
    assertThatThrownBy(() -> store().createGateway(gw("gw1", "192.0.2.2"), null))
        .isInstanceOf(ObjectExistsException.class)
        .hasMessage("UM IP gateway \"gw1\": already exists");
  }

  @Test
  default void gateway_update_writesTheChange() {
    store().createGateway(gw("gw1", "192.0.2.1"), null);
    store().updateGateway("gw1", g -> g.toBuilder().address("2001:db8::1").port(5070).build());
    Gateway read = store().requireGateway("gw1");
    assertThat(read.address().text()).isEqualTo("2001:db8::1");
    assertThat(read.ipAddressFamily()).isEqualTo(IpAddressFamily.IPv6Only);
    assertThat(read.port()).isEqualTo(5070);
  }

  @Test
  default void gateway_updateFamilyAgainstLiteral_refusedNamingTheValue() {
    store().createGateway(gw("gw1", "192.0.2.1"), null);
    assertThatThrownBy(
            () ->
                store()
                    .updateGateway(
                        "gw1",
                        g -> g.toBuilder().ipAddressFamily(IpAddressFamily.IPv6Only).build()))
        .isInstanceOf(InvalidValueException.class)
        .hasMessage(
            "UM IP gateway \"gw1\": umIPAddressFamily \"IPv6Only\": does not admit the IPv4"
                + " literal address 192.0.2.1");
    assertThat(store().requireGateway("gw1").ipAddressFamily()).isEqualTo(IpAddressFamily.IPv4Only);
  }

  @Test
  default void gateway_unknown_notFound() {
    assertThat(store().gateway("ghost")).isEmpty();
    assertThatThrownBy(() -> store().updateGateway("ghost", g -> g))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessage("UM IP gateway \"ghost\": not found");
    assertThatThrownBy(() -> store().removeGateway("ghost"))
        .isInstanceOf(ObjectNotFoundException.class);
    assertThatThrownBy(() -> store().enableGateway("ghost"))
        .isInstanceOf(ObjectNotFoundException.class);
  }

  @Test
  default void gateway_remove_deletesHuntGroupsFirst() {
    plan("dp", VoipSecurity.Unsecured);
    plan("dp2", VoipSecurity.Unsecured);
    store().createGateway(gw("gw1", "192.0.2.1"), "dp");
    store().createHuntGroup(new HuntGroup("gw1", "second", "dp2", "1234", null));
    store().removeGateway("gw1");
    assertThat(store().gateway("gw1")).isEmpty();
    assertThat(store().huntGroups().objects()).isEmpty();
    store().removeDialPlan("dp");
  }

  @Test
  default void gateway_enableDisable_transitionsAsExchange() {
    store().createGateway(gw("gw1", "192.0.2.1"), null);
    RuleViolation v = violation(() -> store().enableGateway("gw1"));
    assertThat(v.rule()).isEqualTo(Rule.STATUS_TRANSITION);
    assertThat(v.toString())
        .isEqualTo("UM IP gateway \"gw1\": umStatus \"Enabled\": is already enabled");

    assertThat(store().disableGateway("gw1", false).status()).isEqualTo(GatewayStatus.NoNewCalls);
    assertThat(store().requireGateway("gw1").status()).isEqualTo(GatewayStatus.NoNewCalls);
    assertThat(violation(() -> store().disableGateway("gw1", false)).rule())
        .isEqualTo(Rule.STATUS_TRANSITION);

    assertThat(store().disableGateway("gw1", true).status()).isEqualTo(GatewayStatus.Disabled);
    assertThat(violation(() -> store().disableGateway("gw1", true)).message())
        .isEqualTo("is already disabled");
    assertThat(violation(() -> store().disableGateway("gw1", false)).message())
        .isEqualTo("is already disabled");

    assertThat(store().enableGateway("gw1").status()).isEqualTo(GatewayStatus.Enabled);
    assertThat(store().disableGateway("gw1", true).status()).isEqualTo(GatewayStatus.Disabled);
    assertThat(store().requireGateway("gw1").status()).isEqualTo(GatewayStatus.Disabled);
  }

  @Test
  default void huntGroup_createListRemove() {
    plan("dp", VoipSecurity.Unsecured);
    store().createGateway(gw("gw1", "192.0.2.1"), null);
    HuntGroup h = new HuntGroup("gw1", "Sales", "dp", "5000", "sales line");
    store().createHuntGroup(h);
    assertThat(store().huntGroup("gw1", "Sales")).contains(h);
    assertThat(store().huntGroups().objects()).containsExactly(h);
    assertThatThrownBy(() -> store().createHuntGroup(h))
        .isInstanceOf(ObjectExistsException.class)
        .hasMessage("UM hunt group \"gw1/Sales\": already exists");
    store().removeHuntGroup("gw1", "Sales");
    assertThat(store().huntGroup("gw1", "Sales")).isEmpty();
    assertThatThrownBy(() -> store().removeHuntGroup("gw1", "Sales"))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessage("UM hunt group \"gw1/Sales\": not found");
  }

  @Test
  default void huntGroup_unknownGatewayOrDialPlan_notFound() {
    plan("dp", VoipSecurity.Unsecured);
    store().createGateway(gw("gw1", "192.0.2.1"), null);
    assertThatThrownBy(() -> store().createHuntGroup(new HuntGroup("gw9", "h", "dp", "", null)))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessage("UM IP gateway \"gw9\": not found");
    assertThatThrownBy(() -> store().createHuntGroup(new HuntGroup("gw1", "h", "dp9", "", null)))
        .isInstanceOf(ObjectNotFoundException.class)
        .hasMessage("UM dial plan \"dp9\": not found");
  }

  @Test
  default void server_createListRemove() {
    UmServer s = UmServer.of("UM-01", "https://um01.example.test/ews/exchange.asmx", "first");
    store().createServer(s);
    assertThat(store().server("UM-01")).contains(s);
    assertThat(store().servers().objects()).containsExactly(s);
    assertThatThrownBy(() -> store().createServer(s)).isInstanceOf(ObjectExistsException.class);
    store().removeServer("UM-01");
    assertThat(store().server("UM-01")).isEmpty();
    assertThatThrownBy(() -> store().removeServer("UM-01"))
        .isInstanceOf(ObjectNotFoundException.class);
  }

  // ------------------------------------------------------------------ injection

  @Test
  default void specialCharactersAndNonAscii_roundTripExactly() {
    String dpName = "Plan *()\\,=+\"<>; Zürich #1";
    String gwName = "Zürich PBX (Bâtiment 2) ü";
    String hgName = "Hunt *)(cn=*)\\,=+\"<>; 東京";
    String pilot = "*)(|(cn=*))\\ ümlaut";
    store().createDialPlan(DialPlan.of(dpName, UriType.SipName, 4));
    store().createGateway(gw(gwName, "192.0.2.1"), dpName);
    HuntGroup h = new HuntGroup(gwName, hgName, dpName, pilot, "desc *()\\");
    store().createHuntGroup(h);
    UmServer s = UmServer.of("Server *()\\,=+\"<>;", "https://um.example.test/ews", null);
    store().createServer(s);

    assertThat(store().dialPlan(dpName).orElseThrow().name()).isEqualTo(dpName);
    assertThat(store().gateway(gwName).orElseThrow().name()).isEqualTo(gwName);
    assertThat(store().huntGroup(gwName, hgName)).contains(h);
    assertThat(store().huntGroups(gwName).objects())
        .extracting(HuntGroup::name, HuntGroup::dialPlan)
        .containsExactlyInAnyOrder(tuple("Default Hunt Group", dpName), tuple(hgName, dpName));
    assertThat(store().server(s.name())).contains(s);
    DirectoryRead all = store().readAll();
    assertThat(all.problems()).isEmpty();
    assertThat(all.contents().huntGroups()).contains(h);

    // A dial plan named "*" must not match every link (filter injection).
    store().createDialPlan(DialPlan.of("*", UriType.TelExtn, 4));
    store().removeDialPlan("*");
    assertThat(violation(() -> store().removeDialPlan(dpName)).rule())
        .isEqualTo(Rule.DIAL_PLAN_IN_USE);
  }

  // ------------------------------------------------------------------ rules

  @Test
  default void addressUnique_createAndUpdate() {
    store().createGateway(gw("gw1", "2001:db8::1"), null);
    RuleViolation v = violation(() -> store().createGateway(gw("gw2", "[2001:DB8:0::1]"), null));
    assertThat(v.toString())
        .isEqualTo(
            "UM IP gateway \"gw2\": umAddress \"2001:db8::1\": already the address of UM IP"
                + " gateway \"gw1\"");
    assertThat(store().gateway("gw2")).isEmpty();

    store().createGateway(gw("gw2", "sbc.example.test"), null);
    assertThat(
            violation(
                    () ->
                        store()
                            .updateGateway(
                                "gw1", g -> g.toBuilder().address("SBC.example.test").build()))
                .rule())
        .isEqualTo(Rule.ADDRESS_UNIQUE);
    store().updateGateway("gw1", g -> g.toBuilder().address("sbc2.example.test").build());
  }

  /** Writes a gateway past umgw, as an LDAP browser would, with the address as typed. */
  private void browserGateway(String name, String address) {
    try {
      store()
          .pool()
          .add(
              new Entry(
                  store().layout().gateway(name).toString(),
                  new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "umIPGateway"),
                  new com.unboundid.ldap.sdk.Attribute("cn", name),
                  new com.unboundid.ldap.sdk.Attribute("umAddress", address)));
    } catch (LDAPException e) {
      throw new AssertionError(e);
    }
  }

  private String storedAddress(String name) {
    try {
      return store()
          .pool()
          .getEntry(store().layout().gateway(name).toString())
          .getAttributeValue("umAddress");
    } catch (LDAPException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Finding 4: an address written by an LDAP browser in another spelling (which the equality rule,
   * caseIgnoreIA5Match, does not equate) still makes a new gateway's address a duplicate.
   */
  @ParameterizedTest
  @CsvSource({
    "2001:DB8:0:0::10, 2001:db8::10",
    "[2001:db8::10], 2001:db8::10",
    "2001:0db8:0000:0000:0000:0000:0000:0010, 2001:db8::10",
    "2001:db8::10, 2001:DB8:0:0::10",
    "GW.Example.TEST, gw.example.test",
  })
  default void addressUnique_matchesABrowsersSpelling(String written, String typed) {
    browserGateway("browser", written);
    RuleViolation v = violation(() -> store().createGateway(gw("gw2", typed), null));
    assertThat(v.rule()).isEqualTo(Rule.ADDRESS_UNIQUE);
    assertThat(v.message()).isEqualTo("already the address of UM IP gateway \"browser\"");
    assertThat(store().gateway("gw2")).isEmpty();

    store().createGateway(gw("gw2", "192.0.2.99"), null);
    RuleViolation set =
        violation(() -> store().updateGateway("gw2", g -> g.toBuilder().address(typed).build()));
    assertThat(set.rule()).isEqualTo(Rule.ADDRESS_UNIQUE);
    assertThat(store().requireGateway("gw2").address().text()).isEqualTo("192.0.2.99");
  }

  /** The store writes the canonical form, also over what a browser wrote. */
  @Test
  default void gateway_update_writesTheCanonicalAddress() {
    browserGateway("browser", "[2001:DB8:0:0::10]");
    store().updateGateway("browser", g -> g.toBuilder().port(5070).build());
    assertThat(storedAddress("browser")).isEqualTo("2001:db8::10");

    store().createGateway(gw("gw2", "SBC.Example.TEST"), null);
    assertThat(storedAddress("gw2")).isEqualTo("sbc.example.test");
  }

  @Test
  default void securedDialPlan_needsFqdnAndTlsPort() {
    plan("secure", VoipSecurity.SIPSecured);
    RuleViolation v = violation(() -> store().createGateway(gw("gw1", "192.0.2.1"), "secure"));
    assertThat(v.rule()).isEqualTo(Rule.SECURED_NEEDS_FQDN);
    assertThat(v.toString())
        .isEqualTo(
            "UM IP gateway \"gw1\": umAddress \"192.0.2.1\": UM dial plan \"secure\" is"
                + " SIPSecured: its gateways need an FQDN that matches their TLS certificate");
    assertThat(store().gateway("gw1")).isEmpty();

    Gateway onPlainPort = Gateway.builder("gw1", "gw1.example.test").port(5060).build();
    assertThat(violation(() -> store().createGateway(onPlainPort, "secure")).rule())
        .isEqualTo(Rule.SECURED_NEEDS_TLS_PORT);

    store().createGateway(gw("gw1", "gw1.example.test"), "secure");
    assertThat(
            violation(
                    () ->
                        store()
                            .updateGateway("gw1", g -> g.toBuilder().address("192.0.2.9").build()))
                .rule())
        .isEqualTo(Rule.SECURED_NEEDS_FQDN);
    store().updateGateway("gw1", g -> g.toBuilder().port(5061).build());

    // Hunt group into a secured plan, and raising a plan's security.
    plan("plain", VoipSecurity.Unsecured);
    store().createGateway(gw("gw2", "192.0.2.2"), "plain");
    assertThat(
            violation(() -> store().createHuntGroup(new HuntGroup("gw2", "s", "secure", "9", null)))
                .rule())
        .isEqualTo(Rule.SECURED_NEEDS_FQDN);
    RuleViolation raise =
        violation(
            () -> store().updateDialPlan("plain", d -> d.withVoipSecurity(VoipSecurity.Secured)));
    assertThat(raise.object()).isEqualTo(ObjectRef.gateway("gw2"));
    assertThat(store().requireDialPlan("plain").voipSecurity()).isEqualTo(VoipSecurity.Unsecured);
  }

  @Test
  default void pilotUnique_perGatewayCaseInsensitive() {
    plan("dp", VoipSecurity.Unsecured);
    store().createGateway(gw("gw1", "192.0.2.1"), "dp");
    store().createGateway(gw("gw2", "192.0.2.2"), "dp");
    store().createHuntGroup(new HuntGroup("gw1", "a", "dp", "UMPilot", null));
    RuleViolation v =
        violation(() -> store().createHuntGroup(new HuntGroup("gw1", "b", "dp", "umpilot", null)));
    assertThat(v.toString())
        .isEqualTo(
            "UM hunt group \"gw1/b\": umPilotIdentifier \"umpilot\": the pilot is already used by"
                + " UM hunt group \"gw1/a\"");
    RuleViolation catchAll =
        violation(() -> store().createHuntGroup(new HuntGroup("gw1", "c", "dp", "", null)));
    assertThat(catchAll.message())
        .isEqualTo(
            "the catch-all (empty) pilot is already used by UM hunt group \"gw1/Default Hunt Group\"");
    // The same pilot on another gateway is fine.
    store().createHuntGroup(new HuntGroup("gw2", "a", "dp", "UMPILOT", null));
  }

  @Test
  default void dialPlanRemoval_refusedWhileLinked() {
    plan("dp", VoipSecurity.Unsecured);
    store().createGateway(gw("gw1", "192.0.2.1"), "dp");
    RuleViolation v = violation(() -> store().removeDialPlan("dp"));
    assertThat(v.toString())
        .isEqualTo(
            "UM dial plan \"dp\": cannot be removed while 1 UM hunt group(s) link to it"
                + " (gw1/Default Hunt Group)");
    assertThat(store().dialPlan("dp")).isPresent();
    store().removeHuntGroup("gw1", "Default Hunt Group");
    store().removeDialPlan("dp");
    assertThatThrownBy(() -> store().removeDialPlan("dp"))
        .isInstanceOf(ObjectNotFoundException.class);
  }

  @Test
  default void dialPlan_uriTypeAndDigitsImmutable() {
    plan("dp", VoipSecurity.Unsecured);
    RuleViolationException e =
        (RuleViolationException)
            org.assertj.core.api.Assertions.catchThrowable(
                () ->
                    store()
                        .updateDialPlan(
                            "dp",
                            d ->
                                new DialPlan(
                                    "dp",
                                    UriType.E164,
                                    7,
                                    d.voipSecurity(),
                                    null,
                                    List.of(),
                                    null)));
    assertThat(e.violations())
        .extracting(RuleViolation::rule, RuleViolation::attribute, RuleViolation::value)
        .containsExactly(
            tuple(Rule.IMMUTABLE_ATTRIBUTE, "umURIType", "E164"),
            tuple(Rule.IMMUTABLE_ATTRIBUTE, "umNumberOfDigitsInExtension", "7"));
    assertThat(store().requireDialPlan("dp").uriType()).isEqualTo(UriType.TelExtn);
  }

  @Test
  default void dialPlanCapacity_200GatewaysAllowed201stRefused() throws LDAPException {
    plan("big", VoipSecurity.Unsecured);
    EntryMapper m = store().mapper();
    for (int i = 0; i < Rules.MAX_GATEWAYS_PER_DIAL_PLAN - 1; i++) {
      String name = "gw" + i;
      store().pool().add(m.toEntry(gw(name, "10.0." + (i / 250) + "." + (i % 250 + 1))));
      store().pool().add(m.toEntry(HuntGroup.defaultFor(name, "big")));
    }
    store().createGateway(gw("gw-200th", "10.9.0.1"), "big");
    RuleViolation v = violation(() -> store().createGateway(gw("gw-201st", "10.9.0.2"), "big"));
    assertThat(v.toString())
        .isEqualTo("UM dial plan \"big\": 201 UM IP gateways; at most 200 may serve one dial plan");
    assertThat(store().gateway("gw-201st")).isEmpty();
    // A second hunt group of a gateway already in the plan does not count twice.
    store().createHuntGroup(new HuntGroup("gw-200th", "extra", "big", "77", null));
  }

  @Test
  default void sipUriDialPlans_onlyOneGatewayWithOutcalls() {
    store().createDialPlan(DialPlan.of("lync", UriType.SipName, 4));
    store().createDialPlan(DialPlan.of("lync2", UriType.SipName, 4));
    store().createGateway(gw("gw1", "192.0.2.1"), "lync");
    RuleViolation v = violation(() -> store().createGateway(gw("gw2", "192.0.2.2"), "lync2"));
    assertThat(v.toString())
        .isEqualTo(
            "UM IP gateway \"gw2\": umOutcallsAllowed \"TRUE\": 2 UM IP gateways of SIP URI dial"
                + " plans allow outcalls (gw1, gw2); only one may: set umOutcallsAllowed to FALSE"
                + " on all but one");
    store()
        .createGateway(gw("gw2", "192.0.2.2").toBuilder().outcallsAllowed(false).build(), "lync2");
    assertThat(
            violation(
                    () ->
                        store()
                            .updateGateway("gw2", g -> g.toBuilder().outcallsAllowed(true).build()))
                .rule())
        .isEqualTo(Rule.SIP_URI_SINGLE_OUTCALLS_GATEWAY);
    // Outside SIP URI dial plans outcalls are unrestricted.
    plan("tel", VoipSecurity.Unsecured);
    store().createGateway(gw("gw3", "192.0.2.3"), "tel");
    // Linking an outcalls gateway to a SIP URI plan through a new hunt group is refused too.
    assertThat(
            violation(() -> store().createHuntGroup(new HuntGroup("gw3", "l", "lync", "p", null)))
                .rule())
        .isEqualTo(Rule.SIP_URI_SINGLE_OUTCALLS_GATEWAY);
  }

  // ------------------------------------------------------------------ whole-directory reads

  @Test
  default void readAll_oneMalformedGatewayAmongFifty_yieldsFiftyAndOneProblem() {
    plan("dp", VoipSecurity.Unsecured);
    EntryMapper m = store().mapper();
    for (int i = 1; i <= 50; i++) {
      try {
        store().pool().add(m.toEntry(gw("gw" + i, "192.0.2." + i)));
        store().pool().add(m.toEntry(HuntGroup.defaultFor("gw" + i, "dp")));
      } catch (LDAPException e) {
        throw new AssertionError(e);
      }
    }
    String badDn = store().layout().gateway("broken").toString();
    TestDirectories.addRaw(
        store().pool(),
        "dn: " + badDn,
        "objectClass: top",
        "objectClass: umIPGateway",
        "cn: broken",
        "umAddress: 192.0.2.200",
        "umStatus: Sleeping");
    TestDirectories.addRaw(
        store().pool(),
        "dn: cn=Default Hunt Group," + badDn,
        "objectClass: top",
        "objectClass: umHuntGroup",
        "cn: Default Hunt Group",
        "umDialPlanLink: " + store().layout().dialPlan("dp"));

    DirectoryRead read = store().readAll();
    assertThat(read.contents().gateways()).hasSize(50);
    assertThat(read.contents().huntGroups()).hasSize(50);
    assertThat(read.problems())
        .extracting(EntryProblem::dn, EntryProblem::attribute, EntryProblem::value)
        .containsExactly(
            tuple("cn=Default Hunt Group," + badDn, null, null),
            tuple(badDn, "umStatus", "Sleeping"));
    assertThat(read.problems().get(1).toString())
        .isEqualTo(
            badDn + ": umStatus \"Sleeping\": expected one of Enabled, Disabled, NoNewCalls");
  }

  @Test
  default void readAll_pagesPastServerSizeLimits() throws LDAPException {
    EntryMapper m = store().mapper();
    for (int i = 0; i < 1_200; i++) {
      Entry e = m.toEntry(gw("bulk" + i, "10." + (i / 250) + "." + (i % 250) + ".1"));
      store().pool().add(e);
    }
    assertThat(store().readAll().contents().gateways()).hasSize(1_200);
  }
}
