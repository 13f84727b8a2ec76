package org.umgw.feed;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a content-sync cookie issued by one server may be offered to another.
 *
 * <p>OpenLDAP's cookie is {@code rid=NNN[,sid=NNN],csn=CSN[;CSN...]}: one CSN per provider that
 * made changes, each naming that provider's server ID ({@code 20261205064000.123456Z#000000#001#
 * 000000}: the third field). In multi-provider replication every provider holds the same entries
 * (same entryUUIDs) and the same CSN set in its contextCSN, so a cookie from one is valid on the
 * others; syncprov then sends only what changed since.
 *
 * <p>RFC 4533 makes a server that cannot honour a cookie answer e-syncRefreshRequired (OpenLDAP
 * also answers 53 "consumer state is newer than provider"), and the feed then refreshes in full.
 * But syncprov judges a cookie only by comparing CSNs per server ID: it cannot tell a cookie from
 * an unrelated directory whose CSNs happen to be older than its own, and would resume against
 * entries the feed never received. Two independent servers without server IDs (both 000) are the
 * usual case, so a cookie is offered to another server only when it names at least one non-zero
 * server ID and every one it names is also in that server's contextCSN: the servers share a
 * replication history. Anything else (no contextCSN readable, single-provider replicas without
 * server IDs) gets the safe path, a full refresh.
 */
final class SyncCookies {
  private static final Logger LOG = LoggerFactory.getLogger(SyncCookies.class);

  private SyncCookies() {}

  /** The non-zero server IDs of the CSNs in an OpenLDAP cookie; empty for any other format. */
  static Set<Integer> serverIds(ASN1OctetString cookie) {
    Set<Integer> ids = new TreeSet<>();
    for (String csn : cookieCsns(cookie)) {
      addServerId(csn, ids);
    }
    return ids;
  }

  /**
   * The non-zero server IDs in the contextCSN of the naming context holding {@code base}; empty
   * when none is readable.
   */
  static Set<Integer> contextServerIds(LDAPConnection c, DN base) {
    return serverIdsOf(contextCsns(c, base));
  }

  /**
   * The contextCSN values of the naming context holding {@code base} (read on {@code base}, then
   * its parents); empty when none is readable.
   */
  static List<String> contextCsns(LDAPConnection c, DN base) {
    for (DN dn = base; dn != null && !dn.isNullDN(); dn = dn.getParent()) {
      try {
        Entry e = c.getEntry(dn.toString(), "contextCSN");
        String[] values = e == null ? null : e.getAttributeValues("contextCSN");
        if (values != null) {
          return List.of(values);
        }
      } catch (LDAPException e) {
        LOG.debug("cannot read the contextCSN of {}: {}", dn, e.getMessage());
        return List.of();
      }
    }
    return List.of();
  }

  /**
   * Whether a server with this contextCSN has every change the cookie covers: for each CSN in the
   * cookie, a CSN of the same server ID at least as recent (CSN text orders by time). A provider
   * that returns after an outage is behind until its own consumer has caught up; offering it the
   * cookie sooner makes it refuse (53, "consumer state is newer than provider"), which costs a full
   * refresh.
   */
  static boolean caughtUp(ASN1OctetString cookie, List<String> contextCsns) {
    Map<Integer, String> have = new HashMap<>();
    for (String csn : contextCsns) {
      Integer id = serverId(csn);
      if (id != null) {
        have.merge(id, csn.strip(), (x, y) -> x.compareTo(y) >= 0 ? x : y);
      }
    }
    for (String csn : cookieCsns(cookie)) {
      Integer id = serverId(csn);
      if (id == null) {
        continue;
      }
      String held = have.get(id);
      if (held == null || held.compareTo(csn.strip()) < 0) {
        return false;
      }
    }
    return true;
  }

  private static List<String> cookieCsns(ASN1OctetString cookie) {
    if (cookie == null) {
      return List.of();
    }
    String text = cookie.stringValue();
    int at = text.indexOf("csn=");
    return at < 0 ? List.of() : List.of(text.substring(at + 4).split(";"));
  }

  /**
   * Whether {@code cookie} (from another server) may be offered to a server whose contextCSN names
   * {@code serverIds}.
   */
  static boolean sharesHistory(ASN1OctetString cookie, Set<Integer> serverIds) {
    Set<Integer> named = serverIds(cookie);
    return !named.isEmpty() && serverIds.containsAll(named);
  }

  /**
   * Whether a server whose contextCSN names {@code serverIds} is of the same replication set as the
   * cookie's issuer, though perhaps behind: they have a server ID in common.
   */
  static boolean sameSet(ASN1OctetString cookie, Set<Integer> serverIds) {
    Set<Integer> named = serverIds(cookie);
    named.retainAll(serverIds);
    return !named.isEmpty();
  }

  /** The non-zero server IDs of these CSNs. */
  static Set<Integer> serverIdsOf(List<String> csns) {
    Set<Integer> ids = new TreeSet<>();
    for (String csn : csns) {
      addServerId(csn, ids);
    }
    return ids;
  }

  /**
   * The entryUUID of {@code base} on this server, or null when unreadable. Replicas hold the same
   * entryUUIDs; a server loaded from the same LDIF separately does not, even when it was given a
   * server ID of the replication set (a rebuilt server with a reused ID): syncprov would then
   * accept a cookie and name as unchanged entries the feed never received.
   */
  static String baseUuid(LDAPConnection c, DN base) {
    try {
      Entry e = c.getEntry(base.toString(), "entryUUID");
      return e == null ? null : e.getAttributeValue("entryUUID");
    } catch (LDAPException e) {
      LOG.debug("cannot read the entryUUID of {}: {}", base, e.getMessage());
      return null;
    }
  }

  private static void addServerId(String csn, Set<Integer> ids) {
    Integer id = serverId(csn);
    if (id != null && id != 0) {
      ids.add(id);
    }
  }

  /** The server ID of a CSN ({@code time#count#sid#mod}, sid in hex), or null if not a CSN. */
  private static Integer serverId(String csn) {
    String[] parts = csn.strip().split("#");
    if (parts.length < 3) {
      return null;
    }
    try {
      return Integer.parseInt(parts[2], 16);
    } catch (NumberFormatException e) {
      LOG.debug("not a CSN: {}", csn);
      return null;
    }
  }
}
