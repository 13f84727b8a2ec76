package org.umgw.model;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A UM hunt group: a child of its gateway linking it to one dial plan for calls to a pilot.
 *
 * <p>Hunt groups are never modified, only deleted and recreated, as in Exchange.
 *
 * @param gateway name of the parent gateway
 * @param dialPlan name of the linked dial plan
 * @param pilotIdentifier extension, E.164 number or SIP URI user part; empty for the catch-all
 * @param description free text, or {@code null}
 */
public record HuntGroup(
    String gateway, String name, String dialPlan, String pilotIdentifier, String description) {

  /** The hunt group New-UMIPGateway creates when given a dial plan. */
  public static final String DEFAULT_NAME = "Default Hunt Group";

  public static final int MAX_PILOT_LENGTH = 64;

  /**
   * @throws InvalidValueException naming the hunt group, the attribute and the value
   */
  public HuntGroup {
    requireNonNull(gateway, "gateway == null");
    requireNonNull(name, "name == null");
    requireNonNull(dialPlan, "dialPlan == null");
    pilotIdentifier = pilotIdentifier == null ? "" : pilotIdentifier;
    ObjectRef ref = ObjectRef.huntGroup(gateway, name);
    Names.check(ref, name);
    if (dialPlan.isEmpty()) {
      throw new InvalidValueException(ref, "umDialPlanLink", "", "a dial plan is required");
    }
    int length = pilotIdentifier.codePointCount(0, pilotIdentifier.length());
    if (length > MAX_PILOT_LENGTH) {
      throw new InvalidValueException(
          ref,
          "umPilotIdentifier",
          pilotIdentifier,
          "longer than " + MAX_PILOT_LENGTH + " characters (" + length + ")");
    }
    if (!pilotIdentifier.isEmpty() && !pilotIdentifier.strip().equals(pilotIdentifier)) {
      throw new InvalidValueException(
          ref, "umPilotIdentifier", pilotIdentifier, "leading or trailing white space");
    }
  }

  /** The catch-all hunt group New-UMIPGateway creates for {@code gateway} in {@code dialPlan}. */
  public static HuntGroup defaultFor(String gateway, String dialPlan) {
    return new HuntGroup(gateway, DEFAULT_NAME, dialPlan, "", null);
  }

  public ObjectRef ref() {
    return ObjectRef.huntGroup(gateway, name);
  }

  public boolean isCatchAll() {
    return pilotIdentifier.isEmpty();
  }

  /** The pilot as compared: pilots match case-insensitively. */
  public String pilotKey() {
    return pilotIdentifier.toLowerCase(Locale.ROOT);
  }
}
