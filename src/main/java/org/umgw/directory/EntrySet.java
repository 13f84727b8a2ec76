package org.umgw.directory;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.RDN;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.umgw.model.ObjectKind;

/**
 * The umgw entries a live feed follows, keyed by a stable key, each mapped once when it is put
 * ({@link MappedEntry}) and assembled into a {@link DirectoryRead} on demand ({@link
 * EntryAssembly}, the assembly {@link DirectoryStore#readAll()} shares); it tracks the keys that
 * change, so a feed delivers what changed without a whole read, and sweeps a full refresh.
 *
 * <pre>{@code
 * EntrySet set = new EntrySet(layout);
 * connection.search(... EntrySet.ATTRIBUTES) -> set.put(entry) for each
 * set.remove(EntrySet.uuidKey(uuid));          // a content-sync delete
 * DirectoryRead read = set.read();
 * }</pre>
 *
 * <p>The key is the entry's {@code entryUUID} where the server returned it (it survives renames and
 * is what RFC 4533 names entries by), else its normalized DN. Not thread-safe: one feed thread owns
 * a set.
 */
public final class EntrySet {
  /** The operational attribute servers return only on request. */
  public static final String ENTRY_UUID = "entryUUID";

  /** {@link EntryMapper#ATTRIBUTES} plus {@code entryUUID}: what a feed requests. */
  public static final String[] ATTRIBUTES = withUuid();

  private final EntryMapper mapper;
  private final Map<String, MappedEntry> byKey = new HashMap<>();

  /** Normalized DN to key; built on first use (feeds that name entries by DN). */
  private Map<String, String> keyByDn;

  private Set<String> unswept;
  private DirectoryRead cached;

  /** Gateway names with an entry that does not map, counted (their hunt groups are left out). */
  private final Map<String, Integer> badGateways = new HashMap<>();

  /**
   * With {@link #trackChanges}: for each key changed since the last {@link #drainChanges}, what it
   * held before the first of those changes ({@code null}: nothing).
   */
  private Map<String, MappedEntry> journal;

  public EntrySet(DirectoryLayout layout) {
    this(new EntryMapper(layout));
  }

  public EntrySet(EntryMapper mapper) {
    this.mapper = requireNonNull(mapper, "mapper == null");
  }

  private static String[] withUuid() {
    String[] a = new String[EntryMapper.ATTRIBUTES.length + 1];
    System.arraycopy(EntryMapper.ATTRIBUTES, 0, a, 0, EntryMapper.ATTRIBUTES.length);
    a[a.length - 1] = ENTRY_UUID;
    return a;
  }

  /** The key of an entryUUID, as servers print it and RFC 4533 sends it. */
  public static String uuidKey(Object uuid) {
    return uuid.toString().toLowerCase(Locale.ROOT);
  }

  /** The key of an entry known by DN only. */
  public static String dnKey(DN dn) {
    return "dn:" + dn.toNormalizedString();
  }

  /** The entry's {@code entryUUID}, else its normalized DN. */
  public static String keyOf(Entry entry) {
    String uuid = entry.getAttributeValue(ENTRY_UUID);
    if (uuid != null && !uuid.isBlank()) {
      return uuidKey(uuid.strip());
    }
    DN dn = MappedEntry.parsedDn(entry);
    return dn == null ? "dn:" + entry.getDN() : dnKey(dn);
  }

  /** Puts {@code entry} under {@link #keyOf}; see {@link #put(String, Entry)}. */
  public boolean put(Entry entry) {
    return put(keyOf(entry), entry);
  }

