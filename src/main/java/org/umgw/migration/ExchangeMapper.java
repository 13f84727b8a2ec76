package org.umgw.migration;

import static org.umgw.migration.ExchangeTable.ADDRESS;
import static org.umgw.migration.ExchangeTable.COUNTRY_CODE;
import static org.umgw.migration.ExchangeTable.DIAL_PLAN_LINK;
import static org.umgw.migration.ExchangeTable.DIGITS;
import static org.umgw.migration.ExchangeTable.FLAGS;
import static org.umgw.migration.ExchangeTable.FLAGS2;
import static org.umgw.migration.ExchangeTable.OUTCALLS;
import static org.umgw.migration.ExchangeTable.PILOT;
import static org.umgw.migration.ExchangeTable.PILOT_NUMBERS;
import static org.umgw.migration.ExchangeTable.PORT;
import static org.umgw.migration.ExchangeTable.STATUS;
import static org.umgw.migration.ExchangeTable.URI_TYPE;
import static org.umgw.migration.ExchangeTable.VOIP_SECURITY;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.umgw.directory.EntryMapper;
import org.umgw.migration.ExchangeTable.Flag;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayAddress;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.InvalidValueException;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.ObjectKind;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * Maps one Exchange entry to a umgw object through {@link ExchangeTable}, collecting every problem
 * of the entry (not only the first) so one report tells the administrator all there is to fix.
 * Attribute names match in any case, as in LDAP.
 */
final class ExchangeMapper {

  Mapped map(Entry entry) {
    String dn = entry.getDN();
    DN parsed;
    try {
      parsed = entry.getParsedDN();
    } catch (LDAPException e) {
      return new Mapped.Refused(
          dn, null, null, List.of(new Problem("dn", dn, "not a valid DN: " + e.getMessage())));
    }
    ObjectKind kind = kindOf(entry);
    if (kind == null) {
      String[] classes = entry.getObjectClassValues();
      return new Mapped.Ignored(
          dn,
          "objectClass "
              + (classes == null ? "(none)" : String.join(", ", classes))
              + ": not a UM IP gateway, hunt group or dial plan");
    }
    List<Problem> problems = new ArrayList<>();
    String name = name(entry, parsed, problems);
    return switch (kind) {
      case DIAL_PLAN -> dialPlan(entry, parsed, name, problems);
      case GATEWAY -> gateway(entry, parsed, name, problems);
      case HUNT_GROUP -> huntGroup(entry, parsed, name, problems);
      case SERVER -> throw new IllegalStateException("no Exchange class maps to " + kind);
    };
  }

  /** The umgw kind of an entry by its Exchange object class, or {@code null} for any other. */
  static ObjectKind kindOf(Entry entry) {
    String[] classes = entry.getObjectClassValues();
    if (classes == null) {
      return null;
    }
    for (String c : classes) {
      if (c.equalsIgnoreCase(ExchangeTable.OC_GATEWAY)) {
        return ObjectKind.GATEWAY;
      }
      if (c.equalsIgnoreCase(ExchangeTable.OC_HUNT_GROUP)) {
        return ObjectKind.HUNT_GROUP;
      }
      if (c.equalsIgnoreCase(ExchangeTable.OC_DIAL_PLAN)) {
        return ObjectKind.DIAL_PLAN;
      }
    }
    return null;
  }

  private static Mapped dialPlan(Entry e, DN dn, String name, List<Problem> problems) {
    UriType uriType = coded(e, URI_TYPE, ExchangeTable.URI_TYPE_VALUES, UriType.TelExtn, problems);
    Integer digits = integer(e, DIGITS, null, problems);
    if (digits == null && e.getAttribute(DIGITS) == null) {
      problems.add(new Problem(DIGITS, null, "required (the number of digits in extensions)"));
    }
    VoipSecurity security =
        coded(
            e, VOIP_SECURITY, ExchangeTable.VOIP_SECURITY_VALUES, VoipSecurity.Unsecured, problems);
    String country = single(e, COUNTRY_CODE, problems);
    Attribute numbers = e.getAttribute(PILOT_NUMBERS);
    List<String> access = numbers == null ? List.of() : List.of(numbers.getValues());
    if (!problems.isEmpty()) {
      return new Mapped.Refused(e.getDN(), ObjectKind.DIAL_PLAN, name, problems);
    }
    try {
      DialPlan dp =
          new DialPlan(
              name,
              uriType,
              digits,
              security,
              country == null || country.isEmpty() ? null : country,
              access,
              null);
      return new Mapped.DialPlanEntry(e.getDN(), dn, dp);
    } catch (InvalidValueException ex) {
      return new Mapped.Refused(e.getDN(), ObjectKind.DIAL_PLAN, name, List.of(translate(ex, e)));
    }
  }

