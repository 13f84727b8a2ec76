package org.umgw.directory;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayAddress;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.InvalidValueException;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.ObjectRef;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * Reads what is still readable of an entry that does not map, failing closed: the object that comes
 * out is never more trusted than its administrator left it.
 *
 * <p>Every attribute is read on its own. A readable value is taken as written (the administrator's
 * latest word). An unreadable one never falls back to a value that keeps trust the edit may have
 * been meant to take away:
 *
 * <ul>
 *   <li>a gateway whose {@code umStatus}, {@code umAddress} or {@code umIPAddressFamily} is
 *       unreadable is served Disabled (its calls dropped, every request refused with 1442), at its
 *       readable address or else its last served one; unreadable flags take their least trusting
 *       value (outcalls and MWI off, simulator on, delayed source party info off); an unreadable
 *       port keeps the last served port (it does not decide who is trusted);
 *   <li>a hunt group that does not map is left out (it is what makes a gateway trusted); one left
 *       out only because its gateway's entry does not map comes back with the salvaged gateway;
 *   <li>a dial plan whose {@code umVoIPSecurity} is unreadable is left out (neither the old nor a
 *       guessed security is safe to serve); its other unreadable values keep their last served
 *       ones, as they decide no trust;
 *   <li>a server whose URL is unreadable is left out;
 *   <li>an entry never served before is left out, as if it had just been added with the mistake.
 * </ul>
 */
public final class EntrySalvage {
  /**
   * One salvaged object and what was done to it, for the event that reports it.
   *
   * @param object the object to serve in place of the entry, or {@code null} when it is left out
   * @param action what is served, in words: "served Disabled", "left out", ...
   */
  public record Outcome(EntryProblem problem, Object object, String action) {
    public Outcome {
      requireNonNull(problem, "problem == null");
      requireNonNull(action, "action == null");
    }
  }

  private final EntryMapper mapper;
  private final DirectoryLayout layout;

  public EntrySalvage(EntryMapper mapper) {
    this.mapper = requireNonNull(mapper, "mapper == null");
    this.layout = mapper.layout();
  }

  /**
   * Salvages every problem of {@code read}, given the objects served before ({@code served}, or
   * {@code null} when nothing was).
   */
  public List<Outcome> salvage(DirectoryRead read, DirectoryContents served) {
    DirectoryContents last = served == null ? DirectoryContents.empty() : served;
    List<Outcome> out = new ArrayList<>();
    List<EntryProblem> orphans = new ArrayList<>();
    List<String> salvagedGateways = new ArrayList<>();
    for (EntryProblem p : read.problems()) {
      Entry entry = read.unmapped().get(p.dn());
      if (entry == null) {
        out.add(new Outcome(p, null, "left out until it is fixed"));
        continue;
      }
      if (p.attribute() == null && p.message().startsWith("left out: its UM IP gateway")) {
        orphans.add(p);
        continue;
      }
      Outcome o = salvage(p, entry, last);
      out.add(o);
      if (o.object() instanceof Gateway g) {
        salvagedGateways.add(g.name());
      }
    }
    for (EntryProblem p : orphans) {
      HuntGroup h = null;
      try {
        h = mapper.huntGroup(read.unmapped().get(p.dn()));
      } catch (EntryMappingException e) {
        // reported as its own problem
      }
      if (h != null && salvagedGateways.contains(h.gateway())) {
        out.add(new Outcome(p, h, "served with its salvaged UM IP gateway"));
      } else {
        out.add(new Outcome(p, null, "left out with its UM IP gateway until it is fixed"));
      }
    }
    return out;
  }

