package org.umgw.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.rules.Rule;

/** When {@link IncrementalPolicy} decides on the neighbourhood, and when it goes the full way. */
class IncrementalPolicyTest {
  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
  private static final DialPlan EXT = DialPlan.of("ext", UriType.TelExtn, 4);
  private static final Gateway A = Gateway.builder("a", "192.0.2.1").build();
  private static final Gateway B = Gateway.builder("b", "192.0.2.2").build();
  private static final HuntGroup HA = new HuntGroup("a", "hg", "ext", "5000", null);
  private static final HuntGroup HB = new HuntGroup("b", "hg", "ext", "5000", null);

  private static DirectoryRead read(List<Gateway> gateways) {
    return new DirectoryRead(
        new DirectoryContents(List.of(EXT), gateways, List.of(HA, HB), List.of()), List.of());
  }

  @Test
  void aChangeThatKeepsTheRules_isDecidedOnItsNeighbourhood() {
    IncrementalPolicy policy = new IncrementalPolicy(LAYOUT);
    DirectoryRead first = read(List.of(A, B));
    IncrementalPolicy.Outcome start = policy.decide(first, null, null);
    assertThat(start.incremental()).isFalse();
    assertThat(start.decision().whole()).isTrue();

    DirectoryRead next = read(List.of(A.withStatus(GatewayStatus.Disabled), B));
    IncrementalPolicy.Outcome o =
        policy.decide(
            next,
            ContentsDelta.between(first.contents(), next.contents()),
            start.decision().served());
    assertThat(o.incremental()).isTrue();
    assertThat(o.decision().served()).isSameAs(next.contents());
    assertThat(o.servedDelta().gateways())
        .containsExactly(new ContentsDelta.Change<>(A, A.withStatus(GatewayStatus.Disabled)));
  }

  @Test
  void aChangeThatBreaksARule_goesTheFullWay_andIsHeldBack() {
    IncrementalPolicy policy = new IncrementalPolicy(LAYOUT);
    DirectoryRead first = read(List.of(A, B));
    IncrementalPolicy.Outcome start = policy.decide(first, null, null);

    Gateway moved = B.toBuilder().address("192.0.2.1").build();
    DirectoryRead next = read(List.of(A, moved));
    IncrementalPolicy.Outcome o =
        policy.decide(
            next,
            ContentsDelta.between(first.contents(), next.contents()),
            start.decision().served());
    assertThat(o.incremental()).isFalse();
    assertThat(o.decision().violations()).extracting(v -> v.rule()).contains(Rule.ADDRESS_UNIQUE);
    // Fail closed: b is served Disabled at its previous address.
    assertThat(o.decision().served().gateways())
        .contains(B.withStatus(GatewayStatus.Disabled))
        .doesNotContain(moved);
  }
}
