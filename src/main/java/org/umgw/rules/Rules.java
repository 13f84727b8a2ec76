package org.umgw.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.ObjectRef;
import org.umgw.model.UriType;

/**
 * Every cross-object rule once, as a pure function of the objects it concerns. Callers gather the
 * objects: the validator from the whole directory, the store from targeted reads.
 */
public final class Rules {
  /** Exchange's UM service refuses to start past this many gateways in one dial plan. */
  public static final int MAX_GATEWAYS_PER_DIAL_PLAN = 200;

  /** The SIP over TLS port secured dial plans require (0 means the same). */
  public static final int TLS_PORT = 5061;

  private Rules() {}

  /** Violations for {@code g} sharing its address with another gateway of {@code others}. */
  public static List<RuleViolation> addressUnique(Gateway g, Collection<Gateway> others) {
    return addressHeldBy(
        g,
        others.stream().filter(o -> o.address().equals(g.address())).map(Gateway::name).toList());
  }

  /**
   * Violations for {@code g} sharing its address with the gateways named {@code holders} (all known
   * to hold it; {@code g}'s own name is skipped). For callers that read only the address of the
   * others, whose other values may be unreadable.
   */
  public static List<RuleViolation> addressHeldBy(Gateway g, Collection<String> holders) {
    List<RuleViolation> out = new ArrayList<>();
    for (String other : holders) {
      if (!other.equals(g.name())) {
        out.add(
            new RuleViolation(
                Rule.ADDRESS_UNIQUE,
                g.ref(),
                "umAddress",
                g.address().text(),
                "already the address of " + ObjectRef.gateway(other)));
      }
    }
    return out;
  }

  /**
   * Violations for {@code g} serving {@code dialPlan} when that dial plan uses TLS: the gateway
   * needs an FQDN (the certificate is matched against it) and port 5061.
   */
  public static List<RuleViolation> securedTransport(Gateway g, DialPlan dialPlan) {
    if (!dialPlan.voipSecurity().usesTls()) {
      return List.of();
    }
    List<RuleViolation> out = new ArrayList<>();
    String why = dialPlan.ref() + " is " + dialPlan.voipSecurity();
    if (g.address().isIpLiteral()) {
      out.add(
          new RuleViolation(
              Rule.SECURED_NEEDS_FQDN,
              g.ref(),
              "umAddress",
              g.address().text(),
              why + ": its gateways need an FQDN that matches their TLS certificate"));
    }
    if (g.port() != 0 && g.port() != TLS_PORT) {
      out.add(
          new RuleViolation(
              Rule.SECURED_NEEDS_TLS_PORT,
              g.ref(),
              "umPort",
              Integer.toString(g.port()),
              why + ": its gateways use port " + TLS_PORT + " (or 0 for the default)"));
    }
    return out;
  }

  /** Violations for {@code h} sharing its pilot with a sibling (case-insensitive). */
  public static List<RuleViolation> pilotUnique(HuntGroup h, Collection<HuntGroup> siblings) {
    List<RuleViolation> out = new ArrayList<>();
    for (HuntGroup other : siblings) {
      if (other.gateway().equals(h.gateway())
          && !other.name().equals(h.name())
          && other.pilotKey().equals(h.pilotKey())) {
        out.add(
            new RuleViolation(
                Rule.PILOT_UNIQUE,
                h.ref(),
                "umPilotIdentifier",
                h.pilotIdentifier(),
                (h.isCatchAll() ? "the catch-all (empty) pilot" : "the pilot")
                    + " is already used by "
                    + other.ref()));
      }
    }
    return out;
  }

  /** A violation when {@code gateways}, the gateways of {@code dialPlan}, are too many. */
  public static Optional<RuleViolation> dialPlanCapacity(DialPlan dialPlan, Set<String> gateways) {
    if (gateways.size() <= MAX_GATEWAYS_PER_DIAL_PLAN) {
      return Optional.empty();
    }
    return Optional.of(
        new RuleViolation(
            Rule.DIAL_PLAN_CAPACITY,
            dialPlan.ref(),
            null,
            null,
            gateways.size()
                + " UM IP gateways; at most "
                + MAX_GATEWAYS_PER_DIAL_PLAN
                + " may serve one dial plan"));
  }

  /**
   * Violations when more than one of {@code sipUriGateways}, the gateways serving SIP URI dial
   * plans, allows outcalls: one violation for each such gateway, naming them all.
   */
  public static List<RuleViolation> sipUriOutcalls(Collection<Gateway> sipUriGateways) {
    Set<String> withOutcalls =
        sipUriGateways.stream()
            .filter(Gateway::outcallsAllowed)
            .map(Gateway::name)
            .collect(Collectors.toCollection(TreeSet::new));
    if (withOutcalls.size() <= 1) {
      return List.of();
    }
    String message =
        withOutcalls.size()
            + " UM IP gateways of SIP URI dial plans allow outcalls ("
            + String.join(", ", withOutcalls)
            + "); only one may: set umOutcallsAllowed to FALSE on all but one";
    return withOutcalls.stream()
        .map(
            name ->
                new RuleViolation(
                    Rule.SIP_URI_SINGLE_OUTCALLS_GATEWAY,
                    ObjectRef.gateway(name),
                    "umOutcallsAllowed",
                    "TRUE",
                    message))
        .toList();
  }

