package org.umgw.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntrySet;
import org.umgw.events.Event;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;
import org.umgw.rules.Rule;

/**
 * The fail-closed policy over directories built as LDAP entries (so unreadable values go through
 * the real mapper): revocations always apply, broken rules hold back only what widens trust.
 */
class TrustPolicyTest {
  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
  private static final EntryMapper MAPPER = new EntryMapper(LAYOUT);
  private final TrustPolicy policy = new TrustPolicy(LAYOUT);

  /** gw1..gwN at 192.0.2.i, each with a default hunt group to "dp". */
  private static List<Entry> directory(int gateways) {
    List<Entry> out = new ArrayList<>();
    out.add(MAPPER.toEntry(DialPlan.of("dp", UriType.TelExtn, 4)));
    for (int i = 1; i <= gateways; i++) {
      out.add(MAPPER.toEntry(Gateway.builder("gw" + i, "192.0.2." + i).build()));
      out.add(MAPPER.toEntry(HuntGroup.defaultFor("gw" + i, "dp")));
    }
    return out;
  }

  private static DirectoryRead read(List<Entry> entries) {
    EntrySet set = new EntrySet(LAYOUT);
    entries.forEach(set::put);
    return set.read();
  }

  /** The entries with {@code gateway}'s entry changed by {@code edit}. */
  private static List<Entry> edit(List<Entry> entries, String gateway, UnaryOperator<Entry> edit) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      out.add(e.getDN().equals(LAYOUT.gateway(gateway).toString()) ? edit.apply(e.duplicate()) : e);
    }
    return out;
  }

  private static UnaryOperator<Entry> set(String attribute, String value) {
    return e -> {
      e.setAttribute(attribute, value);
      return e;
    };
  }

  private static Gateway gateway(DirectoryContents c, String name) {
    return c.gateways().stream().filter(g -> g.name().equals(name)).findFirst().orElse(null);
  }

  private static boolean routed(DirectoryContents c, String name) {
    return gateway(c, name) != null
        && c.huntGroups().stream().anyMatch(h -> h.gateway().equals(name));
  }

  // ---------------------------------------------------------------- finding 1

  @Test
  void aBrokenRuleElsewhere_neverFreezesARevocation() {
    List<Entry> dir = directory(3);
    DirectoryContents served = policy.decide(read(dir), null).served();
    // Two gateways now share an address (written past the CLI) ...
    List<Entry> broken = edit(dir, "gw2", set("umAddress", "192.0.2.3"));
    TrustPolicy.Decision d1 = policy.decide(read(broken), served);
    assertThat(d1.violations()).extracting(v -> v.rule()).contains(Rule.ADDRESS_UNIQUE);
    // ... and an unrelated gateway is disabled: that reaches what is served at once.
    List<Entry> disabled = edit(broken, "gw1", set("umStatus", "Disabled"));
    TrustPolicy.Decision d2 = policy.decide(read(disabled), d1.served());
    assertThat(gateway(d2.served(), "gw1").status()).isEqualTo(GatewayStatus.Disabled);
    // The gateway that moved onto gw3's address is revoked where it was, gw3 untouched.
    assertThat(gateway(d2.served(), "gw2").status()).isEqualTo(GatewayStatus.Disabled);
    assertThat(gateway(d2.served(), "gw2").address().text()).isEqualTo("192.0.2.2");
    assertThat(gateway(d2.served(), "gw3").status()).isEqualTo(GatewayStatus.Enabled);
  }

  @Test
  void removalAndLostHuntGroups_applyWhateverElseIsBroken() {
    List<Entry> dir = directory(4);
    DirectoryContents served = policy.decide(read(dir), null).served();
    List<Entry> broken = new ArrayList<>(edit(dir, "gw2", set("umAddress", "192.0.2.3")));
    // gw1 removed (with its hunt group), gw4 loses its only hunt group.
    broken.removeIf(e -> e.getDN().contains("cn=gw1,") || e.getDN().startsWith("cn=gw1,"));
    broken.removeIf(e -> e.getDN().startsWith("cn=Default Hunt Group,cn=gw4,"));
    DirectoryContents out = policy.decide(read(broken), served).served();
    assertThat(gateway(out, "gw1")).isNull();
    assertThat(routed(out, "gw4")).isFalse();
    assertThat(routed(out, "gw3")).isTrue();
  }

  @Test
  void startUp_holdsBackEveryImplicatedObject_asIfJustAdded() {
    List<Entry> broken = edit(directory(3), "gw2", set("umAddress", "192.0.2.3"));
    TrustPolicy.Decision d = policy.decide(read(broken), null);
    assertThat(gateway(d.served(), "gw2")).isNull();
    assertThat(gateway(d.served(), "gw3")).isNull();
    assertThat(gateway(d.served(), "gw1")).isNotNull();
    assertThat(d.findings())
        .allSatisfy(
            f -> assertThat(f.heldBack()).singleElement().asString().contains("not trusted"));
    List<Event> events = d.events(Instant.EPOCH);
    assertThat(events)
        .extracting(Event::message)
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains(
                        "ADDRESS_UNIQUE",
                        "UM IP gateway \"gw2\"",
                        "umAddress \"192.0.2.3\"",
                        "held back"));
  }

  @Test
  void aNewGatewayOnATrustedAddress_isHeldBack_theTrustedOneStays() {
    List<Entry> dir = directory(2);
    DirectoryContents served = policy.decide(read(dir), null).served();
    List<Entry> more = new ArrayList<>(dir);
    more.add(MAPPER.toEntry(Gateway.builder("intruder", "192.0.2.1").build()));
    more.add(MAPPER.toEntry(HuntGroup.defaultFor("intruder", "dp")));
    DirectoryContents out = policy.decide(read(more), served).served();
    assertThat(gateway(out, "intruder")).isNull();
    assertThat(gateway(out, "gw1")).isEqualTo(gateway(served, "gw1"));
  }

  @Test
  void capacity_holdsBackOnlyTheNewHuntGroups() {
    List<Entry> dir = directory(200);
    DirectoryContents served = policy.decide(read(dir), null).served();
    assertThat(served.gateways()).hasSize(200);
    List<Entry> more = new ArrayList<>(dir);
    more.add(MAPPER.toEntry(Gateway.builder("gw201", "192.0.2.201").build()));
    more.add(MAPPER.toEntry(HuntGroup.defaultFor("gw201", "dp")));
    DirectoryContents out = policy.decide(read(more), served).served();
    assertThat(routed(out, "gw201")).isFalse();
    assertThat(out.huntGroups()).hasSize(200);
  }

  @Test
  void sipUriOutcalls_holdsBackOnlyTheFlag() {
    List<Entry> dir = new ArrayList<>();
    dir.add(MAPPER.toEntry(DialPlan.of("sip", UriType.SipName, 4)));
    dir.add(MAPPER.toEntry(Gateway.builder("a", "a.example.test").build()));
    dir.add(MAPPER.toEntry(Gateway.builder("b", "b.example.test").outcallsAllowed(false).build()));
    dir.add(MAPPER.toEntry(HuntGroup.defaultFor("a", "sip")));
    dir.add(MAPPER.toEntry(HuntGroup.defaultFor("b", "sip")));
    DirectoryContents served = policy.decide(read(dir), null).served();
    TrustPolicy.Decision d =
        policy.decide(read(edit(dir, "b", set("umOutcallsAllowed", "TRUE"))), served);
    assertThat(gateway(d.served(), "a").outcallsAllowed()).isTrue();
    assertThat(gateway(d.served(), "b").outcallsAllowed()).isFalse();
    assertThat(routed(d.served(), "b")).isTrue();
    assertThat(d.findings()).anySatisfy(f -> assertThat(f.toString()).contains("outcalls off"));
  }

  @Test
  void aSecuredDialPlan_neverGainsAnIpLiteralGateway() {
    List<Entry> dir = directory(1);
    dir.add(
        MAPPER.toEntry(
            DialPlan.of("tls", UriType.TelExtn, 4).withVoipSecurity(VoipSecurity.SIPSecured)));
    DirectoryContents served = policy.decide(read(dir), null).served();
    dir.add(MAPPER.toEntry(new HuntGroup("gw1", "secure", "tls", "7000", null)));
    DirectoryContents out = policy.decide(read(dir), served).served();
    assertThat(out.huntGroups()).extracting(HuntGroup::name).containsExactly("Default Hunt Group");
  }

  // ---------------------------------------------------------------- finding 2

  @Test
  void anUnreadableStatus_isServedDisabled_neverTheLastGoodEnabled() {
    List<Entry> dir = directory(2);
    DirectoryContents served = policy.decide(read(dir), null).served();
    TrustPolicy.Decision d =
        policy.decide(read(edit(dir, "gw1", set("umStatus", "Disable"))), served);
    assertThat(gateway(d.served(), "gw1").status()).isEqualTo(GatewayStatus.Disabled);
    assertThat(d.salvaged())
        .filteredOn(o -> o.problem().attribute() != null)
        .singleElement()
        .satisfies(o -> assertThat(o.action()).contains("served Disabled", "umStatus unreadable"));
  }

  /**
   * Found by EntryMapperFuzzTest: when the readable address and family disagree, salvage served the
   * last good gateway with its old flags, more trusting than the entry's own (here: outcalls off,
   * simulator unreadable).
   */
  @Test
  void anAddressAndFamilyThatDisagree_areServedDisabledWithTheEntrysFlags() {
    List<Entry> dir = directory(2);
    DirectoryContents served = policy.decide(read(dir), null).served();
    List<Entry> edited =
        edit(
            edit(
                edit(dir, "gw1", set("umIPAddressFamily", "IPv6Only")),
                "gw1",
                set("umOutcallsAllowed", "FALSE")),
            "gw1",
            set("umSimulator", "maybe"));
    Gateway g = gateway(policy.decide(read(edited), served).served(), "gw1");

    assertThat(g.status()).isEqualTo(GatewayStatus.Disabled);
    assertThat(g.address().text()).isEqualTo("192.0.2.1");
    assertThat(g.outcallsAllowed()).isFalse();
    assertThat(g.simulator()).isTrue();
  }

  @Test
  void anUnreadableAddress_isServedDisabledAtTheOldOne() {
    List<Entry> dir = directory(2);
    DirectoryContents served = policy.decide(read(dir), null).served();
    DirectoryContents out =
        policy.decide(read(edit(dir, "gw1", set("umAddress", "0.0.0.0"))), served).served();
    assertThat(gateway(out, "gw1").status()).isEqualTo(GatewayStatus.Disabled);
  }

  @Test
  void aDisableWrittenWithABadPort_stillDisables() {
    List<Entry> dir = directory(2);
    DirectoryContents served = policy.decide(read(dir), null).served();
    List<Entry> edited =
        edit(
            dir,
            "gw1",
            e -> {
              e.setAttribute("umPort", "70000");
              e.setAttribute("umStatus", "NoNewCalls");
              return e;
            });
    Gateway g = gateway(policy.decide(read(edited), served).served(), "gw1");
    assertThat(g.status()).isEqualTo(GatewayStatus.NoNewCalls);
    assertThat(g.port()).isEqualTo(gateway(served, "gw1").port());
  }

  @Test
  void unreadableFlags_takeTheirLeastTrustingValue() {
    List<Entry> dir = directory(1);
    DirectoryContents served = policy.decide(read(dir), null).served();
    List<Entry> edited =
        edit(
            dir,
            "gw1",
            e -> {
              e.setAttribute("umOutcallsAllowed", "yes");
              e.setAttribute("umSimulator", "no");
              return e;
            });
    Gateway g = gateway(policy.decide(read(edited), served).served(), "gw1");
    assertThat(g.outcallsAllowed()).isFalse();
    assertThat(g.simulator()).isTrue();
    assertThat(g.status()).isEqualTo(GatewayStatus.Enabled);
  }

  @Test
  void aBrokenEntryNeverServedBefore_isLeftOut() {
    List<Entry> dir = directory(1);
    DirectoryContents served = policy.decide(read(dir), null).served();
    List<Entry> more = new ArrayList<>(dir);
    Entry bad = MAPPER.toEntry(Gateway.builder("new", "192.0.2.50").build());
    bad.setAttribute("umPort", "x");
    more.add(bad);
    more.add(MAPPER.toEntry(HuntGroup.defaultFor("new", "dp")));
    DirectoryContents out = policy.decide(read(more), served).served();
    assertThat(gateway(out, "new")).isNull();
    assertThat(out.huntGroups()).noneMatch(h -> h.gateway().equals("new"));
  }

  @Test
  void aDialPlanWithUnreadableSecurity_routesNothing() {
    List<Entry> dir = directory(1);
    DirectoryContents served = policy.decide(read(dir), null).served();
    List<Entry> edited = new ArrayList<>();
    for (Entry e : dir) {
      if (e.getDN().equals(LAYOUT.dialPlan("dp").toString())) {
        e = e.duplicate();
        e.setAttribute("umVoIPSecurity", "SIPSecure");
      }
      edited.add(e);
    }
    DirectoryContents out = policy.decide(read(edited), served).served();
    assertThat(out.dialPlans()).isEmpty();
  }

  @Test
  void aWholeDirectory_isServedAsItIs() {
    DirectoryRead r = read(directory(3));
    TrustPolicy.Decision d = policy.decide(r, null);
    assertThat(d.whole()).isTrue();
    assertThat(d.served()).isEqualTo(r.contents());
    assertThat(d.events(Instant.EPOCH)).isEmpty();
  }
}
