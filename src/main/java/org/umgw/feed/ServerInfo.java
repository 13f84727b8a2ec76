package org.umgw.feed;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a server's root DSE says about following it: the controls it supports and its changelog.
 *
 * @param controls supported control OIDs
 * @param changelog the changelog base DN, or {@code null}
 * @param firstChangeNumber first change number kept, or -1
 * @param lastChangeNumber last change number, or -1
 */
record ServerInfo(
    Set<String> controls, String changelog, long firstChangeNumber, long lastChangeNumber) {
  static final String CONTENT_SYNC = "1.3.6.1.4.1.4203.1.9.1.1";
  static final String PERSISTENT_SEARCH = "2.16.840.1.113730.3.4.3";

  ServerInfo {
    controls = Set.copyOf(controls);
  }

  /**
   * @throws LDAPException when the root DSE cannot be read
   */
  static ServerInfo read(LDAPConnection connection) throws LDAPException {
    Entry dse =
        connection.getEntry(
            "", "*", "+", "supportedControl", "changelog", "firstChangeNumber", "lastChangeNumber");
    if (dse == null) {
      throw new LDAPException(ResultCode.NO_SUCH_OBJECT, "the server has no root DSE");
    }
    String[] oids = dse.getAttributeValues("supportedControl");
    Set<String> controls = new TreeSet<>();
    if (oids != null) {
      controls.addAll(List.of(oids));
    }
    return new ServerInfo(
        controls,
        dse.getAttributeValue("changelog"),
        number(dse, "firstChangeNumber"),
        number(dse, "lastChangeNumber"));
  }

  private static long number(Entry dse, String attribute) {
    String v = dse.getAttributeValue(attribute);
    try {
      return v == null ? -1 : Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  boolean hasChangelog() {
    return changelog != null && lastChangeNumber >= 0;
  }

  /** The mechanisms this server offers, best first; polling always works. */
  List<FeedKind> offered() {
    List<FeedKind> kinds = new ArrayList<>();
    if (controls.contains(CONTENT_SYNC)) {
      kinds.add(FeedKind.SYNCREPL);
    }
    if (controls.contains(PERSISTENT_SEARCH)) {
      kinds.add(FeedKind.PERSISTENT_SEARCH);
    }
    if (hasChangelog()) {
      kinds.add(FeedKind.CHANGELOG);
    }
    kinds.add(FeedKind.POLLING);
    return kinds;
  }
}
