package org.umgw.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectoryContentsTest {

  private static Gateway gw(String name) {
    return Gateway.builder(name, "192.0.2.1").build();
  }

  private static DirectoryContents contents(int gateways) {
    List<Gateway> list = new ArrayList<>();
    for (int i = 0; i < gateways; i++) {
      list.add(gw(String.format("gw-%05d", i)));
    }
    return new DirectoryContents(
        List.of(DialPlan.of("A", UriType.TelExtn, 5), DialPlan.of("B", UriType.TelExtn, 5)),
        list,
        List.of(),
        List.of());
  }

  @Test
  void gatewayAndDialPlan_byName_onPlainAndPersistentLists() {
    DirectoryContents plain = contents(1000);
    Gateway changed = Gateway.builder("gw-00500", "192.0.2.9").build();
    DirectoryContents persistent =
        plain.apply(
            new ContentsDelta(
                List.of(),
                List.of(new ContentsDelta.Change<>(gw("gw-00500"), changed)),
                List.of(),
                List.of()));
    for (DirectoryContents c : List.of(plain, persistent)) {
      assertThat(c.gateway("gw-00000")).contains(gw("gw-00000"));
      assertThat(c.gateway("gw-00999")).contains(gw("gw-00999"));
      assertThat(c.gateway("gw-01000")).isEmpty();
      assertThat(c.gateway("gw-0050")).isEmpty();
      assertThat(c.gateway("")).isEmpty();
      assertThat(c.dialPlan("B")).map(DialPlan::name).contains("B");
      assertThat(c.dialPlan("C")).isEmpty();
    }
    assertThat(plain.gateway("gw-00500")).contains(gw("gw-00500"));
    assertThat(persistent.gateway("gw-00500")).contains(changed);
    assertThat(DirectoryContents.empty().gateway("gw-00000")).isEmpty();
  }
}
