package org.umgw.directory;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.umgw.model.GatewayAddress;

/**
 * Finds the gateways that hold an address, whatever spelling an LDAP browser used for it.
 *
 * <pre>{@code
 * Filter f = AddressMatch.candidates(GatewayAddress.parse("2001:db8::10"));
 * // (&(objectClass=umIPGateway)(|(umAddress=2001:db8::10)(umAddress=2001:db8::10.)(umAddress=*:*)))
 * boolean same = AddressMatch.holds(entry, address); // "2001:DB8:0:0::10" holds it
 * }</pre>
 *
 * <p>umgw writes addresses in canonical form ({@link GatewayAddress#text()}), but a browser may
 * write {@code 2001:DB8:0:0::10} or {@code [2001:db8::10]}, which {@code umAddress}'s equality rule
 * (caseIgnoreIA5Match) does not equate with {@code 2001:db8::10}. So the filter selects candidates
 * — the exact canonical text (the rule already ignores the case of a name), the name with a
 * trailing dot, and for an IPv6 address every address holding a colon — and {@link #holds} decides
 * by comparing canonical forms.
 */
public final class AddressMatch {
  private AddressMatch() {}

  /** A filter selecting every gateway that may hold {@code address}, and a few that do not. */
  public static Filter candidates(GatewayAddress address) {
    List<Filter> spellings = new ArrayList<>();
    spellings.add(Filter.createEqualityFilter(EntryMapper.ADDRESS, address.text()));
    if (address.isFqdn()) {
      spellings.add(Filter.createEqualityFilter(EntryMapper.ADDRESS, address.text() + "."));
    }
    if (address.kind() == GatewayAddress.Kind.IPV6) {
      spellings.add(
          Filter.createSubstringFilter(EntryMapper.ADDRESS, null, new String[] {":"}, null));
    }
    return Filter.createANDFilter(
        Filter.createEqualityFilter("objectClass", EntryMapper.OC_GATEWAY),
        spellings.size() == 1 ? spellings.get(0) : Filter.createORFilter(spellings));
  }

  /**
   * The canonical form of an address as stored, read leniently: a trailing dot on a name is
   * ignored, so {@code gw1.example.test.} is the address of {@code gw1.example.test}. Empty when
   * the value is no address at all.
   */
  public static Optional<GatewayAddress> canonical(String stored) {
    if (stored == null) {
      return Optional.empty();
    }
    String text =
        stored.endsWith(".") && stored.length() > 1
            ? stored.substring(0, stored.length() - 1)
            : stored;
    try {
      return Optional.of(GatewayAddress.parse(text));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code true} when {@code entry}'s {@code umAddress}, in canonical form, is {@code address}. */
  public static boolean holds(Entry entry, GatewayAddress address) {
    return canonical(entry.getAttributeValue(EntryMapper.ADDRESS))
        .map(address::equals)
        .orElse(false);
  }
}
