package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntrySet;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;

/**
 * A feed's deliveries, assembled change by change ({@link Deliveries}), hold exactly what a full
 * read of the same entries gives, after every step of random entry edits: gateways added, modified
 * (unreadable values included, which leave their hunt groups out), renamed with their subtree,
 * removed; hunt groups and dial plans added and removed; changes that change nothing. And each
 * delivery's delta takes the previous contents to the new ones.
 */
class DeliveriesProperties {
  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
  private static final EntryMapper MAPPER = new EntryMapper(LAYOUT);
  private static final List<String> ADDRESSES =
      List.of("192.0.2.1", "192.0.2.2", "a.example.test", "not an address!");
  private static final List<String> STATUSES = List.of("Enabled", "Disabled", "Bogus");

  record Edit(int kind, int a, int b) {}

  @Provide
  Arbitrary<List<Edit>> edits() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 7),
            Arbitraries.integers().between(0, 99),
            Arbitraries.integers().between(0, 99))
        .as(Edit::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  @Property(tries = 300)
  void trackedDeliveriesEqualFullReads(@ForAll("edits") List<Edit> edits) {
    EntrySet set = new EntrySet(LAYOUT);
    Deliveries deliveries = new Deliveries(set);
    Map<String, Entry> entries = new LinkedHashMap<>();
    put(set, entries, "ext", MAPPER.toEntry(DialPlan.of("ext", UriType.TelExtn, 4)));
    DirectoryRead previous = null;
    int step = 0;
    for (Edit e : edits) {
      step++;
      apply(set, entries, e);
      boolean first = previous == null;
      DirectoryChanges d =
          deliveries.next(new FeedUpdate(FeedKind.SYNCREPL, "s", Instant.EPOCH, first, 1));
      EntrySet fresh = new EntrySet(LAYOUT);
      entries.values().forEach(fresh::put);
      DirectoryRead expected = fresh.read();
      String why = "step " + step + " (" + e + ") of " + edits;
      if (d == null) {
        assertThat(expected).as("nothing delivered, yet changed: " + why).isEqualTo(previous);
        continue;
      }
      Statistics.label("tracked").collect(d.tracked());
      assertThat(d.read()).as(why).isEqualTo(expected);
      if (previous != null) {
        assertThat(previous.contents().apply(d.delta())).as(why).isEqualTo(expected.contents());
      }
      previous = d.read();
    }
  }

  /** Puts an entry; a gateway put under a new DN takes its hunt groups along, as a rename does. */
  private static void put(EntrySet set, Map<String, Entry> entries, String key, Entry e) {
    Entry before = entries.put(key, e);
    set.put(key, e);
    if (before != null && !key.contains("/") && !before.getDN().equals(e.getDN())) {
      for (String child : List.copyOf(entries.keySet())) {
        if (child.startsWith(key + "/")) {
          Entry moved = entries.get(child).duplicate();
          moved.setDN(new DN(rdnOf(moved), dnOf(e)));
          entries.put(child, moved);
        }
      }
    }
  }

  private static com.unboundid.ldap.sdk.RDN rdnOf(Entry e) {
    try {
      return e.getRDN();
    } catch (com.unboundid.ldap.sdk.LDAPException bad) {
      throw new IllegalStateException(bad);
    }
  }

  private static DN dnOf(Entry e) {
    try {
      return e.getParsedDN();
    } catch (com.unboundid.ldap.sdk.LDAPException bad) {
      throw new IllegalStateException(bad);
    }
  }

  private static void remove(EntrySet set, Map<String, Entry> entries, String key) {
    entries.remove(key);
    set.remove(key);
  }

  private static void apply(EntrySet set, Map<String, Entry> entries, Edit e) {
    String g = "g" + e.a() % 4;
    switch (e.kind()) {
      case 0, 1 -> {
        Entry gw = MAPPER.toEntry(Gateway.builder(g, "192.0.2.9").build());
        gw.setAttribute("umAddress", ADDRESSES.get(e.b() % ADDRESSES.size()));
        gw.setAttribute("umStatus", STATUSES.get(e.b() / 4 % STATUSES.size()));
        put(set, entries, g, gw);
      }
      case 2 -> {
        if (entries.containsKey(g)) {
          int slot = e.b() % 2;
          // Under the gateway entry as it is named now (it may have been renamed).
          String cn = entries.get(g).getAttributeValue("cn");
          HuntGroup h = new HuntGroup(cn, "hg" + slot, e.b() % 3 == 0 ? "sip" : "ext", "", null);
          put(set, entries, g + "/" + slot, MAPPER.toEntry(h));
        }
      }
      case 3 -> remove(set, entries, g + "/" + e.b() % 2);
      case 4 -> {
        // A gateway removed with its subtree.
        for (String key : List.copyOf(entries.keySet())) {
          if (key.equals(g) || key.startsWith(g + "/")) {
            remove(set, entries, key);
          }
        }
      }
      case 5 -> {
        // A gateway renamed: the set moves its hunt groups along (as the server does).
        Entry old = entries.get(g);
        String to = "r" + e.b() % 3;
        DN target = LAYOUT.gateway(to);
        if (old == null
            || entries.values().stream().anyMatch(x -> x.getDN().equals(target.toString()))) {
          return; // no entry to rename, or the new name is taken
        }
        Entry renamed = old.duplicate();
        renamed.setDN(target);
        renamed.setAttribute("cn", to);
        put(set, entries, g, renamed); // same key: a rename keeps the entryUUID
      }
      case 6 -> {
        if (e.b() % 2 == 0) {
          remove(set, entries, "sip");
        } else {
          put(set, entries, "sip", MAPPER.toEntry(DialPlan.of("sip", UriType.SipName, 4)));
        }
      }
      default -> {
        // Put an entry again unchanged: nothing to deliver.
        Entry same = entries.get(g);
        if (same != null) {
          set.put(g, same.duplicate());
        }
      }
    }
  }
}