  /**
   * Adds or replaces the entry under {@code key} and maps it; an entry that is not a umgw object
   * (no umgw object class) is removed instead.
   *
   * @return whether anything changed (an identical entry is neither mapped again nor counted)
   */
  public boolean put(String key, Entry entry) {
    requireNonNull(key, "key == null");
    requireNonNull(entry, "entry == null");
    if (unswept != null) {
      unswept.remove(key);
    }
    Optional<ObjectKind> kind = EntryMapper.kindOf(entry);
    if (kind.isEmpty()) {
      return remove(key);
    }
    MappedEntry before = byKey.get(key);
    MappedEntry mapped = MappedEntry.of(mapper, kind.get(), entry);
    if (mapped.equals(before)) {
      return false; // the same object (or the same bad entry) again, as a full refresh sends it
    }
    MappedEntry after = store(key, before, mapped);
    // A rename, or a new spelling of the same DN (cn=gw1 -> cn=GW1: equal DNs in LDAP, but umgw's
    // names keep their case, so the hunt groups must take the new spelling too).
    if (before != null
        && before.normalized() != null
        && after.normalized() != null
        && !before.dn().equals(after.dn())) {
      moveDescendants(MappedEntry.parse(before.dn()), MappedEntry.parse(after.dn()));
    }
    return true;
  }

  private MappedEntry store(String key, MappedEntry before, MappedEntry after) {
    noteChange(key, before);
    countBad(before, -1);
    countBad(after, 1);
    byKey.put(key, after);
    if (keyByDn != null) {
      if (before != null) {
        keyByDn.remove(before.normalizedDn(), key);
      }
      keyByDn.put(after.normalizedDn(), key);
    }
    cached = null;
    return after;
  }

  /**
   * A renamed or moved entry takes its subtree along (the server moved it, but content sync and
   * persistent search report the renamed entry only): the hunt groups of a renamed gateway get
   * their new DNs, and map to the new gateway name, without a round trip to the server.
   */
  private void moveDescendants(DN from, DN to) {
    int depth = from.getRDNs().length;
    for (String key : keysBelow(from)) {
      MappedEntry child = byKey.get(key);
      RDN[] rdns = MappedEntry.parse(child.dn()).getRDNs();
      RDN[] moved = new RDN[rdns.length - depth + to.getRDNs().length];
      System.arraycopy(rdns, 0, moved, 0, rdns.length - depth);
      System.arraycopy(to.getRDNs(), 0, moved, rdns.length - depth, to.getRDNs().length);
      Entry copy = child.raw(mapper);
      copy.setDN(new DN(moved));
      EntryMapper.kindOf(copy)
          .ifPresent(kind -> store(key, child, MappedEntry.of(mapper, kind, copy)));
    }
  }

  /**
   * @return whether there was an entry under {@code key}
   */
  public boolean remove(String key) {
    if (unswept != null) {
      unswept.remove(key);
    }
    MappedEntry before = byKey.remove(key);
    if (before == null) {
      return false;
    }
    noteChange(key, before);
    countBad(before, -1);
    if (keyByDn != null) {
      keyByDn.remove(before.normalizedDn(), key);
    }
    cached = null;
    return true;
  }

  /**
   * Removes the entry named {@code dn}, whatever its key.
   *
   * @return whether there was one
   */
  public boolean removeDn(DN dn) {
    return keyOfDn(dn).map(this::remove).orElse(false);
  }

  /** The key of the entry named {@code dn}, if the set holds one. */
  public Optional<String> keyOfDn(DN dn) {
    return Optional.ofNullable(dnIndex().get(dn.toNormalizedString()));
  }

  /** The DN of the entry under {@code key}. */
  public Optional<DN> dnOf(String key) {
    MappedEntry m = byKey.get(key);
    return m == null || m.normalized() == null
        ? Optional.empty()
        : Optional.of(MappedEntry.parse(m.dn()));
  }

