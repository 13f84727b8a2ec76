package org.umgw.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.umgw.directory.DirectoryRead;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;
import org.umgw.testing.Slapd;

/**
 * The fixture {@code exchange/contoso-um.ldf} (an ldifde export of an invented organisation) and
 * what umgw must hold after importing it: every property of every object, written out by hand from
 * the Exchange values so that a wrong table entry or flag bit fails a test.
 */
final class Contoso {
  static final String FIXTURE = "src/test/resources/exchange/contoso-um.ldf";
  static final String SCHEMA = "src/test/resources/exchange/exchange-test-schema.ldif";
  static final String ORG =
      "CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=test";
  static final String DIAL_PLANS = "CN=UM DialPlan Container," + ORG;
  static final String GATEWAYS = "CN=UM IPGateway Container," + ORG;

  /** The dial plan the export links to without containing it; tests create it beforehand. */
  static final DialPlan FABRIKAM = DialPlan.of("Fabrikam Extensions", UriType.TelExtn, 5);

  /** Summary line of the first import into a directory holding only {@link #FABRIKAM}. */
  static final String FIRST_SUMMARY = "31 created, 0 updated, 0 unchanged, 8 refused, 1 ignored";

  /** Summary line of any later import of the same file. */
  static final String RERUN_SUMMARY = "0 created, 0 updated, 31 unchanged, 8 refused, 1 ignored";

  private Contoso() {}

  static Path fixture() {
    return Slapd.projectPath(FIXTURE);
  }

  /** The fixture re-encoded as {@code ldifde -u} writes it: a byte-order mark, then the text. */
  static Path reencoded(Path dir, Charset charset) throws Exception {
    String text = Files.readString(fixture());
    Path file = dir.resolve("contoso-um-" + charset.name() + ".ldf");
    Files.write(file, ("\uFEFF" + text).getBytes(charset));
    return file;
  }

  static List<DialPlan> dialPlans() {
    return sortedDialPlans(
        List.of(
            new DialPlan(
                "Contoso Extensions",
                UriType.TelExtn,
                5,
                VoipSecurity.Unsecured,
                "1",
                List.of("+1 425 555 0100", "+14255550101"),
                null),
            new DialPlan(
                "Zürich Intern",
                UriType.TelExtn,
                4,
                VoipSecurity.SIPSecured,
                "41",
                List.of("+41 44 555 01 00"),
                null),
            new DialPlan(
                "London E164",
                UriType.E164,
                10,
                VoipSecurity.Secured,
                "44",
                List.of("+442079460000"),
                null),
            new DialPlan(
                "Redmond E164", UriType.E164, 11, VoipSecurity.Unsecured, "1", List.of(), null),
            new DialPlan(
                "Skype SIP", UriType.SipName, 4, VoipSecurity.SIPSecured, "49", List.of(), null),
            new DialPlan(
                "Skype SIP Secure",
                UriType.SipName,
                6,
                VoipSecurity.Secured,
                null,
                List.of(),
                null),
            DialPlan.of("Legacy Plan", UriType.TelExtn, 3),
            FABRIKAM));
  }

  /** name, address, port, family, status, outcalls, MWI, simulator, delayed source party info. */
  static List<Gateway> gateways() {
    return sortedGateways(
        List.of(
            gw("sbc1", "sbc1.contoso.test", 5061, "IPv4Only", "Enabled", true, true, false, false),
            gw("sbc2", "sbc2.contoso.test", 0, "IPv4Only", "NoNewCalls", false, false, true, false),
            gw(
                "pbx-v6",
                "2001:db8:10::20",
                5060,
                "IPv6Only",
                "Disabled",
                false,
                true,
                false,
                false),
            gw("dual", "dual.contoso.test", 0, "Any", "Enabled", false, true, false, true),
            gw("sim-delayed", "192.0.2.21", 5060, "IPv4Only", "Enabled", false, false, true, true),
            gw("all-flags", "all.contoso.test", 5061, "Any", "Enabled", false, true, true, true),
            gw("defaults", "192.0.2.30", 0, "IPv4Only", "Enabled", true, true, false, false),
            gw(
                "flags2-absent-v6",
                "2001:db8:10::31",
                0,
                "Any",
                "Enabled",
                false,
                true,
                false,
                false),
            gw("Genève-PBX", "192.0.2.40", 5060, "IPv4Only", "Enabled", false, true, false, false),
            gw(
                "lync-fe",
                "lync.contoso.test",
                5061,
                "IPv4Only",
                "Enabled",
                true,
                true,
                false,
                false),
            gw(
                "lync-edge",
                "edge.contoso.test",
                5061,
                "IPv4Only",
                "Enabled",
                true,
                true,
                false,
                false),
            gw(
                "ip-secured",
                "192.0.2.50",
                5061,
                "IPv4Only",
                "Enabled",
                false,
                true,
                false,
                false)));
  }

  static List<HuntGroup> huntGroups() {
    String d = HuntGroup.DEFAULT_NAME;
    return sortedHuntGroups(
        List.of(
            hg("sbc1", d, "London E164", ""),
            hg("sbc1", "Sales", "Contoso Extensions", "4100"),
            hg("sbc2", d, "Contoso Extensions", ""),
            hg("pbx-v6", d, "Redmond E164", "+14255550199"),
            hg("dual", d, "Contoso Extensions", ""),
            hg("dual", "Support", "Zürich Intern", "2100"),
            hg("sim-delayed", d, "Contoso Extensions", ""),
            hg("all-flags", d, "Skype SIP", ""),
            hg("defaults", d, "Legacy Plan", ""),
            hg("flags2-absent-v6", d, "Fabrikam Extensions", ""),
            hg("Genève-PBX", d, "Contoso Extensions", ""),
            hg("lync-fe", d, "Skype SIP Secure", "")));
  }

