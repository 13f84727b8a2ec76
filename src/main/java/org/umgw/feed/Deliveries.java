package org.umgw.feed;

import java.util.ArrayList;
import java.util.List;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.EntrySet;
import org.umgw.directory.MappedEntry;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmServer;

/**
 * Assembles a feed's deliveries from its {@link EntrySet}: after a change of a few valid entries,
 * the objects that changed and the previous read with them applied (O(change · log² directory));
 * after a full refresh, or a change that involves unreadable entries (whose hunt groups a bad
 * gateway takes along), the set read in full, as before. Feed thread only.
 */
final class Deliveries {
  /** Beyond this share of the set changed at once, one full read is cheaper than the deltas. */
  private static final int FULL_READ_DIVISOR = 8;

  private static final int FULL_READ_MIN = 1024;

  private final EntrySet entries;
  private DirectoryRead delivered;

  Deliveries(EntrySet entries) {
    this.entries = entries;
    entries.trackChanges();
  }

  /** What to deliver now, or {@code null} when nothing changed since the last delivery. */
  DirectoryChanges next(FeedUpdate update) {
    int pending = entries.pendingChanges();
    if (delivered == null
        || update.fullRefresh()
        || pending > Math.max(FULL_READ_MIN, entries.size() / FULL_READ_DIVISOR)) {
      return full(update);
    }
    List<EntrySet.EntryChange> changes = entries.drainChanges();
    if (changes.isEmpty()) {
      return null;
    }
    List<ContentsDelta.Change<DialPlan>> dialPlans = new ArrayList<>();
    List<ContentsDelta.Change<Gateway>> gateways = new ArrayList<>();
    List<ContentsDelta.Change<HuntGroup>> huntGroups = new ArrayList<>();
    List<ContentsDelta.Change<UmServer>> servers = new ArrayList<>();
    for (EntrySet.EntryChange c : changes) {
      Object before = objectOf(c.before());
      Object after = objectOf(c.after());
      if (before == INVALID || after == INVALID) {
        return full(update);
      }
      if (before instanceof Gateway || after instanceof Gateway) {
        gateways.add(new ContentsDelta.Change<>((Gateway) before, (Gateway) after));
      } else if (before instanceof HuntGroup || after instanceof HuntGroup) {
        huntGroups.add(new ContentsDelta.Change<>((HuntGroup) before, (HuntGroup) after));
      } else if (before instanceof DialPlan || after instanceof DialPlan) {
        dialPlans.add(new ContentsDelta.Change<>((DialPlan) before, (DialPlan) after));
      } else if (before instanceof UmServer || after instanceof UmServer) {
        servers.add(new ContentsDelta.Change<>((UmServer) before, (UmServer) after));
      }
    }
    ContentsDelta delta = new ContentsDelta(dialPlans, gateways, huntGroups, servers);
    DirectoryRead read =
        new DirectoryRead(
            delivered.contents().apply(delta), delivered.problems(), delivered.unmapped());
    delivered = read;
    return new DirectoryChanges(read, update, delta);
  }

  private static final Object INVALID = new Object();

  /**
   * The valid object behind {@code m}, {@code null} for none, or {@link #INVALID} when the entry
   * does not map, changes kind, or is a hunt group of a gateway whose entry does not map (both
   * change the read's problems, which only a full read assembles).
   */
  private Object objectOf(MappedEntry m) {
    if (m == null) {
      return null;
    }
    if (m.problem() != null) {
      return INVALID;
    }
    if (m.object() instanceof HuntGroup h && entries.isBadGateway(h.gateway())) {
      return INVALID;
    }
    return m.object();
  }

  private DirectoryChanges full(FeedUpdate update) {
    entries.forgetChanges();
    DirectoryRead read = entries.read();
    if (read == delivered || read.equals(delivered)) {
      return null;
    }
    DirectoryRead previous = delivered;
    delivered = read;
    return DirectoryChanges.between(previous == null ? null : previous.contents(), read, update);
  }
}
