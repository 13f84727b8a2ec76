package org.umgw.cli;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryProblem;
import org.umgw.model.ObjectKind;
import org.umgw.model.ObjectRef;
import org.umgw.rules.RuleViolation;

/**
 * The umgw command that repairs each problem {@code validate} reports, so an operator whose LDAP
 * browser wrote {@code umStatus: Bogus} learns that {@code umgw gateway disable "gw1" --immediate}
 * fixes it without the browser. Values to choose are written in capitals ({@code --port N}).
 */
final class Repairs {
  private Repairs() {}

  /**
   * @param all every problem of the read: a hunt group left out because its gateway is unreadable
   *     is repaired by repairing the gateway
   */
  static Optional<String> of(EntryProblem p, List<EntryProblem> all, DirectoryLayout layout) {
    DN dn;
    try {
      dn = new DN(p.dn());
    } catch (LDAPException e) {
      return Optional.empty();
    }
    DN parent = dn.getParent();
    Optional<String> name = cn(dn);
    if (parent == null || name.isEmpty()) {
      return Optional.empty();
    }
    String attribute = p.attribute() == null ? "" : p.attribute().toLowerCase(Locale.ROOT);
    if (parent.equals(layout.gateways())) {
      String gw = quote(name.get());
      String set = "umgw gateway set " + gw;
      return Optional.of(
          switch (attribute) {
            case "umaddress" -> set + " --address A";
            case "umport" -> set + " --port N";
            case "umipaddressfamily" -> set + " --ip-address-family IPv4Only|IPv6Only|Any";
            case "umstatus" -> "umgw gateway disable " + gw + " --immediate";
            case "umoutcallsallowed" -> set + " --outcalls-allowed true|false";
            case "ummessagewaitingindicatorallowed" ->
                set + " --message-waiting-indicator-allowed true|false";
            case "umsimulator" -> set + " --simulator true|false";
            case "umdelayedsourcepartyinfoenabled" ->
                set + " --delayed-source-party-info-enabled true|false";
            case "description" -> set + " --description TEXT";
            default -> "umgw gateway remove " + gw;
          });
    }
    if (parent.getParent() != null && parent.getParent().equals(layout.gateways())) {
      if (p.attribute() == null) {
        for (EntryProblem gatewayProblem : all) {
          if (gatewayProblem != p && gatewayProblem.dn().equalsIgnoreCase(parent.toString())) {
            return of(gatewayProblem, all, layout);
          }
        }
      }
      return cn(parent)
          .map(gw -> "umgw huntgroup remove " + quote(gw + "/" + name.get()))
          .map(c -> c + ", then umgw huntgroup new");
    }
    if (parent.equals(layout.dialPlans())) {
      String set = "umgw dialplan set " + quote(name.get());
      return Optional.of(
          switch (attribute) {
            case "umuritype" -> set + " --uri-type TelExtn|E164|SipName";
            case "umnumberofdigitsinextension" -> set + " --number-of-digits-in-extension N";
            case "umvoipsecurity" -> set + " --voip-security Unsecured|SIPSecured|Secured";
            case "umcountryorregioncode" -> set + " --country-or-region-code C";
            case "umaccesstelephonenumber" -> set + " --access-telephone-number NUMBER";
            case "description" -> set + " --description TEXT";
            default -> "umgw dialplan remove " + quote(name.get());
          });
    }
    if (parent.equals(layout.servers())) {
      return Optional.of(
          "umgw server remove "
              + quote(name.get())
              + ", then umgw server new "
              + quote(name.get()));
    }
    return Optional.empty();
  }

  /** The command that repairs a broken rule; empty for rules only a write can break. */
  static Optional<String> of(RuleViolation v) {
    ObjectRef o = v.object();
    String name = quote(o.name());
    return Optional.ofNullable(
        switch (v.rule()) {
          case ADDRESS_UNIQUE -> "umgw gateway set " + name + " --address A";
          case SECURED_NEEDS_FQDN -> "umgw gateway set " + name + " --address FQDN";
          case SECURED_NEEDS_TLS_PORT -> "umgw gateway set " + name + " --port 5061";
          case SIP_URI_SINGLE_OUTCALLS_GATEWAY ->
              "umgw gateway set " + name + " --outcalls-allowed false";
          case PILOT_UNIQUE, DIAL_PLAN_EXISTS, GATEWAY_EXISTS ->
              o.kind() == ObjectKind.HUNT_GROUP ? "umgw huntgroup remove " + name : null;
          case DIAL_PLAN_CAPACITY ->
              "umgw huntgroup remove \"GATEWAY/HUNT GROUP\" (for each gateway beyond the limit)";
          case DIAL_PLAN_IN_USE, IMMUTABLE_ATTRIBUTE, STATUS_TRANSITION -> null;
        });
  }

  private static Optional<String> cn(DN dn) {
    RDN rdn = dn.getRDN();
    if (rdn == null || rdn.isMultiValued() || !rdn.hasAttribute("cn")) {
      return Optional.empty();
    }
    return Optional.of(rdn.getAttributeValues()[0]);
  }

  /** A shell word in double quotes, escaping what the shell expands there. */
  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\' || c == '$' || c == '`') {
        q.append('\\');
      }
      q.append(c);
    }
    return q.append('"').toString();
  }
}
