package org.umgw.migration;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.umgw.directory.EntryMapper;
import org.umgw.model.GatewayStatus;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * Everything umgw knows about how Exchange stores UM objects in Active Directory: object classes,
 * attribute names, integer encodings and flag bits. docs/migration.md carries the same table; a
 * correction is one line here and one row there.
 *
 * <p>Sources: Microsoft's Exchange 2013/2016 documentation, the UM cmdlet reference and public
 * analyses of Exchange's directory schema. The status integers are the least certain.
 */
public final class ExchangeTable {
  private ExchangeTable() {}

  // ---------------------------------------------------------------- object classes

  public static final String OC_GATEWAY = "msExchUMIPGateway";
  public static final String OC_HUNT_GROUP = "msExchUMHuntGroup";
  public static final String OC_DIAL_PLAN = "msExchUMDialPlan";

  /** The classes imported; any other object in an export is counted and ignored. */
  public static final List<String> IMPORTED_CLASSES =
      List.of(OC_DIAL_PLAN, OC_GATEWAY, OC_HUNT_GROUP);

  // ---------------------------------------------------------------- attributes

  public static final String NAME = "cn";
  public static final String ADDRESS = "msExchUMIPGatewayAddress";
  public static final String PORT = "msExchUMIPGatewayPort";
  public static final String STATUS = "msExchUMIPGatewayStatus";
  public static final String OUTCALLS = "msExchUMOutcallsAllowed";
  public static final String FLAGS = "msExchUMIPGatewayFlags";
  public static final String FLAGS2 = "msExchUMIPGatewayFlags2";
  public static final String PILOT = "msExchUMPilotIdentifier";
  public static final String DIAL_PLAN_LINK = "msExchUMHuntGroupDialPlanLink";
  public static final String URI_TYPE = "msExchUMDialPlanURIType";
  public static final String DIGITS = "msExchUMNumberingPlanDigits";
  public static final String VOIP_SECURITY = "msExchUMDialPlanVoipSecurity";
  public static final String COUNTRY_CODE = "msExchUMCountryCode";
  public static final String PILOT_NUMBERS = "msExchUMVoiceMailPilotNumbers";

  /** The attributes read from a live directory (everything else of an entry is not needed). */
  public static final String[] READ_ATTRIBUTES = {
    "objectClass",
    NAME,
    ADDRESS,
    PORT,
    STATUS,
    OUTCALLS,
    FLAGS,
    FLAGS2,
    PILOT,
    DIAL_PLAN_LINK,
    URI_TYPE,
    DIGITS,
    VOIP_SECURITY,
    COUNTRY_CODE,
    PILOT_NUMBERS
  };

  // ---------------------------------------------------------------- encodings

  /** {@code msExchUMIPGatewayStatus}; absent means Enabled. */
  public static final Map<Integer, GatewayStatus> STATUS_VALUES =
      Map.of(
          0, GatewayStatus.Enabled,
          1, GatewayStatus.Disabled,
          2, GatewayStatus.NoNewCalls);

  /** {@code msExchUMDialPlanURIType}; absent means TelExtn. */
  public static final Map<Integer, UriType> URI_TYPE_VALUES =
      Map.of(
          1, UriType.TelExtn,
          2, UriType.E164,
          3, UriType.SipName);

  /** {@code msExchUMDialPlanVoipSecurity}; absent means Unsecured. */
  public static final Map<Integer, VoipSecurity> VOIP_SECURITY_VALUES =
      Map.of(
          1, VoipSecurity.SIPSecured,
          2, VoipSecurity.Unsecured,
          3, VoipSecurity.Secured);

  /** {@code msExchUMIPGatewayFlags} when absent: no bit set. */
  public static final int FLAGS_ABSENT = 0;

  /** {@code msExchUMIPGatewayFlags2} when absent: every bit set. */
  public static final int FLAGS2_ABSENT = -1;

  /** One bit of a flags attribute and the gateway property it carries. */
  public enum Flag {
    SIMULATOR(FLAGS, 0x1),
    DELAYED_SOURCE_PARTY_INFO(FLAGS, 0x2),
    IPV6_ENABLED(FLAGS, 0x4),
    MESSAGE_WAITING_INDICATOR(FLAGS2, 0x1),
    IPV4_ENABLED(FLAGS2, 0x2);

    private final String attribute;
    private final int bit;

    Flag(String attribute, int bit) {
      this.attribute = attribute;
      this.bit = bit;
    }

    public String attribute() {
      return attribute;
    }

    public int bit() {
      return bit;
    }

    public boolean in(int flags) {
      return (flags & bit) != 0;
    }
  }

  /**
   * The Exchange attribute behind a umgw attribute, so that a refusal by a umgw rule names what an
   * Exchange administrator sees.
   */
  private static final Map<String, String> UMGW_TO_EXCHANGE =
      Map.ofEntries(
          Map.entry("cn", NAME),
          Map.entry(EntryMapper.ADDRESS, ADDRESS),
          Map.entry(EntryMapper.PORT, PORT),
          Map.entry(EntryMapper.FAMILY, FLAGS + "/" + FLAGS2),
          Map.entry(EntryMapper.STATUS, STATUS),
          Map.entry(EntryMapper.OUTCALLS, OUTCALLS),
          Map.entry(EntryMapper.MWI, FLAGS2),
          Map.entry(EntryMapper.SIMULATOR, FLAGS),
          Map.entry(EntryMapper.DELAYED_INFO, FLAGS),
          Map.entry(EntryMapper.DIAL_PLAN_LINK, DIAL_PLAN_LINK),
          Map.entry(EntryMapper.PILOT, PILOT),
          Map.entry(EntryMapper.URI_TYPE, URI_TYPE),
          Map.entry(EntryMapper.DIGITS, DIGITS),
          Map.entry(EntryMapper.SECURITY, VOIP_SECURITY),
          Map.entry(EntryMapper.COUNTRY, COUNTRY_CODE),
          Map.entry(EntryMapper.ACCESS_NUMBER, PILOT_NUMBERS));

  /** The Exchange attribute carrying {@code umgwAttribute}, if there is one. */
  public static Optional<String> exchangeAttribute(String umgwAttribute) {
    return umgwAttribute == null
        ? Optional.empty()
        : Optional.ofNullable(UMGW_TO_EXCHANGE.get(umgwAttribute));
  }
}
