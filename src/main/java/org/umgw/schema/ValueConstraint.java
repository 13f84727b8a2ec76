package org.umgw.schema;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * The value set or range of one umgw attribute, as an anchored regular expression that is both a
 * POSIX extended regex (for slapo-constraint) and a {@link Pattern}: the servers umgw configures
 * (slapd through {@code schema --format openldap-overlays}, the embedded directory) refuse the same
 * values.
 *
 * <pre>{@code
 * ValueConstraint.check("umStatus", "Disable");
 * // Optional["expected one of Enabled, Disabled, NoNewCalls"]
 * }</pre>
 *
 * <p>Enumerated values are accepted only in their canonical spelling (the enum constant's name),
 * the one umgw's CLI writes. umgw's reader stays lenient about case, for entries written before the
 * constraints were in place and for servers that have none.
 *
 * @param regex anchored, using only {@code ^ $ | ( ) [0-9] {m,n}}, which mean the same to POSIX ERE
 *     and Java
 * @param expected what is expected, for messages: {@code "expected one of ..."}, {@code "0 to
 *     65535"}
 * @param slapdSyntaxRefuses {@code true} when slapd's attribute syntax already refuses every other
 *     value (LDAP BOOLEAN), so the overlay needs no constraint for it
 */
public record ValueConstraint(
    String attribute, String regex, String expected, boolean slapdSyntaxRefuses) {

  private static final List<ValueConstraint> ALL =
      List.of(
          oneOf("umStatus", GatewayStatus.class),
          oneOf("umIPAddressFamily", IpAddressFamily.class),
          oneOf("umURIType", UriType.class),
          oneOf("umVoIPSecurity", VoipSecurity.class),
          new ValueConstraint(
              "umPort",
              "^(0|[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]"
                  + "|6553[0-5])$",
              "an integer 0 to " + Gateway.MAX_PORT,
              false),
          new ValueConstraint(
              "umNumberOfDigitsInExtension",
              "^([1-9]|1[0-9]|20)$",
              "an integer " + DialPlan.MIN_DIGITS + " to " + DialPlan.MAX_DIGITS,
              false),
          new ValueConstraint("umCountryOrRegionCode", "^[0-9]{1,4}$", "1 to 4 digits", false),
          bool("umOutcallsAllowed"),
          bool("umMessageWaitingIndicatorAllowed"),
          bool("umSimulator"),
          bool("umDelayedSourcePartyInfoEnabled"));

  public ValueConstraint {
    requireNonNull(attribute, "attribute == null");
    requireNonNull(regex, "regex == null");
    requireNonNull(expected, "expected == null");
    if (!regex.startsWith("^") || !regex.endsWith("$")) {
      throw new IllegalArgumentException("regex must be anchored: " + regex);
    }
  }

  /** Every constrained attribute. */
  public static List<ValueConstraint> all() {
    return ALL;
  }

  /** The constraint on {@code attribute} (any case), if it has one. */
  public static Optional<ValueConstraint> of(String attribute) {
    return ALL.stream().filter(c -> c.attribute.equalsIgnoreCase(attribute)).findFirst();
  }

  /**
   * Why {@code value} is not allowed in {@code attribute}, or empty when it is (or when the
   * attribute has no constraint).
   */
  public static Optional<String> check(String attribute, String value) {
    return of(attribute)
        .flatMap(c -> c.accepts(value) ? Optional.empty() : Optional.of(c.expected));
  }

  public boolean accepts(String value) {
    return Pattern.matches(regex, value);
  }

  private static <E extends Enum<E>> ValueConstraint oneOf(String attribute, Class<E> type) {
    List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
    return new ValueConstraint(
        attribute,
        "^(" + String.join("|", names) + ")$",
        "expected one of " + names.stream().collect(Collectors.joining(", ")),
        false);
  }

  private static ValueConstraint bool(String attribute) {
    return new ValueConstraint(
        attribute, "^(TRUE|FALSE)$", "an LDAP BOOLEAN (TRUE or FALSE)", true);
  }
}
