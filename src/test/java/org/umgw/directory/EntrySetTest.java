package org.umgw.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import org.junit.jupiter.api.Test;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;

class EntrySetTest {
  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
  private final EntryMapper mapper = new EntryMapper(LAYOUT);
  private final EntrySet set = new EntrySet(mapper);

  private Entry withUuid(Entry e, String uuid) {
    Entry copy = e.duplicate();
    copy.addAttribute(EntrySet.ENTRY_UUID, uuid);
    return copy;
  }

  private Entry gateway(String name, String address) {
    return mapper.toEntry(Gateway.builder(name, address).build());
  }

  @Test
  void put_sameEntryTwice_secondIsNoChange() {
    assertThat(set.put(gateway("gw1", "192.0.2.1"))).isTrue();
    assertThat(set.put(gateway("gw1", "192.0.2.1"))).isFalse();
    assertThat(set.put(gateway("gw1", "192.0.2.2"))).isTrue();
    assertThat(set.read().contents().gateways())
        .extracting(g -> g.address().text())
        .containsExactly("192.0.2.2");
  }

  @Test
  void read_badGateway_isAProblemAndItsHuntGroupsAreLeftOut() {
    set.put(mapper.toEntry(DialPlan.of("DP1", UriType.TelExtn, 5)));
    Entry bad = gateway("gw1", "192.0.2.1");
    bad.setAttribute(EntryMapper.PORT, "not-a-port");
    set.put(bad);
    set.put(mapper.toEntry(HuntGroup.defaultFor("gw1", "DP1")));
    set.put(gateway("gw2", "192.0.2.2"));
    DirectoryRead read = set.read();
    assertThat(read.contents().gateways()).extracting(Gateway::name).containsExactly("gw2");
    assertThat(read.contents().huntGroups()).isEmpty();
    assertThat(read.problems())
        .extracting(EntryProblem::toString)
        .containsExactly(
            "cn=Default Hunt Group,cn=gw1,ou=gateways,dc=umgw,dc=example: left out: its UM IP"
                + " gateway entry is invalid",
            "cn=gw1,ou=gateways,dc=umgw,dc=example: umPort \"not-a-port\": not an integer");
  }

  @Test
  void removeDn_findsEntriesKeyedByUuid() throws Exception {
    set.put(withUuid(gateway("gw1", "192.0.2.1"), "6B29FC40-CA47-1067-B31D-00DD010662DA"));
    assertThat(set.contains("6b29fc40-ca47-1067-b31d-00dd010662da")).isTrue();
    assertThat(set.removeDn(new DN("CN=GW1,ou=gateways,dc=umgw,dc=example"))).isTrue();
    assertThat(set.size()).isZero();
  }

  @Test
  void put_renamedGateway_movesItsHuntGroups() {
    set.put(mapper.toEntry(DialPlan.of("DP1", UriType.TelExtn, 5)));
    set.put(withUuid(gateway("gw1", "192.0.2.1"), "u-gw"));
    set.put(withUuid(mapper.toEntry(HuntGroup.defaultFor("gw1", "DP1")), "u-hg"));
    set.put(withUuid(gateway("gw9", "192.0.2.1"), "u-gw"));
    DirectoryRead read = set.read();
    assertThat(read.contents().gateways()).extracting(Gateway::name).containsExactly("gw9");
    assertThat(read.contents().huntGroups()).extracting(HuntGroup::gateway).containsExactly("gw9");
    assertThat(read.problems()).isEmpty();
  }

  @Test
  void put_gatewayRenamedInCaseOnly_movesItsHuntGroupsToTheNewSpelling() {
    // Names compare case-insensitively in LDAP, but umgw's names keep their case: the hunt
    // groups must follow, or they would name a gateway that no longer exists.
    set.put(mapper.toEntry(DialPlan.of("DP1", UriType.TelExtn, 5)));
    set.put(withUuid(gateway("gw1", "192.0.2.1"), "u-gw"));
    set.put(withUuid(mapper.toEntry(HuntGroup.defaultFor("gw1", "DP1")), "u-hg"));
    set.put(withUuid(gateway("GW1", "192.0.2.1"), "u-gw"));
    DirectoryRead read = set.read();
    assertThat(read.contents().gateways()).extracting(Gateway::name).containsExactly("GW1");
    assertThat(read.contents().huntGroups()).extracting(HuntGroup::gateway).containsExactly("GW1");
    assertThat(read.problems()).isEmpty();
  }

  @Test
  void sweep_removesWhatWasNotSeenAndKeepsWhatWas() {
    set.put(gateway("gw1", "192.0.2.1"));
    set.put(gateway("gw2", "192.0.2.2"));
    set.put(gateway("gw3", "192.0.2.3"));
    set.beginSweep();
    set.put(gateway("gw1", "192.0.2.1"));
    set.markPresent(EntrySet.keyOf(gateway("gw2", "192.0.2.2")));
    assertThat(set.endSweep()).isEqualTo(1);
    assertThat(set.read().contents().gateways())
        .extracting(Gateway::name)
        .containsExactly("gw1", "gw2");
  }

  @Test
  void put_entryThatIsNoUmgwObject_removesIt() {
    Entry gw = gateway("gw1", "192.0.2.1");
    set.put(gw);
    Entry other = new Entry(gw.getDN());
    other.addAttribute("objectClass", "top", "organizationalUnit");
    assertThat(set.put(other)).isTrue();
    assertThat(set.size()).isZero();
  }
}