  /** {@code true} for the dial plans the SIP URI outcalls rule concerns. */
  public static boolean isSipUri(DialPlan dialPlan) {
    return dialPlan.uriType() == UriType.SipName;
  }

  /** A violation when {@code h} links to a dial plan that is not there. */
  public static Optional<RuleViolation> dialPlanExists(HuntGroup h, Optional<DialPlan> dialPlan) {
    if (dialPlan.isPresent()) {
      return Optional.empty();
    }
    return Optional.of(
        new RuleViolation(
            Rule.DIAL_PLAN_EXISTS,
            h.ref(),
            "umDialPlanLink",
            h.dialPlan(),
            "no such " + ObjectRef.dialPlan(h.dialPlan()).kind().label()));
  }

  /** A violation when {@code dialPlan} still has hunt groups linking to it. */
  public static Optional<RuleViolation> dialPlanRemoval(
      DialPlan dialPlan, Collection<HuntGroup> linking) {
    if (linking.isEmpty()) {
      return Optional.empty();
    }
    String groups =
        linking.stream()
            .map(h -> h.gateway() + "/" + h.name())
            .sorted()
            .limit(5)
            .collect(Collectors.joining(", "));
    return Optional.of(
        new RuleViolation(
            Rule.DIAL_PLAN_IN_USE,
            dialPlan.ref(),
            null,
            null,
            "cannot be removed while "
                + linking.size()
                + " UM hunt group(s) link to it ("
                + groups
                + (linking.size() > 5 ? ", ..." : "")
                + ")"));
  }

  /** Violations for changing what cannot change after creation. */
  public static List<RuleViolation> immutable(DialPlan before, DialPlan after) {
    List<RuleViolation> out = new ArrayList<>();
    if (before.uriType() != after.uriType()) {
      out.add(
          new RuleViolation(
              Rule.IMMUTABLE_ATTRIBUTE,
              before.ref(),
              "umURIType",
              after.uriType().name(),
              "cannot change after creation (it is " + before.uriType() + ")"));
    }
    if (before.numberOfDigitsInExtension() != after.numberOfDigitsInExtension()) {
      out.add(
          new RuleViolation(
              Rule.IMMUTABLE_ATTRIBUTE,
              before.ref(),
              "umNumberOfDigitsInExtension",
              Integer.toString(after.numberOfDigitsInExtension()),
              "cannot change after creation (it is " + before.numberOfDigitsInExtension() + ")"));
    }
    return out;
  }

  /**
   * Enable-UMIPGateway.
   *
   * @throws RuleViolationException when {@code g} is already Enabled
   */
  public static Gateway enable(Gateway g) {
    if (g.status() == GatewayStatus.Enabled) {
      throw transition(g, GatewayStatus.Enabled, "is already enabled");
    }
    return g.withStatus(GatewayStatus.Enabled);
  }

  /**
   * Disable-UMIPGateway: {@code immediate} drops calls (Disabled), otherwise current calls finish
   * (NoNewCalls). Going from NoNewCalls to Disabled is allowed; the reverse is not, nor disabling
   * to the current state.
   *
   * @throws RuleViolationException when the transition is not allowed
   */
  public static Gateway disable(Gateway g, boolean immediate) {
    GatewayStatus target = immediate ? GatewayStatus.Disabled : GatewayStatus.NoNewCalls;
    if (g.status() == GatewayStatus.Disabled) {
      throw transition(g, target, "is already disabled");
    }
    if (g.status() == GatewayStatus.NoNewCalls && !immediate) {
      throw transition(
          g,
          target,
          "already refuses new calls (NoNewCalls); disable it with --immediate to drop the"
              + " calls in progress");
    }
    return g.withStatus(target);
  }

  private static RuleViolationException transition(
      Gateway g, GatewayStatus target, String message) {
    return new RuleViolationException(
        new RuleViolation(Rule.STATUS_TRANSITION, g.ref(), "umStatus", target.name(), message));
  }

  /** Gateways of a dial plan: the distinct parents of the hunt groups linking to it. */
  public static Set<String> gatewaysOf(String dialPlan, Collection<HuntGroup> huntGroups) {
    return huntGroups.stream()
        .filter(h -> Objects.equals(h.dialPlan(), dialPlan))
        .map(HuntGroup::gateway)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