  /** Keys of the entries strictly below {@code dn} (a gateway's hunt groups). */
  public List<String> keysBelow(DN dn) {
    // By the normalized strings first (no DN parsed per entry), then confirmed on the candidates
    // (an escaped comma inside a value could end with the same text).
    String suffix = "," + dn.toNormalizedString();
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, MappedEntry> e : byKey.entrySet()) {
      String below = e.getValue().normalized();
      if (below != null
          && below.endsWith(suffix)
          && MappedEntry.parse(below).isDescendantOf(dn, false)) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  public boolean contains(String key) {
    return byKey.containsKey(key);
  }

  public int size() {
    return byKey.size();
  }

  public void clear() {
    if (journal != null) {
      byKey.forEach(this::noteChange);
    }
    badGateways.clear();
    byKey.clear();
    keyByDn = null;
    unswept = null;
    cached = null;
  }

  // ---------------------------------------------------------------- change tracking

  /**
   * From now on, remembers which keys change, so that a feed can deliver what changed ({@link
   * #drainChanges}) instead of the whole set.
   */
  public void trackChanges() {
    if (journal == null) {
      journal = new HashMap<>();
    }
  }

  /** How many keys changed since the last {@link #drainChanges} (0 when not tracking). */
  public int pendingChanges() {
    return journal == null ? 0 : journal.size();
  }

  /**
   * The net change of each key since the last call (a key changed and changed back is left out),
   * and starts over. Requires {@link #trackChanges}.
   */
  public List<EntryChange> drainChanges() {
    if (journal == null) {
      throw new IllegalStateException("changes are not tracked");
    }
    List<EntryChange> out = new ArrayList<>(journal.size());
    for (Map.Entry<String, MappedEntry> e : journal.entrySet()) {
      MappedEntry before = e.getValue();
      MappedEntry after = byKey.get(e.getKey());
      if (!java.util.Objects.equals(before, after)) {
        out.add(new EntryChange(e.getKey(), before, after));
      }
    }
    journal = new HashMap<>(); // not clear(): the table of a full load would stay, walked each time
    return out;
  }

  /** Forgets the changes since the last {@link #drainChanges} (a full read replaces them). */
  public void forgetChanges() {
    if (journal != null) {
      journal = new HashMap<>();
    }
  }

  /** Whether an entry named {@code gateway} does not map (its hunt groups are left out). */
  public boolean isBadGateway(String gateway) {
    return badGateways.containsKey(gateway);
  }

  private void noteChange(String key, MappedEntry before) {
    if (journal != null && !journal.containsKey(key)) {
      journal.put(key, before);
    }
  }

  private void countBad(MappedEntry m, int delta) {
    if (m == null || m.badGateway() == null) {
      return;
    }
    badGateways.merge(m.badGateway(), delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  /**
   * One key's net change.
   *
   * @param before what it held before ({@code null}: nothing)
   * @param after what it holds now ({@code null}: nothing)
   */
  public record EntryChange(String key, MappedEntry before, MappedEntry after) {}

  /**
   * Starts a full refresh: every key present now is marked unseen until it is {@link #put}, {@link
   * #remove}d or {@link #markPresent}; {@link #endSweep} removes those still unseen. So a refresh
   * replaces the set while unchanged entries keep their mapped objects.
   */
  public void beginSweep() {
    unswept = new HashSet<>(byKey.keySet());
  }

  /** Marks {@code key} as still present during a sweep (an RFC 4533 present state). */
  public void markPresent(String key) {
    if (unswept != null) {
      unswept.remove(key);
    }
  }

  /** Whether a sweep is in progress. */
  public boolean sweeping() {
    return unswept != null;
  }

  /**
   * Removes every entry that was not seen since {@link #beginSweep}.
   *
   * @return how many were removed
   */
  public int endSweep() {
    if (unswept == null) {
      return 0;
    }
    Set<String> gone = unswept;
    unswept = null;
    int removed = 0;
    for (String key : gone) {
      if (remove(key)) {
        removed++;
      }
    }
    return removed;
  }

  /** Forgets a sweep without removing anything (a refresh that failed half-way). */
  public void abandonSweep() {
    unswept = null;
  }

  /**
   * Every valid object and a problem for each entry left out: entries that do not map, and hunt
   * groups of gateways that do not. Objects are sorted by name (hunt groups by gateway, then name),
   * problems by DN. Cached until the next change.
   */
  public DirectoryRead read() {
    if (cached == null) {
      cached = EntryAssembly.assemble(byKey.values(), mapper);
    }
    return cached;
  }

  private Map<String, String> dnIndex() {
    if (keyByDn == null) {
      keyByDn = new HashMap<>();
      for (Map.Entry<String, MappedEntry> e : byKey.entrySet()) {
        keyByDn.put(e.getValue().normalizedDn(), e.getKey());
      }
    }
    return keyByDn;
  }
}
