package org.umgw.trust;

import org.umgw.events.Event;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;

/** The answer to "may this call in, and where does it go?". */
public sealed interface Admission permits Admission.Accepted, Admission.Refused {

  boolean accepted();

  /**
   * The call is admitted and routed: the gateway it came from, the hunt group its pilot matched and
   * that hunt group's dial plan. Instances are built with the snapshot, so admitting a call
   * allocates nothing; the peer of the source is {@code lookup(source)}.
   */
  record Accepted(Gateway gateway, HuntGroup huntGroup, DialPlan dialPlan) implements Admission {
    @Override
    public boolean accepted() {
      return true;
    }
  }

  /** Why a call is refused, with the event that says so (already delivered to listeners). */
  enum Reason {
    /** The source is not a trusted peer: SIP 403, event 1021. */
    UNTRUSTED_SOURCE,
    /**
     * The source's gateways are all Disabled or NoNewCalls and no UM server shares the IP: event
     * 1442.
     */
    GATEWAY_NOT_ENABLED,
    /**
     * No hunt group of an Enabled gateway on the source IP matches the pilot and transport (a UM
     * server's IP has none of its own).
     */
    NO_HUNT_GROUP,
    /** Over TLS: the peer's certificate names no trusted gateway (event 9501). */
    CERTIFICATE_NAMES_NO_GATEWAY,
    /**
     * Over TLS: the certificate names a gateway whose resolved addresses do not include the source
     * (event 9502).
     */
    CERTIFICATE_NOT_FROM_GATEWAY,
    /** Over TLS: no certificate, or one outside its validity (event 9503). */
    CERTIFICATE_INVALID
  }

  /** The call is refused. */
  record Refused(Reason reason, Event event) implements Admission {
    @Override
    public boolean accepted() {
      return false;
    }
  }
}
