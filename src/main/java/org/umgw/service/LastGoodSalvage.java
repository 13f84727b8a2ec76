package org.umgw.service;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryProblem;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmServer;

/**
 * Puts back the last good version of every object whose entry stopped mapping (a value written
 * around the schema, or a hunt group left out with its gateway): one administrator's typo must not
 * untrust a gateway. Objects are matched by DN, the only name a problem carries.
 */
final class LastGoodSalvage {
  /** The contents with the salvaged objects, and for each problem whether it was salvaged. */
  record Result(DirectoryContents contents, Map<EntryProblem, Boolean> kept) {}

  private LastGoodSalvage() {}

  static Result apply(
      DirectoryContents contents,
      List<EntryProblem> problems,
      DirectoryContents lastGood,
      DirectoryLayout layout) {
    Map<String, Object> good = lastGood == null ? Map.of() : objectsByDn(lastGood, layout);
    List<DialPlan> dialPlans = new ArrayList<>(contents.dialPlans());
    List<Gateway> gateways = new ArrayList<>(contents.gateways());
    List<HuntGroup> huntGroups = new ArrayList<>(contents.huntGroups());
    List<UmServer> servers = new ArrayList<>(contents.servers());
    Map<EntryProblem, Boolean> kept = new java.util.LinkedHashMap<>();
    for (EntryProblem p : problems) {
      Object old = good.get(normalize(p.dn()));
      if (old instanceof DialPlan x) {
        dialPlans.add(x);
      } else if (old instanceof Gateway x) {
        gateways.add(x);
      } else if (old instanceof HuntGroup x) {
        huntGroups.add(x);
      } else if (old instanceof UmServer x) {
        servers.add(x);
      }
      kept.put(p, old != null);
    }
    return new Result(new DirectoryContents(dialPlans, gateways, huntGroups, servers), kept);
  }

  private static Map<String, Object> objectsByDn(DirectoryContents c, DirectoryLayout layout) {
    Map<String, Object> out = new HashMap<>();
    c.dialPlans().forEach(x -> out.put(layout.dialPlan(x.name()).toNormalizedString(), x));
    c.gateways().forEach(x -> out.put(layout.gateway(x.name()).toNormalizedString(), x));
    c.huntGroups()
        .forEach(x -> out.put(layout.huntGroup(x.gateway(), x.name()).toNormalizedString(), x));
    c.servers().forEach(x -> out.put(layout.server(x.name()).toNormalizedString(), x));
    return out;
  }

  private static String normalize(String dn) {
    try {
      return new DN(dn).toNormalizedString();
    } catch (LDAPException e) {
      return dn;
    }
  }
}
