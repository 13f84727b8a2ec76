package org.umgw.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.ObjectRef;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

class DirectoryValidatorTest {
  private static final DialPlan TEL = DialPlan.of("tel", UriType.TelExtn, 5);
  private static final DialPlan SIP = DialPlan.of("sip", UriType.SipName, 5);
  private static final DialPlan SECURE =
      DialPlan.of("secure", UriType.TelExtn, 5).withVoipSecurity(VoipSecurity.Secured);

  private static Gateway gw(String name, String address) {
    return Gateway.builder(name, address).build();
  }

  private static DirectoryContents dir(List<Gateway> gws, List<HuntGroup> hgs) {
    return new DirectoryContents(List.of(TEL, SIP, SECURE), gws, hgs, List.of());
  }

  @Test
  void validDirectory_noViolation() {
    assertThat(
            DirectoryValidator.validate(
                dir(
                    List.of(gw("a", "192.0.2.1"), gw("b", "b.example.test")),
                    List.of(
                        HuntGroup.defaultFor("a", "tel"),
                        HuntGroup.defaultFor("b", "secure"),
                        new HuntGroup("b", "p", "sip", "pilot", null)))))
        .isEmpty();
  }

  @Test
  void everyBrokenRuleIsReported_sortedByObject() {
    List<RuleViolation> v =
        DirectoryValidator.validate(
            dir(
                List.of(
                    gw("a", "192.0.2.1"),
                    gw("b", "192.0.2.1"),
                    gw("c", "c.example.test"),
                    gw("d", "d.example.test")),
                List.of(
                    HuntGroup.defaultFor("a", "secure"),
                    new HuntGroup("a", "other", "tel", "", null),
                    HuntGroup.defaultFor("c", "sip"),
                    HuntGroup.defaultFor("d", "sip"),
                    new HuntGroup("d", "x", "gone", "1", null),
                    new HuntGroup("ghost", "y", "tel", "", null))));
    assertThat(v)
        .extracting(RuleViolation::rule, RuleViolation::object)
        .containsExactly(
            tuple(Rule.ADDRESS_UNIQUE, ObjectRef.gateway("a")),
            tuple(Rule.SECURED_NEEDS_FQDN, ObjectRef.gateway("a")),
            tuple(Rule.ADDRESS_UNIQUE, ObjectRef.gateway("b")),
            tuple(Rule.SIP_URI_SINGLE_OUTCALLS_GATEWAY, ObjectRef.gateway("c")),
            tuple(Rule.SIP_URI_SINGLE_OUTCALLS_GATEWAY, ObjectRef.gateway("d")),
            tuple(Rule.PILOT_UNIQUE, ObjectRef.huntGroup("a", "Default Hunt Group")),
            tuple(Rule.PILOT_UNIQUE, ObjectRef.huntGroup("a", "other")),
            tuple(Rule.DIAL_PLAN_EXISTS, ObjectRef.huntGroup("d", "x")),
            tuple(Rule.GATEWAY_EXISTS, ObjectRef.huntGroup("ghost", "y")));
  }

  @Test
  void capacity_countsDistinctGateways() {
    List<Gateway> gws = new ArrayList<>();
    List<HuntGroup> hgs = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      gws.add(gw("g" + i, "10.0." + (i / 250) + "." + (i % 250 + 1)));
      hgs.add(HuntGroup.defaultFor("g" + i, "tel"));
      hgs.add(new HuntGroup("g" + i, "second", "tel", "p" + i, null));
    }
    assertThat(DirectoryValidator.validate(dir(gws, hgs))).isEmpty();
    gws.add(gw("one-more", "10.9.9.9"));
    hgs.add(HuntGroup.defaultFor("one-more", "tel"));
    assertThat(DirectoryValidator.validate(dir(gws, hgs)))
        .extracting(RuleViolation::toString)
        .containsExactly(
            "UM dial plan \"tel\": 201 UM IP gateways; at most 200 may serve one dial plan");
  }
}
