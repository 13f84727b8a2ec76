package org.umgw.directory;

import com.unboundid.ldap.sdk.Entry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmServer;

/**
 * Assembles mapped entries into a {@link DirectoryRead}: every valid object, sorted by name (hunt
 * groups by gateway, then name), and a problem for each entry left out, sorted by DN: entries that
 * do not map, and the hunt groups of gateways that do not. The one assembly {@link EntrySet} and
 * {@link ParallelRead} share, so a feed's read and {@code readAll} say the same.
 */
final class EntryAssembly {
  private EntryAssembly() {}

  /** The read of {@code all}, whatever their order. */
  static DirectoryRead assemble(Collection<MappedEntry> all, EntryMapper mapper) {
    List<DialPlan> dialPlans = new ArrayList<>();
    List<Gateway> gateways = new ArrayList<>();
    List<HuntGroup> huntGroups = new ArrayList<>();
    List<UmServer> servers = new ArrayList<>();
    List<EntryProblem> problems = new ArrayList<>();
    Map<String, Entry> unmapped = new HashMap<>();
    Set<String> badGateways = new HashSet<>();
    for (MappedEntry m : all) {
      if (m.problem() != null) {
        problems.add(m.problem());
        unmapped.put(m.problem().dn(), m.entry());
        if (m.badGateway() != null) {
          badGateways.add(m.badGateway());
        }
      } else if (m.object() instanceof Gateway g) {
        gateways.add(g);
      } else if (m.object() instanceof HuntGroup h) {
        huntGroups.add(h);
      } else if (m.object() instanceof DialPlan d) {
        dialPlans.add(d);
      } else if (m.object() instanceof UmServer s) {
        servers.add(s);
      }
    }
    DirectoryLayout layout = mapper.layout();
    Map<HuntGroup, Entry> orphanEntries = new HashMap<>();
    if (!badGateways.isEmpty()) {
      for (MappedEntry m : all) {
        if (m.object() instanceof HuntGroup h && badGateways.contains(h.gateway())) {
          orphanEntries.put(h, m.raw(mapper));
        }
      }
    }
    List<HuntGroup> kept =
        leaveOutOrphans(huntGroups, badGateways, orphanEntries::get, layout, problems, unmapped);
    dialPlans.sort(Comparator.comparing(DialPlan::name));
    gateways.sort(Comparator.comparing(Gateway::name));
    kept.sort(Comparator.comparing(HuntGroup::gateway).thenComparing(HuntGroup::name));
    servers.sort(Comparator.comparing(UmServer::name));
    problems.sort(Comparator.comparing(EntryProblem::dn));
    return new DirectoryRead(
        new DirectoryContents(dialPlans, gateways, kept, servers), problems, unmapped);
  }

  /**
   * The hunt groups of gateways that map; each of a gateway that does not becomes a problem (its
   * raw entry, where {@code rawOf} knows it, goes to {@code unmapped} for the policy's salvage).
   * Shared by {@link #assemble} and {@link ParallelRead}, so both reads say the same.
   */
  static List<HuntGroup> leaveOutOrphans(
      List<HuntGroup> huntGroups,
      Set<String> badGateways,
      java.util.function.Function<HuntGroup, Entry> rawOf,
      DirectoryLayout layout,
      List<EntryProblem> problems,
      Map<String, Entry> unmapped) {
    List<HuntGroup> kept = new ArrayList<>(huntGroups.size());
    for (HuntGroup h : huntGroups) {
      if (badGateways.contains(h.gateway())) {
        EntryProblem p =
            new EntryProblem(
                layout.huntGroup(h.gateway(), h.name()).toString(),
                null,
                null,
                "left out: its UM IP gateway entry is invalid");
        problems.add(p);
        Entry raw = rawOf.apply(h);
        if (raw != null) {
          unmapped.put(p.dn(), raw);
        }
      } else {
        kept.add(h);
      }
    }
    return kept;
  }
}
