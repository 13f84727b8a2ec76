package org.umgw.embedded;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldif.LDIFWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The directory's content as recovery rebuilds it from the snapshot and the journal, before it is
 * handed to the in-memory server in one import.
 *
 * <p>Entries are keyed by their normalized RDNs from the root down, so that an entry's subtree is
 * one contiguous key range (a deleted or renamed entry takes its subordinates with it) and
 * iteration order puts every parent before its children, as the import requires.
 */
final class DirectoryImage {
  private static final char SEPARATOR = '\u0000';
  private static final char AFTER_ALL = '\uffff';

  private final TreeMap<String, Entry> entries = new TreeMap<>();

  /** Stores {@code entry} as the entry's whole state, replacing any earlier version. */
  void put(Entry entry) throws LDAPException {
    entries.put(key(entry.getParsedDN()), entry);
  }

  /** Removes the entry at {@code dn} and everything below it. */
  void removeSubtree(DN dn) {
    String k = key(dn);
    entries.subMap(k, true, k + AFTER_ALL, false).clear();
  }

  boolean contains(DN dn) {
    return entries.containsKey(key(dn));
  }

  Entry get(DN dn) {
    return entries.get(key(dn));
  }

  /** Whether the parent of {@code dn} is present (always true for an entry given as a base). */
  boolean hasParent(DN dn) {
    DN parent = dn.getParent();
    return parent != null && contains(parent);
  }

  int size() {
    return entries.size();
  }

  /** The entries, parents before children. */
  Collection<Entry> entries() {
    return Collections.unmodifiableCollection(entries.values());
  }

  /** The subtree at {@code dn}, parents before children. */
  NavigableMap<String, Entry> subtree(DN dn) {
    String k = key(dn);
    return Collections.unmodifiableNavigableMap(entries.subMap(k, true, k + AFTER_ALL, false));
  }

  /** The entries as LDIF, parents before children, for {@code importFromLDIF}. */
  byte[] toLdif() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (LDIFWriter writer = new LDIFWriter(out)) {
      for (Entry e : entries.values()) {
        writer.writeEntry(e);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String key(DN dn) {
    RDN[] rdns = dn.getRDNs();
    StringBuilder k = new StringBuilder();
    for (int i = rdns.length - 1; i >= 0; i--) {
      k.append(rdns[i].toNormalizedString()).append(SEPARATOR);
    }
    return k.toString();
  }
}
