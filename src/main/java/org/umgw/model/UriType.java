package org.umgw.model;

/**
 * The URI type of a dial plan, fixed at creation. {@link #SipName} is the "SIP URI dial plan" of
 * Lync/Skype integration. Constant names are the exact LDAP values of {@code umURIType}.
 */
public enum UriType {
  TelExtn,
  E164,
  SipName;

  public static UriType parse(String text, ObjectRef object) {
    return Enums.parse(UriType.class, text, object, "umURIType");
  }
}