  private static Mapped gateway(Entry e, DN dn, String name, List<Problem> problems) {
    String addressText = single(e, ADDRESS, problems);
    GatewayAddress address = null;
    if (addressText == null && e.getAttribute(ADDRESS) == null) {
      problems.add(new Problem(ADDRESS, null, "required (the gateway's IP address or FQDN)"));
    } else if (addressText != null) {
      try {
        address = GatewayAddress.parse(addressText);
      } catch (IllegalArgumentException ex) {
        problems.add(new Problem(ADDRESS, addressText, ex.getMessage()));
      }
    }
    Integer port = integer(e, PORT, 0, problems);
    if (port != null && (port < 0 || port > Gateway.MAX_PORT)) {
      problems.add(new Problem(PORT, port.toString(), "a port is 0 to " + Gateway.MAX_PORT));
    }
    GatewayStatus status =
        coded(e, STATUS, ExchangeTable.STATUS_VALUES, GatewayStatus.Enabled, problems);
    Boolean outcalls = bool(e, OUTCALLS, true, problems);
    Integer flags = integer(e, FLAGS, ExchangeTable.FLAGS_ABSENT, problems);
    Integer flags2 = integer(e, FLAGS2, ExchangeTable.FLAGS2_ABSENT, problems);
    IpAddressFamily family = null;
    if (flags != null && flags2 != null) {
      boolean v4 = Flag.IPV4_ENABLED.in(flags2);
      boolean v6 = Flag.IPV6_ENABLED.in(flags);
      if (v4 && v6) {
        family = IpAddressFamily.Any;
      } else if (v6) {
        family = IpAddressFamily.IPv6Only;
      } else if (v4) {
        family = IpAddressFamily.IPv4Only;
      } else {
        problems.add(
            new Problem(
                FLAGS + "/" + FLAGS2,
                flags + "/" + flags2,
                "neither IPv4 (bit 0x2 of "
                    + FLAGS2
                    + ") nor IPv6 (bit 0x4 of "
                    + FLAGS
                    + ") is enabled"));
      }
    }
    if (!problems.isEmpty()) {
      return new Mapped.Refused(e.getDN(), ObjectKind.GATEWAY, name, problems);
    }
    try {
      Gateway g =
          Gateway.builder(name, address)
              .port(port)
              .ipAddressFamily(family)
              .status(status)
              .outcallsAllowed(outcalls)
              .messageWaitingIndicatorAllowed(Flag.MESSAGE_WAITING_INDICATOR.in(flags2))
              .simulator(Flag.SIMULATOR.in(flags))
              .delayedSourcePartyInfoEnabled(Flag.DELAYED_SOURCE_PARTY_INFO.in(flags))
              .build();
      return new Mapped.GatewayEntry(e.getDN(), dn, g);
    } catch (InvalidValueException ex) {
      Problem problem =
          ex.attribute().equals(EntryMapper.FAMILY)
              ? new Problem(
                  FLAGS + "/" + FLAGS2,
                  flags + "/" + flags2,
                  "the IP address family these flags give, " + family + ", " + ex.reason())
              : translate(ex, e);
      return new Mapped.Refused(e.getDN(), ObjectKind.GATEWAY, name, List.of(problem));
    }
  }

