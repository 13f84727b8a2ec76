package org.umgw.feed;

/** How a {@link DirectoryFeed} learns of changes, best first. */
public enum FeedKind {
  /** RFC 4533 content synchronization in refreshAndPersist mode (OpenLDAP syncprov). */
  SYNCREPL,
  /** Persistent search, draft-ietf-ldapext-psearch (ApacheDS, 389-DS). */
  PERSISTENT_SEARCH,
  /** A changelog read by change number (draft-good-ldap-changelog; the embedded directory). */
  CHANGELOG,
  /** A full read every poll interval. */
  POLLING
}
