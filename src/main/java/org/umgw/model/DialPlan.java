package org.umgw.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A UM dial plan. Its URI type and number of digits are fixed at creation.
 *
 * @param countryOrRegionCode 1 to 4 digits, or {@code null}
 * @param description free text, or {@code null}
 */
public record DialPlan(
    String name,
    UriType uriType,
    int numberOfDigitsInExtension,
    VoipSecurity voipSecurity,
    String countryOrRegionCode,
    List<String> accessTelephoneNumbers,
    String description) {

  public static final int MIN_DIGITS = 1;
  public static final int MAX_DIGITS = 20;

  /**
   * @throws InvalidValueException naming the dial plan, the attribute and the value
   */
  public DialPlan {
    requireNonNull(name, "name == null");
    requireNonNull(uriType, "uriType == null");
    requireNonNull(voipSecurity, "voipSecurity == null");
    accessTelephoneNumbers = List.copyOf(accessTelephoneNumbers);
    ObjectRef ref = ObjectRef.dialPlan(name);
    Names.check(ref, name);
    if (numberOfDigitsInExtension < MIN_DIGITS || numberOfDigitsInExtension > MAX_DIGITS) {
      throw new InvalidValueException(
          ref,
          "umNumberOfDigitsInExtension",
          Integer.toString(numberOfDigitsInExtension),
          "must be " + MIN_DIGITS + " to " + MAX_DIGITS);
    }
    if (countryOrRegionCode != null && !countryOrRegionCode.matches("[0-9]{1,4}")) {
      throw new InvalidValueException(
          ref, "umCountryOrRegionCode", countryOrRegionCode, "must be 1 to 4 digits");
    }
    for (String number : accessTelephoneNumbers) {
      if (number.isBlank() || !number.matches("[+0-9 ()./-]+")) {
        throw new InvalidValueException(
            ref,
            "umAccessTelephoneNumber",
            number,
            "a telephone number is digits with an optional + and separators");
      }
    }
  }

  /** An Unsecured dial plan without country code, access numbers or description. */
  public static DialPlan of(String name, UriType uriType, int numberOfDigitsInExtension) {
    return new DialPlan(
        name, uriType, numberOfDigitsInExtension, VoipSecurity.Unsecured, null, List.of(), null);
  }

  public ObjectRef ref() {
    return ObjectRef.dialPlan(name);
  }

  public DialPlan withVoipSecurity(VoipSecurity value) {
    return new DialPlan(
        name,
        uriType,
        numberOfDigitsInExtension,
        value,
        countryOrRegionCode,
        accessTelephoneNumbers,
        description);
  }
}
