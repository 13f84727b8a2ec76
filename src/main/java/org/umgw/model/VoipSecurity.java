package org.umgw.model;

/**
 * VoIP security of a dial plan: {@link #SIPSecured} is mutual TLS for signalling, {@link #Secured}
 * adds SRTP. Constant names are the exact LDAP values of {@code umVoIPSecurity}.
 */
public enum VoipSecurity {
  Unsecured,
  SIPSecured,
  Secured;

  public static VoipSecurity parse(String text, ObjectRef object) {
    return Enums.parse(VoipSecurity.class, text, object, "umVoIPSecurity");
  }

  /** Signalling runs over TLS, so gateways need an FQDN matching their certificate. */
  public boolean usesTls() {
    return this != Unsecured;
  }
}
