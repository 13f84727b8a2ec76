package org.umgw.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmServer;
import org.umgw.model.UriType;

/**
 * {@link ParallelRead}, the mapping behind {@link DirectoryStore#readAll()}: whatever the number of
 * mapper threads and the order entries arrive in, the read equals the one {@link EntrySet} (which
 * maps one entry at a time) assembles from the same entries, bad entries included. The readAll
 * tests of every server (DirectoryStoreContract, InvalidEntriesContract) go through it too.
 */
class ParallelReadTest {
  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
  private final EntryMapper mapper = new EntryMapper(LAYOUT);

  /**
   * Dial plans, gateways each followed by its hunt group (a server's subtree order), a server, and
   * some bad entries: gateways with a bad port (their hunt groups are left out), a hunt group with
   * a bad link, a dial plan with bad digits. Several batches' worth.
   */
  private static final int GATEWAYS = 3 * ParallelRead.BATCH + 17;

  /** The gateways {@link #directory()} gives a bad port (their hunt groups are left out too). */
  private static final long BAD_GATEWAYS =
      java.util.stream.IntStream.range(0, GATEWAYS).filter(g -> g % 97 == 5).count();

  private List<Entry> directory() {
    List<Entry> entries = new ArrayList<>();
    for (int p = 0; p < 20; p++) {
      Entry dp = mapper.toEntry(DialPlan.of(String.format("dp-%02d", p), UriType.TelExtn, 5));
      if (p == 13) {
        dp.setAttribute(EntryMapper.DIGITS, "five");
      }
      entries.add(dp);
    }
    for (int g = 0; g < GATEWAYS; g++) {
      String name = String.format("gw-%04d", g);
      Entry gw = mapper.toEntry(Gateway.builder(name, "10.1." + g / 250 + "." + g % 250).build());
      if (g % 97 == 5) {
        gw.setAttribute(EntryMapper.PORT, "port-" + g);
      }
      entries.add(gw);
      Entry hg = mapper.toEntry(HuntGroup.defaultFor(name, String.format("dp-%02d", g % 20)));
      if (g == 300) {
        hg.setAttribute(EntryMapper.DIAL_PLAN_LINK, "cn=nowhere");
      }
      entries.add(hg);
    }
    entries.add(
        mapper.toEntry(
            new UmServer("um1", java.net.URI.create("https://um1.example.com/ews"), null)));
    return entries;
  }

  private DirectoryRead sequential(List<Entry> entries) {
    EntrySet set = new EntrySet(mapper);
    entries.forEach(set::put);
    return set.read();
  }

  private DirectoryRead parallel(List<Entry> entries, int threads) {
    try (ParallelRead read = new ParallelRead(mapper, threads)) {
      entries.forEach(read);
      return read.finish();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void read_equalsTheSequentialReadInServerOrder(int threads) {
    List<Entry> entries = directory();
    DirectoryRead expected = sequential(entries);
    assertThat(expected.problems())
        .hasSize((int) (2 + 2 * BAD_GATEWAYS)); // sanity: bad entries are in there
    assertThat(parallel(entries, threads)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 4})
  void read_equalsTheSequentialReadInAnyOrder(int threads) {
    List<Entry> entries = directory();
    DirectoryRead expected = sequential(entries);
    Random random = new Random(16);
    for (int round = 0; round < 5; round++) {
      Collections.shuffle(entries, random);
      assertThat(parallel(entries, threads)).as("shuffle %d", round).isEqualTo(expected);
    }
    Collections.reverse(entries); // every hunt group before its gateway, in some batches
    assertThat(parallel(entries, threads)).isEqualTo(expected);
  }

  @Test
  void oneBadEntry_isOneProblemNamingItsDnAttributeAndValue_andTheRestIsRead() {
    DirectoryRead read = parallel(directory(), 4);
    assertThat(read.contents().gateways()).hasSize((int) (GATEWAYS - BAD_GATEWAYS));
    assertThat(read.contents().dialPlans()).hasSize(19);
    assertThat(read.problems())
        .map(EntryProblem::toString)
        .contains(
            "cn=gw-0005,ou=gateways,dc=umgw,dc=example: umPort \"port-5\": not an integer",
            "cn=Default Hunt Group,cn=gw-0005,ou=gateways,dc=umgw,dc=example: left out: its UM IP"
                + " gateway entry is invalid");
    EntryProblem link =
        read.problems().stream()
            .filter(p -> p.dn().startsWith("cn=Default Hunt Group,cn=gw-0300,"))
            .findFirst()
            .orElseThrow();
    assertThat(link.attribute()).isEqualTo(EntryMapper.DIAL_PLAN_LINK);
    assertThat(link.value()).isEqualTo("cn=nowhere");
    // The raw entries behind every problem, for the policy's salvage; none of the others.
    assertThat(read.unmapped().keySet())
        .containsExactlyInAnyOrderElementsOf(
            read.problems().stream().map(EntryProblem::dn).toList());
  }

  @Test
  void orphanHuntGroupBeforeItsGateway_keepsItsRawEntry() {
    List<Entry> entries = new ArrayList<>();
    Entry bad = mapper.toEntry(Gateway.builder("gw1", "192.0.2.1").build());
    bad.setAttribute(EntryMapper.PORT, "x");
    entries.add(mapper.toEntry(HuntGroup.defaultFor("gw1", "DP1"))); // the hunt group first
    for (int i = 0; i < 2 * ParallelRead.BATCH; i++) {
      entries.add(
          mapper.toEntry(
              Gateway.builder("g" + i, "10.2." + i / 250 + "." + (i % 250 + 1)).build()));
    }
    entries.add(bad); // its gateway in a later batch
    entries.add(mapper.toEntry(DialPlan.of("DP1", UriType.TelExtn, 5)));
    DirectoryRead read = parallel(entries, 2);
    String orphan = LAYOUT.huntGroup("gw1", HuntGroup.DEFAULT_NAME).toString();
    assertThat(read.unmapped()).containsKey(orphan);
    assertThat(read).isEqualTo(sequential(entries));
  }

  @Test
  void smallDirectory_isMappedWithoutThreads() {
    List<Entry> entries = directory().subList(0, ParallelRead.BATCH - 1);
    assertThat(parallel(entries, 4)).isEqualTo(sequential(entries));
  }
}
