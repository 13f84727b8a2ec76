package org.umgw.migration;

import com.unboundid.ldap.sdk.DN;
import java.util.List;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.ObjectKind;

/** An Exchange entry as {@link ExchangeMapper} sees it: a umgw object, refused, or ignored. */
sealed interface Mapped {
  /** The entry's DN as written in the source. */
  String dn();

  record DialPlanEntry(String dn, DN parsed, DialPlan dialPlan) implements Mapped {}

  record GatewayEntry(String dn, DN parsed, Gateway gateway) implements Mapped {}

  /**
   * A hunt group before its links are resolved: the gateway is the parent entry, the dial plan a DN
   * that may or may not be in the source.
   */
  record HuntGroupEntry(
      String dn, String name, DN gatewayDn, DN dialPlanDn, String dialPlanLink, String pilot)
      implements Mapped {}

  record Refused(String dn, ObjectKind kind, String name, List<Problem> problems)
      implements Mapped {}

  record Ignored(String dn, String reason) implements Mapped {}
}
