package org.umgw.directory;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.umgw.model.ObjectKind;
import org.umgw.model.UmgwException;

/**
 * Where objects live under the base DN. Every DN is built through UnboundID's {@link RDN}, which
 * escapes the value, so no name can inject DN syntax.
 *
 * <pre>
 * ou=gateways,BASE              cn=GATEWAY,ou=gateways,BASE
 *                               cn=HUNTGROUP,cn=GATEWAY,ou=gateways,BASE
 * ou=dialplans,BASE             cn=DIALPLAN,ou=dialplans,BASE
 * ou=servers,BASE               cn=SERVER,ou=servers,BASE
 * </pre>
 */
public record DirectoryLayout(DN base) {
  public static final String DEFAULT_BASE = "dc=umgw,dc=example";

  public DirectoryLayout {
    requireNonNull(base, "base == null");
  }

  /**
   * @throws UmgwException when {@code baseDn} is not a DN
   */
  public static DirectoryLayout of(String baseDn) {
    try {
      return new DirectoryLayout(new DN(baseDn));
    } catch (LDAPException e) {
      throw new UmgwException("base DN \"" + baseDn + "\" is not a DN: " + e.getMessage(), e);
    }
  }

  public DN gateways() {
    return child(base, "ou", "gateways");
  }

  public DN dialPlans() {
    return child(base, "ou", "dialplans");
  }

  public DN servers() {
    return child(base, "ou", "servers");
  }

  public DN gateway(String name) {
    return child(gateways(), "cn", name);
  }

  public DN huntGroup(String gateway, String name) {
    return child(gateway(gateway), "cn", name);
  }

  public DN dialPlan(String name) {
    return child(dialPlans(), "cn", name);
  }

  public DN server(String name) {
    return child(servers(), "cn", name);
  }

  /**
   * The base entry umgw creates when the base does not exist yet: a {@code domain}, {@code
   * organization} or {@code organizationalUnit} by the base's RDN attribute.
   *
   * @throws UmgwException for any other kind of base, which the administrator must create
   */
  public Entry baseEntry() {
    RDN rdn = base.getRDN();
    String attribute = rdn.getAttributeNames()[0].toLowerCase(Locale.ROOT);
    Entry e = new Entry(base);
    switch (attribute) {
      case "dc" -> e.addAttribute("objectClass", "top", "domain");
      case "o" -> e.addAttribute("objectClass", "top", "organization");
      case "ou" -> e.addAttribute("objectClass", "top", "organizationalUnit");
      default ->
          throw new UmgwException(
              "base DN "
                  + base
                  + " does not exist and umgw creates only dc=, o= or ou= bases:"
                  + " create it first");
    }
    e.addAttribute(attribute, rdn.getAttributeValues()[0]);
    return e;
  }

  /** The three containers, {@code ou=gateways}, {@code ou=dialplans}, {@code ou=servers}. */
  public List<Entry> containerEntries() {
    List<Entry> out = new ArrayList<>();
    for (DN container : List.of(gateways(), dialPlans(), servers())) {
      Entry e = new Entry(container);
      e.addAttribute("objectClass", "top", "organizationalUnit");
      e.addAttribute("ou", container.getRDN().getAttributeValues()[0]);
      out.add(e);
    }
    return out;
  }

  /** The container DN of each kind, for creation by {@code umgw init}. */
  public DN container(ObjectKind kind) {
    return switch (kind) {
      case GATEWAY, HUNT_GROUP -> gateways();
      case DIAL_PLAN -> dialPlans();
      case SERVER -> servers();
    };
  }

  /** The dial plan name a link DN points to, if it points into {@code ou=dialplans}. */
  public Optional<String> dialPlanName(DN link) {
    if (!isChildOf(link, dialPlans())) {
      return Optional.empty();
    }
    return cnOf(link);
  }

  /**
   * Whether {@code dn} is directly under {@code container}. Compares the RDN strings as the server
   * returned them first, and normalises only when they differ: {@link DN#equals} on every entry of
   * a large read costs more than the LDAP search.
   */
  static boolean isChildOf(DN dn, DN container) {
    RDN[] a = dn.getRDNs();
    RDN[] b = container.getRDNs();
    if (a.length != b.length + 1) {
      return false;
    }
    for (int i = 0; i < b.length; i++) {
      if (!a[i + 1].toString().equals(b[i].toString()) && !a[i + 1].equals(b[i])) {
        return false;
      }
    }
    return true;
  }

  /** The value of a single-valued {@code cn} RDN, the name of every umgw object. */
  static Optional<String> cnOf(DN dn) {
    RDN rdn = dn.getRDN();
    if (rdn == null
        || rdn.getAttributeNames().length != 1
        || !rdn.getAttributeNames()[0].equalsIgnoreCase("cn")) {
      return Optional.empty();
    }
    return Optional.of(rdn.getAttributeValues()[0]);
  }

  /**
   * The parsed DN of an entry a server returned.
   *
   * @throws UmgwException when the server returned a DN that does not parse
   */
  static DN dnOf(Entry entry) {
    try {
      return entry.getParsedDN();
    } catch (LDAPException e) {
      throw new UmgwException("the directory returned an invalid DN \"" + entry.getDN() + "\"", e);
    }
  }

  private static DN child(DN parent, String attribute, String value) {
    return new DN(new RDN(attribute, value), parent);
  }
}
