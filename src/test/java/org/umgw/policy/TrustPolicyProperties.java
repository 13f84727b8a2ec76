package org.umgw.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntrySet;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayAddress;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * Random directories under random edit sequences, as LDAP entries (so typos go through the real
 * mapper), each state served through the policy from the one served before: the trusted set is
 * never larger than the directory and the rules allow, and never holds a gateway the directory says
 * is Disabled or removed.
 */
class TrustPolicyProperties {
  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
  private static final EntryMapper MAPPER = new EntryMapper(LAYOUT);

  private static final List<String> GATEWAYS = List.of("g0", "g1", "g2", "g3", "g4", "g5");
  private static final List<String> DIAL_PLANS = List.of("ext", "sip", "tls");
  private static final List<String> ADDRESSES =
      List.of(
          "192.0.2.1",
          "192.0.2.2",
          "192.0.2.3",
          "2001:db8::1",
          "2001:DB8:0:0::1",
          "a.example.test",
          "A.Example.Test",
          "b.example.test",
          "0.0.0.0",
          "not an address!");
  private static final List<String> STATUSES =
      List.of("Enabled", "Disabled", "NoNewCalls", "enabled", "Disable", "Bogus");
  private static final List<String> BOOLEANS = List.of("TRUE", "FALSE", "yes");
  private static final List<String> PORTS = List.of("0", "5060", "5061", "70000", "x");
  private static final List<String> SECURITIES =
      List.of("Unsecured", "SIPSecured", "Secured", "SIPSecure");
  private static final List<String> PILOTS = List.of("", "5000", "5001");

  /** One edit of the directory; which fields matter depends on the kind. */
  record Edit(int kind, int gateway, int value, int other) {}

