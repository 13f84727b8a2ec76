package org.umgw.rules;

/** Each rule a write can break or the validator can report. */
public enum Rule {
  /** Two gateways with one address. */
  ADDRESS_UNIQUE,
  /** A gateway of a SIPSecured or Secured dial plan addressed by an IP literal. */
  SECURED_NEEDS_FQDN,
  /** A gateway of a SIPSecured or Secured dial plan on a port other than 5061. */
  SECURED_NEEDS_TLS_PORT,
  /** Two hunt groups of one gateway with the same pilot (case-insensitive; empty included). */
  PILOT_UNIQUE,
  /** More than 200 gateways in one dial plan. */
  DIAL_PLAN_CAPACITY,
  /** More than one gateway of the SIP URI dial plans with outcalls allowed. */
  SIP_URI_SINGLE_OUTCALLS_GATEWAY,
  /** A hunt group linked to a dial plan that does not exist. */
  DIAL_PLAN_EXISTS,
  /** A hunt group whose gateway does not exist. */
  GATEWAY_EXISTS,
  /** A dial plan removed while hunt groups link to it. */
  DIAL_PLAN_IN_USE,
  /** URIType or NumberOfDigitsInExtension changed after creation. */
  IMMUTABLE_ATTRIBUTE,
  /** Enable or disable to the state the gateway is already in. */
  STATUS_TRANSITION
}
