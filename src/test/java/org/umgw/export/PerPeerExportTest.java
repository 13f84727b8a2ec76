package org.umgw.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmServer;
import org.umgw.model.UriType;
import org.umgw.trust.TrustSnapshot;

/**
 * Allow-list membership is per peer on an IP: a UM server keeps its IP in every format even when a
 * Disabled gateway shares it, and the json shows each member's own status, transport and port.
 */
class PerPeerExportTest {
  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  /** Disabled gateway "retired" and UM server "um-shared" on 192.0.2.20; "off" alone on .21. */
  private static TrustList list() {
    DialPlan plan = DialPlan.of("Plan", UriType.TelExtn, 4);
    TrustSnapshot s =
        TrustSnapshot.build(
            new DirectoryContents(
                List.of(plan),
                List.of(
                    Gateway.builder("retired", "192.0.2.20").status(GatewayStatus.Disabled).build(),
                    Gateway.builder("off", "192.0.2.21").status(GatewayStatus.Disabled).build()),
                List.of(
                    HuntGroup.defaultFor("retired", "Plan"), HuntGroup.defaultFor("off", "Plan")),
                List.of(UmServer.of("um-shared", "https://192.0.2.20/EWS/Exchange.asmx", null))),
            Map.of(),
            NOW);
    return TrustList.of(s, s.duplicates(), NOW);
  }

  @ParameterizedTest
  @EnumSource(
      value = ExportFormat.class,
      names = {"text", "kamailio", "nftables", "freeswitch", "asterisk"})
  void allowLists_keepAServersIp_besideADisabledGateway(ExportFormat format) {
    String out = Renderer.render(format, list(), ExportOptions.defaults());

    assertThat(out).contains("192.0.2.20").doesNotContain("192.0.2.21");
  }

  @Test
  void kamailioAndAsterisk_nameTheServer_notTheDisabledGateway() {
    assertThat(Renderer.render(ExportFormat.kamailio, list(), ExportOptions.defaults()))
        .contains(" 192.0.2.20 32 0 um-shared\n");
    assertThat(Renderer.render(ExportFormat.asterisk, list(), ExportOptions.defaults()))
        .contains("endpoint=um-shared\n")
        .doesNotContain("endpoint=retired");
  }

  @Test
  void json_showsEachMembersOwnStatusTransportAndPort_andEvent1175() throws Exception {
    JsonNode doc =
        new ObjectMapper()
            .readTree(Renderer.render(ExportFormat.json, list(), ExportOptions.defaults()));

    JsonNode shared = doc.get("peers").get(0);
    assertThat(shared.get("address").asText()).isEqualTo("192.0.2.20");
    assertThat(shared.get("status").asText()).isEqualTo("Enabled");
    assertThat(shared.get("members")).hasSize(2);
    JsonNode gw = shared.get("members").get(0);
    assertThat(gw.get("kind").asText()).isEqualTo("gateway");
    assertThat(gw.get("name").asText()).isEqualTo("retired");
    assertThat(gw.get("status").asText()).isEqualTo("Disabled");
    assertThat(gw.get("transport").asText()).isEqualTo("tcp");
    assertThat(gw.get("port").asInt()).isEqualTo(5060);
    assertThat(gw.get("allowListed").asBoolean()).isFalse();
    JsonNode server = shared.get("members").get(1);
    assertThat(server.get("kind").asText()).isEqualTo("server");
    assertThat(server.get("name").asText()).isEqualTo("um-shared");
    assertThat(server.get("allowListed").asBoolean()).isTrue();
    JsonNode alone = doc.get("peers").get(1);
    assertThat(alone.get("address").asText()).isEqualTo("192.0.2.21");
    assertThat(alone.get("status").asText()).isEqualTo("Disabled");
    assertThat(doc.get("events"))
        .extracting(e -> e.get("id").asInt(), e -> e.get("address").asText())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1175, "192.0.2.20"));
  }
}