  /** The refusals of the first import, each as its report lines (header and problems). */
  static List<String> refusals() {
    String hg = "CN=" + HuntGroup.DEFAULT_NAME + ",CN=";
    return List.of(
        "refused   UM dial plan \"Broken Digits\" (CN=Broken Digits,"
            + DIAL_PLANS
            + ")\n    msExchUMNumberingPlanDigits \"25\": must be 1 to 20\n",
        "refused   UM IP gateway \"dup-address\" (CN=dup-address,"
            + GATEWAYS
            + ")\n    msExchUMIPGatewayAddress \"192.0.2.21\": already the address of UM IP"
            + " gateway \"sim-delayed\"\n",
        "refused   UM IP gateway \"v6-literal-v4-flags\" (CN=v6-literal-v4-flags,"
            + GATEWAYS
            + ")\n    msExchUMIPGatewayFlags/msExchUMIPGatewayFlags2 \"0/3\": the IP address"
            + " family these flags give, IPv4Only, does not admit the IPv6 literal address"
            + " 2001:db8::99\n",
        "refused   UM hunt group \"Genève-PBX/Réception\" (CN=Réception,CN=Genève-PBX,"
            + GATEWAYS
            + ")\n    msExchUMIPGatewayAddress \"192.0.2.40\": UM IP gateway \"Genève-PBX\": UM"
            + " dial plan \"Zürich Intern\" is SIPSecured: its gateways need an FQDN that matches"
            + " their TLS certificate\n    msExchUMIPGatewayPort \"5060\": UM IP gateway"
            + " \"Genève-PBX\": UM dial plan \"Zürich Intern\" is SIPSecured: its gateways use"
            + " port 5061 (or 0 for the default)\n",
        "refused   UM hunt group \"dup-address/Default Hunt Group\" ("
            + hg
            + "dup-address,"
            + GATEWAYS
            + ")\n    dn \"CN=dup-address,"
            + GATEWAYS
            + "\": its UM IP gateway was not imported\n",
        "refused   UM hunt group \"lync-edge/Default Hunt Group\" ("
            + hg
            + "lync-edge,"
            + GATEWAYS
            + ")\n    msExchUMOutcallsAllowed \"TRUE\": UM IP gateway \"lync-edge\": 2 UM IP"
            + " gateways of SIP URI dial plans allow outcalls (lync-edge, lync-fe); only one"
            + " may: set umOutcallsAllowed to FALSE on all but one\n",
        "refused   UM hunt group \"ip-secured/Default Hunt Group\" ("
            + hg
            + "ip-secured,"
            + GATEWAYS
            + ")\n    msExchUMIPGatewayAddress \"192.0.2.50\": UM IP gateway \"ip-secured\": UM"
            + " dial plan \"London E164\" is Secured: its gateways need an FQDN that matches"
            + " their TLS certificate\n",
        "refused   UM hunt group \"ip-secured/Broken Link\" (CN=Broken Link,CN=ip-secured,"
            + GATEWAYS
            + ")\n    msExchUMHuntGroupDialPlanLink \"CN=Broken Digits,"
            + DIAL_PLANS
            + "\": the dial plan was not imported\n");
  }

  /** Checks every property of every object of {@code read} against the expectations. */
  static void assertImported(DirectoryRead read) {
    assertThat(read.problems()).isEmpty();
    assertThat(sortedDialPlans(read.contents().dialPlans())).containsExactlyElementsOf(dialPlans());
    assertThat(sortedGateways(read.contents().gateways())).containsExactlyElementsOf(gateways());
    assertThat(sortedHuntGroups(read.contents().huntGroups()))
        .containsExactlyElementsOf(huntGroups());
    assertThat(read.contents().servers()).isEmpty();
  }

  private static Gateway gw(
      String name,
      String address,
      int port,
      String family,
      String status,
      boolean outcalls,
      boolean mwi,
      boolean simulator,
      boolean delayed) {
    return Gateway.builder(name, address)
        .port(port)
        .ipAddressFamily(IpAddressFamily.valueOf(family))
        .status(GatewayStatus.valueOf(status))
        .outcallsAllowed(outcalls)
        .messageWaitingIndicatorAllowed(mwi)
        .simulator(simulator)
        .delayedSourcePartyInfoEnabled(delayed)
        .build();
  }

  private static HuntGroup hg(String gateway, String name, String dialPlan, String pilot) {
    return new HuntGroup(gateway, name, dialPlan, pilot, null);
  }

  /** Sorted by name, access numbers sorted too: LDAP keeps no order among values. */
  static List<DialPlan> sortedDialPlans(List<DialPlan> plans) {
    return plans.stream()
        .map(
            p ->
                new DialPlan(
                    p.name(),
                    p.uriType(),
                    p.numberOfDigitsInExtension(),
                    p.voipSecurity(),
                    p.countryOrRegionCode(),
                    p.accessTelephoneNumbers().stream().sorted().toList(),
                    p.description()))
        .sorted(Comparator.comparing(DialPlan::name))
        .toList();
  }

  static List<Gateway> sortedGateways(List<Gateway> gateways) {
    return gateways.stream().sorted(Comparator.comparing(Gateway::name)).toList();
  }

  static List<HuntGroup> sortedHuntGroups(List<HuntGroup> groups) {
    return groups.stream()
        .sorted(Comparator.comparing(HuntGroup::gateway).thenComparing(HuntGroup::name))
        .toList();
  }
}