  private Outcome salvage(EntryProblem p, Entry entry, DirectoryContents last) {
    DN dn;
    try {
      dn = entry.getParsedDN();
    } catch (LDAPException e) {
      return new Outcome(p, null, "left out until it is fixed");
    }
    Optional<String> name =
        DirectoryLayout.cnOf(dn).filter(n -> DirectoryLayout.isChildOf(dn, parentOf(entry)));
    if (name.isEmpty()) {
      return new Outcome(p, null, "left out until it is fixed");
    }
    return switch (EntryMapper.kindOf(entry).orElseThrow()) {
      case GATEWAY -> gateway(p, entry, name.get(), last);
      case DIAL_PLAN -> dialPlan(p, entry, name.get(), last);
      case HUNT_GROUP -> new Outcome(p, null, "left out until it is fixed");
      case SERVER -> new Outcome(p, null, "left out until it is fixed");
    };
  }

  private DN parentOf(Entry entry) {
    return switch (EntryMapper.kindOf(entry).orElseThrow()) {
      case GATEWAY -> layout.gateways();
      case DIAL_PLAN -> layout.dialPlans();
      case SERVER -> layout.servers();
      case HUNT_GROUP -> DN.NULL_DN;
    };
  }

  private Outcome gateway(EntryProblem p, Entry entry, String name, DirectoryContents last) {
    Gateway before =
        last.gateways().stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
    if (before == null) {
      return new Outcome(p, null, "left out until it is fixed (it was not trusted before)");
    }
    ObjectRef ref = ObjectRef.gateway(name);
    List<String> unreadable = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    Read<GatewayAddress> address =
        read(entry, EntryMapper.ADDRESS, v -> Gateway.parseAddress(name, v), unreadable);
    Read<IpAddressFamily> family =
        read(entry, EntryMapper.FAMILY, v -> IpAddressFamily.parse(v, ref), unreadable);
    Read<GatewayStatus> status =
        read(entry, EntryMapper.STATUS, v -> GatewayStatus.parse(v, ref), unreadable);
    if (address.readable() && address.value() == null) {
      unreadable.add(EntryMapper.ADDRESS + " (missing)");
    }
    boolean revoke =
        !address.readable() || address.value() == null || !family.readable() || !status.readable();
    Gateway.Builder b = before.toBuilder();
    if (address.readable() && address.value() != null) {
      b.address(address.value());
    }
    if (family.readable()) {
      b.ipAddressFamily(family.value());
    }
    b.status(revoke ? GatewayStatus.Disabled : orDefault(status.value(), GatewayStatus.Enabled));
    Read<Integer> port = read(entry, EntryMapper.PORT, EntrySalvage::port, unreadable);
    if (port.readable()) {
      b.port(orDefault(port.value(), 0));
    } else {
      kept.add("its last good umPort " + before.port());
    }
    b.outcallsAllowed(flag(entry, EntryMapper.OUTCALLS, true, false, unreadable, kept));
    b.messageWaitingIndicatorAllowed(flag(entry, EntryMapper.MWI, true, false, unreadable, kept));
    b.simulator(flag(entry, EntryMapper.SIMULATOR, false, true, unreadable, kept));
    b.delayedSourcePartyInfoEnabled(
        flag(entry, EntryMapper.DELAYED_INFO, false, false, unreadable, kept));
    Read<String> description = read(entry, EntryMapper.DESCRIPTION, v -> v, unreadable);
    if (description.readable()) {
      b.description(description.value());
    }
    Gateway g;
    try {
      g = b.build();
    } catch (InvalidValueException e) {
      // The readable address and family disagree: neither can be served. The last served pair
      // is, Disabled, with the flags read above (never the old, possibly more trusting, ones).
      b.address(before.address()).ipAddressFamily(before.ipAddressFamily());
      g = b.status(GatewayStatus.Disabled).build();
      revoke = true;
      unreadable.add(EntryMapper.FAMILY);
    }
    if (revoke) {
      return new Outcome(
          p,
          g,
          "served Disabled at "
              + g.address().text()
              + " until it is fixed ("
              + String.join(", ", unreadable)
              + " unreadable: an unreadable value must not keep it trusted)");
    }
    return new Outcome(
        p, g, "served until it is fixed, with " + String.join(", ", kept) + " in its place");
  }

