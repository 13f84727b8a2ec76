package org.umgw.directory;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayAddress;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.InvalidValueException;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.ObjectKind;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmServer;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * The one mapping between LDAP entries and model records, both ways.
 *
 * <p>Reading is lenient where LDAP browsers are (enumerated values in any case, absent optional
 * attributes take Exchange's defaults) and strict everywhere else: an entry either becomes a whole
 * record or fails with an {@link EntryMappingException} naming its DN, the attribute and the value,
 * never half an object. Writing always produces every attribute explicitly in the canonical
 * spelling, so an entry created by umgw reads the same in any LDAP browser.
 */
public final class EntryMapper {
  public static final String OC_GATEWAY = "umIPGateway";
  public static final String OC_HUNT_GROUP = "umHuntGroup";
  public static final String OC_DIAL_PLAN = "umDialPlan";
  public static final String OC_SERVER = "umServer";

  public static final String ADDRESS = "umAddress";
  public static final String PORT = "umPort";
  public static final String FAMILY = "umIPAddressFamily";
  public static final String STATUS = "umStatus";
  public static final String OUTCALLS = "umOutcallsAllowed";
  public static final String MWI = "umMessageWaitingIndicatorAllowed";
  public static final String SIMULATOR = "umSimulator";
  public static final String DELAYED_INFO = "umDelayedSourcePartyInfoEnabled";
  public static final String DIAL_PLAN_LINK = "umDialPlanLink";
  public static final String PILOT = "umPilotIdentifier";
  public static final String URI_TYPE = "umURIType";
  public static final String DIGITS = "umNumberOfDigitsInExtension";
  public static final String SECURITY = "umVoIPSecurity";
  public static final String COUNTRY = "umCountryOrRegionCode";
  public static final String ACCESS_NUMBER = "umAccessTelephoneNumber";
  public static final String INTERNAL_URL = "umInternalUrl";
  public static final String DESCRIPTION = "description";

  /** Matches every umgw object and nothing else (not the containers). */
  public static final Filter ANY_OBJECT =
      Filter.createORFilter(
          Filter.createEqualityFilter("objectClass", OC_GATEWAY),
          Filter.createEqualityFilter("objectClass", OC_HUNT_GROUP),
          Filter.createEqualityFilter("objectClass", OC_DIAL_PLAN),
          Filter.createEqualityFilter("objectClass", OC_SERVER));

  /** Attributes to request when reading objects: everything the mapper looks at. */
  public static final String[] ATTRIBUTES = {
    "objectClass",
    "cn",
    ADDRESS,
    PORT,
    FAMILY,
    STATUS,
    OUTCALLS,
    MWI,
    SIMULATOR,
    DELAYED_INFO,
    DIAL_PLAN_LINK,
    PILOT,
    URI_TYPE,
    DIGITS,
    SECURITY,
    COUNTRY,
    ACCESS_NUMBER,
    INTERNAL_URL,
    DESCRIPTION
  };

  private final DirectoryLayout layout;
  private final DN gateways;
  private final DN dialPlans;
  private final DN servers;

  /** Link value to dial plan name: thousands of hunt groups share a few dozen links. */
  private final ConcurrentHashMap<String, String> linkCache = new ConcurrentHashMap<>();

  public EntryMapper(DirectoryLayout layout) {
    this.layout = requireNonNull(layout, "layout == null");
    this.gateways = layout.gateways();
    this.dialPlans = layout.dialPlans();
    this.servers = layout.servers();
  }

  public DirectoryLayout layout() {
    return layout;
  }

  /** The kind of umgw object an entry is, by its object class; empty for containers and others. */
  public static Optional<ObjectKind> kindOf(Entry entry) {
    String[] classes = entry.getObjectClassValues();
    if (classes != null) {
      for (String c : classes) {
        if (c.equalsIgnoreCase(OC_GATEWAY)) {
          return Optional.of(ObjectKind.GATEWAY);
        } else if (c.equalsIgnoreCase(OC_HUNT_GROUP)) {
          return Optional.of(ObjectKind.HUNT_GROUP);
        } else if (c.equalsIgnoreCase(OC_DIAL_PLAN)) {
          return Optional.of(ObjectKind.DIAL_PLAN);
        } else if (c.equalsIgnoreCase(OC_SERVER)) {
          return Optional.of(ObjectKind.SERVER);
        }
      }
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------- entries to records

  /**
   * @throws EntryMappingException naming the DN, attribute and value at fault
   */
  public Gateway gateway(Entry entry) {
    return gateway(new Reader(entry));
  }

  private Gateway gateway(Reader r) {
    String name = r.nameUnder(gateways);
    return r.build(
        () -> {
          GatewayAddress address = r.required(ADDRESS, v -> Gateway.parseAddress(name, v));
          ObjectRef ref = ObjectRef.gateway(name);
          return Gateway.builder(name, address)
              .port(r.optional(PORT, Reader::integer).orElse(0))
              .ipAddressFamily(r.optional(FAMILY, v -> IpAddressFamily.parse(v, ref)).orElse(null))
              .status(
                  r.optional(STATUS, v -> GatewayStatus.parse(v, ref))
                      .orElse(GatewayStatus.Enabled))
              .outcallsAllowed(r.optional(OUTCALLS, Reader::bool).orElse(true))
              .messageWaitingIndicatorAllowed(r.optional(MWI, Reader::bool).orElse(true))
              .simulator(r.optional(SIMULATOR, Reader::bool).orElse(false))
              .delayedSourcePartyInfoEnabled(r.optional(DELAYED_INFO, Reader::bool).orElse(false))
              .description(r.optional(DESCRIPTION, v -> v).orElse(null))
              .build();
        });
  }

  /**
   * @throws EntryMappingException naming the DN, attribute and value at fault
   */
  public HuntGroup huntGroup(Entry entry) {
    Reader r = new Reader(entry);
    DN gatewayDn = r.dn.getParent();
    if (gatewayDn == null || !DirectoryLayout.isChildOf(gatewayDn, gateways)) {
      throw r.problem(
          null, null, "a hunt group must be a child of a gateway under " + layout.gateways());
    }
    String gateway =
        DirectoryLayout.cnOf(gatewayDn)
            .orElseThrow(() -> r.problem(null, null, "the parent gateway is not named by cn"));
    String name = r.name();
    return r.build(
        () -> {
          String dialPlan =
              r.required(
                  DIAL_PLAN_LINK,
                  v -> {
                    String cached = linkCache.get(v);
                    if (cached != null) {
                      return cached;
                    }
                    try {
                      DN link = new DN(v);
                      String dp =
                          layout
                              .dialPlanName(link)
                              .orElseThrow(
                                  () ->
                                      new IllegalArgumentException(
                                          "does not name a dial plan under " + layout.dialPlans()));
                      if (linkCache.size() > 4096) {
                        linkCache.clear();
                      }
                      linkCache.put(v, dp);
                      return dp;
                    } catch (LDAPException e) {
                      throw new IllegalArgumentException("not a DN");
                    }
                  });
          return new HuntGroup(
              gateway,
              name,
              dialPlan,
              r.optional(PILOT, v -> v).orElse(""),
              r.optional(DESCRIPTION, v -> v).orElse(null));
        });
  }

  /**
   * @throws EntryMappingException naming the DN, attribute and value at fault
   */
  public DialPlan dialPlan(Entry entry) {
    return dialPlan(new Reader(entry));
  }

  private DialPlan dialPlan(Reader r) {
    String name = r.nameUnder(dialPlans);
    ObjectRef ref = ObjectRef.dialPlan(name);
    return r.build(
        () ->
            new DialPlan(
                name,
                r.required(URI_TYPE, v -> UriType.parse(v, ref)),
                r.required(DIGITS, Reader::integer),
                r.optional(SECURITY, v -> VoipSecurity.parse(v, ref))
                    .orElse(VoipSecurity.Unsecured),
                r.optional(COUNTRY, v -> v).orElse(null),
                r.multi(ACCESS_NUMBER, List.of("0")),
                r.optional(DESCRIPTION, v -> v).orElse(null)));
  }

  /**
   * @throws EntryMappingException naming the DN, attribute and value at fault
   */
  public UmServer server(Entry entry) {
    Reader r = new Reader(entry);
    String name = r.nameUnder(servers);
    return r.build(
        () ->
            UmServer.of(
                name,
                r.required(INTERNAL_URL, v -> v),
                r.optional(DESCRIPTION, v -> v).orElse(null)));
  }

  // ---------------------------------------------------------------- entries to repair

  /**
   * An object read from an entry some of whose values are unreadable (a value outside its set, a
   * port out of range, two values of a single-valued attribute): each unreadable attribute holds a
   * stand-in, so a command can replace it and leave the others as they are.
   *
   * @param unreadable the attributes holding a stand-in, in canonical spelling
   * @param problems why each was unreadable
   */
  public record Repairable<T>(T object, Set<String> unreadable, List<EntryProblem> problems) {
    public Repairable {
      requireNonNull(object, "object == null");
      unreadable = Collections.unmodifiableSet(new TreeSet<>(unreadable));
      problems = List.copyOf(problems);
    }
  }

  /**
   * The gateway of {@code entry} for a command that repairs it. The two stand-ins of each
   * unreadable attribute ({@code alternative} false or true) differ, so applying one change to both
   * readings tells which unreadable attributes the change sets (they agree afterwards) from those
   * it leaves alone (they still differ).
   *
   * @throws EntryMappingException when the entry is wrong as a whole (its DN, a missing cn), which
   *     no value written by a command can repair
   */
  public Repairable<Gateway> gatewayForRepair(Entry entry, boolean alternative) {
    return repairable(entry, alternative, this::gateway);
  }

  /**
   * The dial plan of {@code entry} for a command that repairs it; see {@link #gatewayForRepair}.
   *
   * @throws EntryMappingException when the entry is wrong as a whole
   */
  public Repairable<DialPlan> dialPlanForRepair(Entry entry, boolean alternative) {
    return repairable(entry, alternative, this::dialPlan);
  }

  private static <T> Repairable<T> repairable(
      Entry entry, boolean alternative, Function<Reader, T> map) {
    Set<String> unreadable = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    List<EntryProblem> problems = new ArrayList<>();
    while (true) {
      try {
        return new Repairable<>(
            map.apply(new Reader(entry, unreadable, alternative)), unreadable, problems);
      } catch (EntryMappingException e) {
        String attribute = canonical(e.problem().attribute());
        if (attribute == null || !STAND_INS.containsKey(attribute) || !unreadable.add(attribute)) {
          throw e;
        }
        problems.add(e.problem());
      }
    }
  }

  private static String canonical(String attribute) {
    if (attribute == null) {
      return null;
    }
    for (String a : STAND_INS.keySet()) {
      if (a.equalsIgnoreCase(attribute)) {
        return a;
      }
    }
    return attribute;
  }

  /**
   * Two valid values per attribute a command can write, each paired with the other; {@code null}
   * stands for the attribute being absent (its default). Addresses are reserved names that never
   * resolve (RFC 2606), valid whatever the address family.
   */
  private static final Map<String, String[]> STAND_INS =
      Map.ofEntries(
          Map.entry(ADDRESS, new String[] {"unreadable-1.invalid", "unreadable-2.invalid"}),
          Map.entry(PORT, new String[] {"0", "1"}),
          Map.entry(FAMILY, new String[] {null, "Any"}),
          Map.entry(STATUS, new String[] {"Enabled", "Disabled"}),
          Map.entry(OUTCALLS, new String[] {"TRUE", "FALSE"}),
          Map.entry(MWI, new String[] {"TRUE", "FALSE"}),
          Map.entry(SIMULATOR, new String[] {"FALSE", "TRUE"}),
          Map.entry(DELAYED_INFO, new String[] {"FALSE", "TRUE"}),
          Map.entry(DESCRIPTION, new String[] {null, "-"}),
          Map.entry(URI_TYPE, new String[] {"TelExtn", "E164"}),
          Map.entry(DIGITS, new String[] {"5", "6"}),
          Map.entry(SECURITY, new String[] {"Unsecured", "SIPSecured"}),
          Map.entry(COUNTRY, new String[] {null, "1"}),
          Map.entry(ACCESS_NUMBER, new String[] {null, "0"}));

  // ---------------------------------------------------------------- records to entries

  public Entry toEntry(Gateway g) {
    Entry e = new Entry(layout.gateway(g.name()));
    e.addAttribute("objectClass", "top", OC_GATEWAY);
    e.addAttribute("cn", g.name());
    e.addAttribute(ADDRESS, g.address().text());
    e.addAttribute(PORT, Integer.toString(g.port()));
    e.addAttribute(FAMILY, g.ipAddressFamily().name());
    e.addAttribute(STATUS, g.status().name());
    e.addAttribute(OUTCALLS, bool(g.outcallsAllowed()));
    e.addAttribute(MWI, bool(g.messageWaitingIndicatorAllowed()));
    e.addAttribute(SIMULATOR, bool(g.simulator()));
    e.addAttribute(DELAYED_INFO, bool(g.delayedSourcePartyInfoEnabled()));
    addIfPresent(e, DESCRIPTION, g.description());
    return e;
  }

  public Entry toEntry(HuntGroup h) {
    Entry e = new Entry(layout.huntGroup(h.gateway(), h.name()));
    e.addAttribute("objectClass", "top", OC_HUNT_GROUP);
    e.addAttribute("cn", h.name());
    e.addAttribute(DIAL_PLAN_LINK, layout.dialPlan(h.dialPlan()).toString());
    if (!h.isCatchAll()) {
      e.addAttribute(PILOT, h.pilotIdentifier());
    }
    addIfPresent(e, DESCRIPTION, h.description());
    return e;
  }

  public Entry toEntry(DialPlan d) {
    Entry e = new Entry(layout.dialPlan(d.name()));
    e.addAttribute("objectClass", "top", OC_DIAL_PLAN);
    e.addAttribute("cn", d.name());
    e.addAttribute(URI_TYPE, d.uriType().name());
    e.addAttribute(DIGITS, Integer.toString(d.numberOfDigitsInExtension()));
    e.addAttribute(SECURITY, d.voipSecurity().name());
    addIfPresent(e, COUNTRY, d.countryOrRegionCode());
    if (!d.accessTelephoneNumbers().isEmpty()) {
      e.addAttribute(ACCESS_NUMBER, d.accessTelephoneNumbers());
    }
    addIfPresent(e, DESCRIPTION, d.description());
    return e;
  }

  public Entry toEntry(UmServer s) {
    Entry e = new Entry(layout.server(s.name()));
    e.addAttribute("objectClass", "top", OC_SERVER);
    e.addAttribute("cn", s.name());
    e.addAttribute(INTERNAL_URL, s.internalUrl().toString());
    addIfPresent(e, DESCRIPTION, s.description());
    return e;
  }

  private static void addIfPresent(Entry e, String attribute, String value) {
    if (value != null) {
      e.addAttribute(attribute, value);
    }
  }

  /**
   * {@code umPort} and {@code umNumberOfDigitsInExtension} as the mapper reads them.
   *
   * @throws IllegalArgumentException when {@code v} is not an integer
   */
  public static int parseInteger(String v) {
    return Reader.integer(v);
  }

  /**
   * An LDAP BOOLEAN as the mapper reads it ({@code TRUE}/{@code FALSE}, any case).
   *
   * @throws IllegalArgumentException when {@code v} is neither
   */
  public static boolean parseBoolean(String v) {
    return Reader.bool(v);
  }

  static String bool(boolean b) {
    return b ? "TRUE" : "FALSE";
  }

  /** Reads one entry, turning every failure into an {@link EntryMappingException}. */
  private static final class Reader {
    private final Entry entry;
    private final DN dn;
    private final Set<String> standIns;
    private final boolean alternative;

    Reader(Entry entry) {
      this(entry, Set.of(), false);
    }

    /** Reads the attributes in {@code standIns} as their stand-in values instead. */
    Reader(Entry entry, Set<String> standIns, boolean alternative) {
      this.entry = entry;
      this.standIns = standIns;
      this.alternative = alternative;
      try {
        this.dn = entry.getParsedDN();
      } catch (LDAPException e) {
        throw new EntryMappingException(
            new EntryProblem(entry.getDN(), null, null, "not a valid DN"));
      }
    }

    String name() {
      return DirectoryLayout.cnOf(dn)
          .orElseThrow(() -> problem(null, null, "the entry is not named by a single cn"));
    }

    String nameUnder(DN container) {
      if (!DirectoryLayout.isChildOf(dn, container)) {
        throw problem(null, null, "expected directly under " + container);
      }
      return name();
    }

    <T> T build(java.util.function.Supplier<T> constructor) {
      try {
        return constructor.get();
      } catch (InvalidValueException e) {
        throw problem(e.attribute(), e.value(), e.reason());
      }
    }

    <T> T required(String attribute, Function<String, T> parse) {
      return optional(attribute, parse)
          .orElseThrow(() -> problem(attribute, null, "required attribute missing"));
    }

    <T> Optional<T> optional(String attribute, Function<String, T> parse) {
      if (standIns.contains(attribute)) {
        String standIn = STAND_INS.get(attribute)[alternative ? 1 : 0];
        return standIn == null ? Optional.empty() : Optional.of(parse.apply(standIn));
      }
      Attribute a = entry.getAttribute(attribute);
      if (a == null || a.size() == 0) {
        return Optional.empty();
      }
      if (a.size() > 1) {
        throw problem(attribute, a.getValue(), a.size() + " values for a single-valued attribute");
      }
      String value = a.getValue();
      try {
        return Optional.of(parse.apply(value));
      } catch (InvalidValueException e) {
        throw problem(e.attribute(), e.value(), e.reason());
      } catch (IllegalArgumentException e) {
        throw problem(attribute, value, e.getMessage());
      }
    }

    List<String> multi(String attribute, List<String> alternativeStandIn) {
      if (standIns.contains(attribute)) {
        return alternative ? alternativeStandIn : List.of();
      }
      Attribute a = entry.getAttribute(attribute);
      return a == null ? List.of() : new ArrayList<>(List.of(a.getValues()));
    }

    static int integer(String v) {
      try {
        return Integer.parseInt(v.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an integer");
      }
    }

    static boolean bool(String v) {
      return switch (v.strip().toUpperCase(Locale.ROOT)) {
        case "TRUE" -> true;
        case "FALSE" -> false;
        default -> throw new IllegalArgumentException("not an LDAP BOOLEAN (TRUE or FALSE)");
      };
    }

    EntryMappingException problem(String attribute, String value, String message) {
      return new EntryMappingException(new EntryProblem(entry.getDN(), attribute, value, message));
    }
  }
}
