package org.umgw.migration;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.Entry;

/** One record of an Exchange source: an entry, or a record that could not be read. */
public sealed interface SourceRecord {

  /** An entry as Exchange's directory holds it. */
  record Found(Entry entry) implements SourceRecord {
    public Found {
      requireNonNull(entry, "entry == null");
    }
  }

  /**
   * A record the LDIF reader refused (bad syntax, bad base64), reported and skipped.
   *
   * @param where its DN when the record names one, else {@code line N}
   */
  record Unreadable(String where, String reason) implements SourceRecord {
    public Unreadable {
      requireNonNull(where, "where == null");
      requireNonNull(reason, "reason == null");
    }
  }

  /**
   * A change record other than an add (modify, delete, moddn), which an export never holds:
   * ignored.
   */
  record OtherChange(String dn, String changeType) implements SourceRecord {
    public OtherChange {
      requireNonNull(dn, "dn == null");
      requireNonNull(changeType, "changeType == null");
    }
  }
}