  private Outcome dialPlan(EntryProblem p, Entry entry, String name, DirectoryContents last) {
    DialPlan before =
        last.dialPlans().stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    if (before == null) {
      return new Outcome(p, null, "left out until it is fixed (it was not served before)");
    }
    ObjectRef ref = ObjectRef.dialPlan(name);
    Read<VoipSecurity> security =
        read(entry, EntryMapper.SECURITY, v -> VoipSecurity.parse(v, ref));
    if (!security.readable()) {
      return new Outcome(
          p,
          null,
          "left out until it is fixed (its security is unreadable): its hunt groups route no"
              + " calls");
    }
    Read<UriType> uriType = read(entry, EntryMapper.URI_TYPE, v -> UriType.parse(v, ref));
    Read<Integer> digits = read(entry, EntryMapper.DIGITS, EntryMapper::parseInteger);
    Read<String> country = read(entry, EntryMapper.COUNTRY, v -> v);
    Read<String> description = read(entry, EntryMapper.DESCRIPTION, v -> v);
    Attribute numbers = entry.getAttribute(EntryMapper.ACCESS_NUMBER);
    try {
      DialPlan d =
          new DialPlan(
              name,
              uriType.readable() && uriType.value() != null ? uriType.value() : before.uriType(),
              digits.readable() && digits.value() != null
                  ? digits.value()
                  : before.numberOfDigitsInExtension(),
              orDefault(security.value(), VoipSecurity.Unsecured),
              country.readable() ? country.value() : before.countryOrRegionCode(),
              numbers == null ? List.of() : List.of(numbers.getValues()),
              description.readable() ? description.value() : before.description());
      return new Outcome(p, d, "served with its last good value for what is unreadable");
    } catch (InvalidValueException e) {
      DialPlan d =
          new DialPlan(
              name,
              before.uriType(),
              before.numberOfDigitsInExtension(),
              orDefault(security.value(), VoipSecurity.Unsecured),
              before.countryOrRegionCode(),
              before.accessTelephoneNumbers(),
              before.description());
      return new Outcome(p, d, "served with its last good value for what is unreadable");
    }
  }

  /** Reads a flag; an unreadable one takes {@code leastTrusting}. */
  private static boolean flag(
      Entry entry,
      String attribute,
      boolean absent,
      boolean leastTrusting,
      List<String> unreadable,
      List<String> kept) {
    Read<Boolean> r = read(entry, attribute, EntryMapper::parseBoolean, unreadable);
    if (!r.readable()) {
      kept.add(attribute + " " + EntryMapper.bool(leastTrusting));
      return leastTrusting;
    }
    return orDefault(r.value(), absent);
  }

  private static int port(String v) {
    int p = EntryMapper.parseInteger(v);
    if (p < 0 || p > Gateway.MAX_PORT) {
      throw new IllegalArgumentException("not a port");
    }
    return p;
  }

  private static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }

  /** One attribute: readable (possibly absent: {@code value} null) or not. */
  private record Read<T>(boolean readable, T value) {}

  private static <T> Read<T> read(Entry entry, String attribute, Function<String, T> parse) {
    return read(entry, attribute, parse, new ArrayList<>());
  }

  /** Reads one attribute, adding its name to {@code unreadable} when it cannot be read. */
  private static <T> Read<T> read(
      Entry entry, String attribute, Function<String, T> parse, List<String> unreadable) {
    Attribute a = entry.getAttribute(attribute);
    if (a == null || a.size() == 0) {
      return new Read<>(true, null);
    }
    if (a.size() == 1) {
      try {
        return new Read<>(true, parse.apply(a.getValue()));
      } catch (RuntimeException e) {
        // unreadable, below
      }
    }
    unreadable.add(attribute);
    return new Read<>(false, null);
  }
}
