package org.umgw.feed;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.EntrySet;

/** The changelog ({@code cn=changelog}, change numbers) for a {@link LiveFeed}, one connection. */
final class Changelog {
  private static final Logger LOG = LoggerFactory.getLogger(Changelog.class);
  private static final String[] CHANGELOG_ATTRIBUTES = {
    "changeNumber", "targetDN", "changeType", "newRDN", "newSuperior"
  };

  private final LiveFeed feed;

  Changelog(LiveFeed feed) {
    this.feed = feed;
  }

  /**
   * A full read, then the changelog from the last change number before the read: each change
   * re-reads its target (a change the read already saw reads the same entry again, changing
   * nothing). A change number that goes back (the directory restarted) or a changelog trimmed past
   * the next wanted change means changes were missed: everything is read again.
   */
  void run(LDAPConnection c, String server, ServerInfo info) throws Exception {
    Instant at = Instant.now();
    long next = info.lastChangeNumber() + 1;
    int read = feed.fullRead(c);
    feed.connected(server, FeedKind.CHANGELOG);
    feed.deliver(FeedKind.CHANGELOG, server, at, true, read);
    while (!feed.closed) {
      Thread.sleep(feed.options.changelogPollInterval().toMillis());
      ServerInfo now = ServerInfo.read(c);
      if (!now.hasChangelog()) {
        throw new LDAPException(ResultCode.UNAVAILABLE, server + " no longer offers a changelog");
      }
      at = Instant.now();
      boolean lost =
          now.lastChangeNumber() < next - 1
              || (now.lastChangeNumber() >= next && now.firstChangeNumber() > next);
      List<SearchResultEntry> changes = List.of();
      if (!lost && now.lastChangeNumber() >= next) {
        changes =
            new ArrayList<>(
                c.search(
                        now.changelog(),
                        SearchScope.ONE,
                        Filter.createANDFilter(
                            Filter.createGreaterOrEqualFilter("changeNumber", Long.toString(next)),
                            Filter.createPresenceFilter("targetDN")),
                        CHANGELOG_ATTRIBUTES)
                    .getSearchEntries());
        changes.sort(Comparator.comparingLong(Changelog::changeNumber));
        lost = !changes.isEmpty() && changeNumber(changes.get(0)) > next;
      }
      if (lost) {
        LOG.info(
            "{}: changelog holds {}..{} but change {} was wanted: reading everything again",
            server,
            now.firstChangeNumber(),
            now.lastChangeNumber(),
            next);
        next = now.lastChangeNumber() + 1;
        read = feed.fullRead(c);
        feed.deliver(FeedKind.CHANGELOG, server, at, true, read);
        continue;
      }
      if (changes.isEmpty()) {
        continue;
      }
      Set<DN> targets = new LinkedHashSet<>();
      for (SearchResultEntry change : changes) {
        next = Math.max(next, changeNumber(change) + 1);
        DN target = new DN(change.getAttributeValue("targetDN"));
        String newRdn = change.getAttributeValue("newRDN");
        if (newRdn != null) {
          String superior = change.getAttributeValue("newSuperior");
          // The new name first: read under its entryUUID, the entry moves its subtree along.
          targets.add(
              new DN(new RDN(newRdn), superior != null ? new DN(superior) : target.getParent()));
        }
        targets.add(target);
      }
      int changed = 0;
      for (DN target : targets) {
        if (!target.isDescendantOf(feed.layout.base(), false)) {
          continue;
        }
        Entry e = c.getEntry(target.toString(), EntrySet.ATTRIBUTES);
        if (e == null) {
          if (feed.entries.removeDn(target)) {
            changed++;
          }
          for (String below : feed.entries.keysBelow(target)) {
            changed += feed.remove(below);
          }
        } else if (feed.entries.put(e)) {
          changed++;
        }
      }
      feed.deliver(FeedKind.CHANGELOG, server, at, false, changed);
    }
  }

  private static long changeNumber(Entry change) {
    try {
      return Long.parseLong(change.getAttributeValue("changeNumber").strip());
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }
}