  private static Mapped huntGroup(Entry e, DN dn, String name, List<Problem> problems) {
    DN parent = dn.getParent();
    String gateway = parent == null ? null : rdnValue(parent);
    if (gateway == null) {
      problems.add(new Problem("dn", e.getDN(), "a hunt group is a child of its UM IP gateway"));
    }
    String link = single(e, DIAL_PLAN_LINK, problems);
    DN linkDn = null;
    if (link == null && e.getAttribute(DIAL_PLAN_LINK) == null) {
      problems.add(new Problem(DIAL_PLAN_LINK, null, "required (the DN of the dial plan)"));
    } else if (link != null) {
      try {
        linkDn = new DN(link);
        if (rdnValue(linkDn) == null) {
          problems.add(new Problem(DIAL_PLAN_LINK, link, "names no dial plan"));
        }
      } catch (LDAPException ex) {
        problems.add(new Problem(DIAL_PLAN_LINK, link, "not a valid DN: " + ex.getMessage()));
      }
    }
    String pilot = single(e, PILOT, problems);
    String ref = gateway == null ? name : gateway + "/" + name;
    if (!problems.isEmpty()) {
      return new Mapped.Refused(e.getDN(), ObjectKind.HUNT_GROUP, ref, problems);
    }
    try {
      HuntGroup checked = new HuntGroup(gateway, name, rdnValue(linkDn), pilot, null);
      return new Mapped.HuntGroupEntry(
          e.getDN(), name, parent, linkDn, link, checked.pilotIdentifier());
    } catch (InvalidValueException ex) {
      return new Mapped.Refused(e.getDN(), ObjectKind.HUNT_GROUP, ref, List.of(translate(ex, e)));
    }
  }

  // ---------------------------------------------------------------- values

  /** {@code cn}, or the RDN's value when an export left {@code cn} out. */
  private static String name(Entry e, DN dn, List<Problem> problems) {
    String cn = single(e, ExchangeTable.NAME, problems);
    if (cn != null) {
      return cn;
    }
    String rdn = rdnValue(dn);
    return rdn == null ? "" : rdn;
  }

  /** The value of a DN's first RDN (Exchange names objects {@code CN=<name>}). */
  static String rdnValue(DN dn) {
    if (dn == null || dn.isNullDN()) {
      return null;
    }
    String[] values = dn.getRDN().getAttributeValues();
    return values.length == 1 ? values[0] : null;
  }

  private static String single(Entry e, String attribute, List<Problem> problems) {
    Attribute a = e.getAttribute(attribute);
    if (a == null) {
      return null;
    }
    String[] values = a.getValues();
    if (values.length > 1) {
      problems.add(
          new Problem(
              attribute, String.join(", ", values), "holds one value, not " + values.length));
      return null;
    }
    return values.length == 0 ? null : values[0];
  }

  private static Integer integer(
      Entry e, String attribute, Integer absent, List<Problem> problems) {
    String text = single(e, attribute, problems);
    if (text == null) {
      return e.getAttribute(attribute) == null ? absent : null;
    }
    try {
      return Integer.valueOf(text.strip());
    } catch (NumberFormatException ex) {
      problems.add(new Problem(attribute, text, "not a 32-bit integer"));
      return null;
    }
  }

  private static Boolean bool(Entry e, String attribute, boolean absent, List<Problem> problems) {
    String text = single(e, attribute, problems);
    if (text == null) {
      return e.getAttribute(attribute) == null ? absent : null;
    }
    switch (text.strip().toUpperCase(Locale.ROOT)) {
      case "TRUE":
        return true;
      case "FALSE":
        return false;
      default:
        problems.add(new Problem(attribute, text, "expected TRUE or FALSE"));
        return null;
    }
  }

  /** An integer-coded value looked up in one of {@link ExchangeTable}'s maps. */
  private static <T> T coded(
      Entry e, String attribute, Map<Integer, T> table, T absent, List<Problem> problems) {
    Integer code = integer(e, attribute, null, problems);
    if (code == null) {
      return e.getAttribute(attribute) == null ? absent : null;
    }
    T value = table.get(code);
    if (value == null) {
      problems.add(
          new Problem(
              attribute,
              Integer.toString(code),
              "not a value umgw knows; known: "
                  + table.entrySet().stream()
                      .sorted(Map.Entry.comparingByKey())
                      .map(m -> m.getKey() + " " + m.getValue())
                      .collect(Collectors.joining(", "))));
    }
    return value;
  }

  /** A model constraint, restated with the Exchange attribute and value behind it. */
  static Problem translate(InvalidValueException ex, Entry e) {
    String attribute = ExchangeTable.exchangeAttribute(ex.attribute()).orElse(ex.attribute());
    Attribute raw = e.getAttribute(attribute);
    String value = raw != null && raw.size() == 1 ? raw.getValue() : ex.value();
    return new Problem(attribute, value, ex.reason());
  }
}