  @Provide
  Arbitrary<List<Edit>> edits() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, 10),
                Arbitraries.integers().between(0, GATEWAYS.size() - 1),
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 99))
            .as(Edit::new);
    return edit.list().ofMinSize(1).ofMaxSize(40);
  }

  @Property(tries = 300)
  void theTrustedSetNeverExceedsWhatTheDirectoryAndTheRulesAllow(
      @ForAll("edits") List<Edit> edits) {
    TrustPolicy policy = new TrustPolicy(LAYOUT);
    Map<String, Entry> dir = new LinkedHashMap<>();
    dir.put("ext", MAPPER.toEntry(DialPlan.of("ext", UriType.TelExtn, 4)));
    dir.put("sip", MAPPER.toEntry(DialPlan.of("sip", UriType.SipName, 4)));
    dir.put(
        "tls",
        MAPPER.toEntry(
            DialPlan.of("tls", UriType.TelExtn, 4).withVoipSecurity(VoipSecurity.SIPSecured)));
    DirectoryContents served = null;
    for (Edit e : edits) {
      if (apply(dir, e)) {
        served = null; // a restart: start-up's strictness
      }
      EntrySet set = new EntrySet(LAYOUT);
      dir.values().forEach(set::put);
      DirectoryRead read = set.read();
      TrustPolicy.Decision d = policy.decide(read, served);
      check(dir, read, d.served(), edits);
      served = d.served();
    }
  }

  /**
   * Applies {@code e} to {@code dir}.
   *
   * @return whether the edit is a restart of the service
   */
  static boolean apply(Map<String, Entry> dir, Edit e) {
    String g = GATEWAYS.get(e.gateway());
    Entry entry = dir.get(g);
    switch (e.kind()) {
      case 0, 1 -> { // add or replace a gateway with a hunt group
        Entry gw = MAPPER.toEntry(Gateway.builder(g, "192.0.2.9").build());
        gw.setAttribute("umAddress", pick(ADDRESSES, e.value()));
        gw.setAttribute("umStatus", pick(STATUSES, e.other()));
        gw.setAttribute("umIPAddressFamily", "Any");
        gw.setAttribute("umOutcallsAllowed", pick(BOOLEANS, e.other() / 7));
        dir.put(g, gw);
        addHuntGroup(dir, g, e.other());
      }
      case 2 -> {
        if (entry != null) {
          entry.setAttribute("umStatus", pick(STATUSES, e.value()));
        }
      }
      case 3 -> {
        if (entry != null) {
          entry.setAttribute("umAddress", pick(ADDRESSES, e.value()));
        }
      }
      case 4 -> dir.keySet().removeIf(k -> k.equals(g) || k.startsWith(g + "/"));
      case 5 -> addHuntGroup(dir, g, e.value());
      case 6 ->
          dir.keySet().removeIf(k -> k.startsWith(g + "/") && k.endsWith("/" + e.value() % 3));
      case 7 -> {
        if (entry != null) {
          entry.setAttribute("umOutcallsAllowed", pick(BOOLEANS, e.value()));
        }
      }
      case 8 -> {
        if (entry != null) {
          entry.setAttribute("umPort", pick(PORTS, e.value()));
        }
      }
      case 9 -> {
        Entry dp = dir.get(pick(DIAL_PLANS, e.value()));
        dp.setAttribute("umVoIPSecurity", pick(SECURITIES, e.other()));
      }
      default -> {
        return true;
      }
    }
    return false;
  }

  private static void addHuntGroup(Map<String, Entry> dir, String g, int value) {
    if (!dir.containsKey(g)) {
      return;
    }
    int slot = value % 3;
    HuntGroup h =
        new HuntGroup(g, "hg" + slot, pick(DIAL_PLANS, value / 3), pick(PILOTS, value / 9), null);
    dir.put(g + "/" + slot, MAPPER.toEntry(h));
  }

  private static String pick(List<String> values, int i) {
    return values.get(Math.floorMod(i, values.size()));
  }

  private static void check(
      Map<String, Entry> dir, DirectoryRead read, DirectoryContents served, List<Edit> edits) {
    String why = "after " + edits;
    Set<String> trusted = new HashSet<>();
    Map<GatewayAddress, String> trustedAt = new HashMap<>();
    for (Gateway g : served.gateways()) {
      if (g.status() == GatewayStatus.Disabled) {
        continue;
      }
      boolean routed = served.huntGroups().stream().anyMatch(h -> h.gateway().equals(g.name()));
      if (!routed) {
        continue;
      }
      trusted.add(g.name());
      // Removed, or Disabled in the directory (readable or not): never trusted.
      Entry entry = dir.get(g.name());
      assertThat(entry).as("removed gateway %s still trusted %s", g.name(), why).isNotNull();
      String status = entry.getAttributeValue("umStatus");
      assertThat(status == null ? "enabled" : status.toLowerCase(Locale.ROOT))
          .as("gateway %s trusted with umStatus %s %s", g.name(), status, why)
          .isIn("enabled", "nonewcalls");
      assertThat(
              status != null
                  && status.equalsIgnoreCase("NoNewCalls")
                  && g.status() == GatewayStatus.Enabled)
          .as("gateway %s served more open than NoNewCalls %s", g.name(), why)
          .isFalse();
      // Trusted only where the directory says it is.
      GatewayAddress written;
      try {
        written = GatewayAddress.parse(entry.getAttributeValue("umAddress"));
      } catch (IllegalArgumentException unreadable) {
        written = null;
      }
      assertThat(g.address())
          .as("gateway %s trusted at an address the directory does not give %s", g.name(), why)
          .isEqualTo(written);
      // One address, one trusted gateway.
      String other = trustedAt.put(g.address(), g.name());
      assertThat(other)
          .as("%s and %s both trusted on %s %s", other, g.name(), g.address(), why)
          .isNull();
    }
    // Every served hunt group is in the directory as it is served.
    Set<HuntGroup> inDirectory = new HashSet<>();
    for (Entry entry : dir.values()) {
      if (entry.hasObjectClass(EntryMapper.OC_HUNT_GROUP)) {
        inDirectory.add(MAPPER.huntGroup(entry));
      }
    }
    for (HuntGroup h : served.huntGroups()) {
      if (trusted.contains(h.gateway())) {
        assertThat(inDirectory).as("hunt group %s not in the directory %s", h, why).contains(h);
      }
    }
    // Pilots stay unique per trusted gateway, and the secured dial plan never gains an IP literal.
    Map<String, DialPlan> plans = new HashMap<>();
    served.dialPlans().forEach(p -> plans.put(p.name(), p));
    for (String g : trusted) {
      List<String> pilots = new ArrayList<>();
      for (HuntGroup h : served.huntGroups()) {
        if (h.gateway().equals(g) && plans.containsKey(h.dialPlan())) {
          pilots.add(h.pilotKey() + "@" + plans.get(h.dialPlan()).voipSecurity().usesTls());
        }
      }
      assertThat(new HashSet<>(pilots)).as("pilots of %s %s", g, why).hasSameSizeAs(pilots);
    }
    // At most one outcalls gateway among the trusted gateways of SIP URI dial plans.
    long outcalls =
        served.gateways().stream()
            .filter(g -> trusted.contains(g.name()) && g.outcallsAllowed())
            .filter(
                g ->
                    served.huntGroups().stream()
                        .anyMatch(h -> h.gateway().equals(g.name()) && h.dialPlan().equals("sip")))
            .count();
    assertThat(outcalls).as("SIP URI outcalls gateways %s", why).isLessThanOrEqualTo(1);
  }
}
