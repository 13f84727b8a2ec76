package org.umgw.directory;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.ObjectKind;
import org.umgw.model.UmServer;

/**
 * One entry and what it maps to: an object, or a problem (and the name of the gateway it
 * invalidates, whose hunt groups are then left out). Kept lean, since a follower holds one per
 * directory entry: the DN as strings, as read (names are taken from it when a rename moves an
 * entry) and normalized ({@code null} when it does not parse), parsed again only for a rename; the
 * raw {@code entry} only when it does not map (the policy's salvage needs it). A server's entry
 * costs about 4 KB on the heap (each value as bytes and as a String, its controls) and a parsed DN
 * 1.3 KB, against 0.2 KB for the object: a follower of 200,000 entries held 1 GB more with them.
 */
public record MappedEntry(
    String dn,
    String normalized,
    Entry entry,
    Object object,
    EntryProblem problem,
    String badGateway) {
  String normalizedDn() {
    return normalized == null ? dn : normalized;
  }

  /** The entry as read, or for a mapped object the entry it maps from (same umgw attributes). */
  Entry raw(EntryMapper mapper) {
    if (entry != null) {
      return entry.duplicate();
    }
    Entry e;
    if (object instanceof Gateway g) {
      e = mapper.toEntry(g);
    } else if (object instanceof HuntGroup h) {
      e = mapper.toEntry(h);
    } else if (object instanceof DialPlan d) {
      e = mapper.toEntry(d);
    } else {
      e = mapper.toEntry((UmServer) object);
    }
    e.setDN(dn);
    return e;
  }

  /** Maps {@code entry}, of {@code kind}: its object, or its problem with the entry kept. */
  static MappedEntry of(EntryMapper mapper, ObjectKind kind, Entry entry) {
    DN parsed = parsedDn(entry);
    String dn = entry.getDN();
    String normalized = parsed == null ? null : parsed.toNormalizedString();
    if (dn.equals(normalized)) {
      dn = normalized; // one string for both (a DN written in lower case)
    }
    try {
      Object object =
          switch (kind) {
            case GATEWAY -> mapper.gateway(entry);
            case HUNT_GROUP -> mapper.huntGroup(entry);
            case DIAL_PLAN -> mapper.dialPlan(entry);
            case SERVER -> mapper.server(entry);
          };
      return new MappedEntry(dn, normalized, null, object, null, null); // no raw entry: the object
    } catch (EntryMappingException e) {
      String badGateway =
          kind == ObjectKind.GATEWAY && parsed != null
              ? DirectoryLayout.cnOf(parsed).orElse(null)
              : null;
      return new MappedEntry(dn, normalized, entry, null, e.problem(), badGateway);
    }
  }

  /** A DN this set parsed before (as read or normalized): it parses again. */
  static DN parse(String dn) {
    try {
      return new DN(dn);
    } catch (LDAPException e) {
      throw new IllegalStateException("DN parsed before does not parse: " + dn, e);
    }
  }

  /**
   * The entry's parsed DN, or {@code null} for a DN that does not parse (the mapper reports it).
   */
  static DN parsedDn(Entry entry) {
    try {
      return entry.getParsedDN();
    } catch (LDAPException e) {
      return null;
    }
  }
}
