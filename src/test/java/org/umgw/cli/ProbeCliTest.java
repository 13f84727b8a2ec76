package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.Sipp;
import org.umgw.testing.TestDirectories;

/**
 * {@code umgw probe} in-process against gateways at literal loopback IPs (no DNS): one answered by
 * sipp, one refused by sipp with 403, one where nothing listens.
 */
class ProbeCliTest {
  private static final List<String> NO_DNS =
      List.of(
          "--dns-server",
          "127.0.0.1:9",
          "--dns-timeout",
          "300",
          "--dns-retries",
          "0",
          "--hosts-file",
          "/dev/null");

  private static InMemoryLdap ldap;
  private static Map<String, String> env;
  private static Sipp.Uas ok;
  private static Sipp.Uas refusing;
  private static int dead;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    ldap = InMemoryLdap.start();
    Path pw = tmp.resolve("bind.pw");
    Files.writeString(pw, "secret\n");
    env =
        Map.of(
            "UMGW_LDAP_URL",
            "ldap://127.0.0.1:" + ldap.server().getListenPort(),
            "UMGW_BIND_DN",
            "cn=admin",
            "UMGW_BIND_PASSWORD_FILE",
            pw.toString(),
            "UMGW_BASE_DN",
            DirectoryLayout.DEFAULT_BASE);
    ok = Sipp.uas("127.0.0.1", 0, "u1", 200);
    refusing = Sipp.uas("127.0.0.2", 0, "u1", 403);
    try (DatagramSocket s = new DatagramSocket(0, InetAddress.getByName("127.0.0.3"))) {
      dead = s.getLocalPort();
    }
    ok("init");
    ok("dialplan", "new", "Plan", "--uri-type", "TelExtn", "--number-of-digits-in-extension", "4");
    ok(
        "gateway",
        "new",
        "gw-ok",
        "--address",
        "127.0.0.1",
        "--port",
        Integer.toString(ok.address().getPort()),
        "--dial-plan",
        "Plan");
    ok(
        "gateway",
        "new",
        "gw-refusing",
        "--address",
        "127.0.0.2",
        "--port",
        Integer.toString(refusing.address().getPort()),
        "--dial-plan",
        "Plan");
    ok(
        "gateway",
        "new",
        "gw-dead",
        "--address",
        "127.0.0.3",
        "--port",
        Integer.toString(dead),
        "--dial-plan",
        "Plan");
  }

  @AfterAll
  static void stop() {
    ok.close();
    refusing.close();
    ldap.close();
  }

  /** An in-memory LDAP server with ldif/sample.ldif loaded. */
  private static InMemoryLdap sample() {
    InMemoryLdap sample = InMemoryLdap.start();
    try (var pool = sample.pool()) {
      TestDirectories.load(pool, "ldif/sample.ldif");
    } catch (RuntimeException e) {
      sample.close();
      throw e;
    }
    return sample;
  }

  /** Runs umgw against {@code sample}, resolving the sample's names by its hosts file only. */
  private static CliRun onSample(InMemoryLdap sample, String... args) {
    Map<String, String> sampleEnv = new java.util.HashMap<>(env);
    sampleEnv.put("UMGW_LDAP_URL", "ldap://127.0.0.1:" + sample.server().getListenPort());
    List<String> sampleHosts = new java.util.ArrayList<>(NO_DNS.subList(0, 6));
    sampleHosts.addAll(List.of("--hosts-file", "ldif/sample.hosts"));
    return CliRun.run(sampleEnv, sampleHosts, args);
  }

  private static void ok(String... args) {
    CliRun r = CliRun.run(env, List.of(), args);
    assertThat(r.code()).as(r.toString()).isZero();
  }

  @Test
  void probeOnce_text_printsEachGatewaysStateCodeAndRtt() {
    CliRun r = CliRun.run(env, NO_DNS, "probe", "--once", "--deadline", "1");

    assertThat(r.code()).as(r.toString()).isZero(); // the round ran, even with a Down gateway
    String[] lines = r.out().split("\n");
    assertThat(lines[0])
        .matches("gateway +state +address +port +transport +address state +code +rtt ms +detail");
    assertThat(r.out())
        .containsPattern(
            "gw-dead +Down +127\\.0\\.0\\.3 +"
                + dead
                + " +udp +Down +timeout: no"
                + " final response from udp 127\\.0\\.0\\.3:"
                + dead
                + " within 1000 ms")
        .containsPattern(
            "gw-ok +Up +127\\.0\\.0\\.1 +"
                + ok.address().getPort()
                + " +udp +Up +200 +\\d+\\.\\d +OK")
        .containsPattern(
            "gw-refusing +Degraded +127\\.0\\.0\\.2 +"
                + refusing.address().getPort()
                + " +udp +Degraded +403 +\\d+\\.\\d +Forbidden")
        .contains("3 gateways: 0 Unknown, 1 Up, 1 Degraded, 1 Down")
        .contains(
            "event 1400 Error: UM IP gateway gw-dead does not answer SIP OPTIONS at udp"
                + " 127.0.0.3:"
                + dead);
  }

  @Test
  void probeOnce_json_isOneDocumentWithGatewaysAndEvents() throws Exception {
    CliRun r =
        CliRun.run(
            env,
            NO_DNS,
            "probe",
            "--once",
            "--format",
            "json",
            "--deadline",
            "1",
            "--accept",
            "403");

    assertThat(r.code()).as(r.toString()).isZero();
    JsonNode doc = new ObjectMapper().readTree(r.out());
    JsonNode gws = doc.get("gateways");
    assertThat(gws).hasSize(3);
    assertThat(gws.get(0).get("gateway").asText()).isEqualTo("gw-dead");
    assertThat(gws.get(0).get("state").asText()).isEqualTo("Down");
    JsonNode deadAddr = gws.get(0).get("addresses").get(0);
    assertThat(deadAddr.get("failure").asText()).isEqualTo("timeout");
    assertThat(deadAddr.get("code").isNull()).isTrue();
    JsonNode okAddr = gws.get(1).get("addresses").get(0);
    assertThat(gws.get(1).get("state").asText()).isEqualTo("Up");
    assertThat(okAddr.get("code").asInt()).isEqualTo(200);
    assertThat(okAddr.get("rttMs").asDouble()).isPositive();
    assertThat(okAddr.get("transport").asText()).isEqualTo("udp");
    assertThat(gws.get(2).get("state").asText()).isEqualTo("Up"); // 403 accepted here
    assertThat(doc.get("events")).hasSize(1);
    assertThat(doc.get("events").get(0).get("id").asInt()).isEqualTo(1400);
    assertThat(doc.get("events").get(0).get("gateway").asText()).isEqualTo("gw-dead");
  }

  @Test
  void probe_continuousJson_printsOneTransitionOrEventPerLine() throws Exception {
    CliRun r =
        CliRun.run(
            env,
            NO_DNS,
            "probe",
            "--format",
            "json",
            "--interval",
            "1",
            "--deadline",
            "0.5",
            "--down-after",
            "2",
            "--count",
            "3");

    assertThat(r.code()).as(r.toString()).isZero();
    List<JsonNode> lines = new java.util.ArrayList<>();
    for (String line : r.out().split("\n")) {
      lines.add(new ObjectMapper().readTree(line));
    }
    // round 1: gw-ok Up, gw-refusing Degraded; round 2: gw-dead Down and its event 1400
    assertThat(
            lines.stream()
                .filter(n -> n.has("to"))
                .map(n -> n.get("gateway").asText() + " " + n.get("to").asText()))
        .containsExactlyInAnyOrder("gw-ok Up", "gw-refusing Degraded", "gw-dead Down");
    assertThat(lines.stream().filter(n -> n.has("id")).map(n -> n.get("id").asInt()))
        .containsExactly(1400);
  }

  @Test
  void probe_continuous_followsTheDirectory() throws Exception {
    try (Sipp.Uas added = Sipp.uas("127.0.0.4", 0, "u1", 200)) {
      java.util.concurrent.CompletableFuture<CliRun> probing =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  CliRun.run(
                      env,
                      NO_DNS,
                      "probe",
                      "--interval",
                      "1",
                      "--deadline",
                      "0.5",
                      "--down-after",
                      "2",
                      "--poll-interval",
                      "1",
                      "--count",
                      "4"));
      // The three gateways of the fixture take their first states; then a fourth is added
      // through the directory while probe runs, and is probed without a restart.
      Thread.sleep(2_000);
      ok(
          "gateway",
          "new",
          "gw-added",
          "--address",
          "127.0.0.4",
          "--port",
          Integer.toString(added.address().getPort()),
          "--dial-plan",
          "Plan");
      try {
        CliRun r = probing.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.code()).as(r.toString()).isZero();
        assertThat(r.out())
            .contains("gw-ok Unknown -> Up", "gw-added Unknown -> Up", "gw-dead Unknown -> Down");
      } finally {
        ok("gateway", "remove", "gw-added");
      }
    }
  }

  /**
   * The shipped sample has the NoNewCalls plain gateway Legacy-PBX (pbx.contoso.test, port 0) on
   * 127.0.0.3 beside the TLS gateway Fabrikam-Edge: Legacy-PBX is probed over UDP on 5060, where
   * sipp answers, and is Up; Fabrikam-Edge keeps TLS on 5061. The same holds on ::1 for Contoso-PBX
   * (Building 2).
   */
  @Test
  void probeOnce_sample_plainGatewayOnTheTlsGatewaysIp_isProbedOverUdp5060AndUp() {
    try (InMemoryLdap sample = sample();
        Sipp.Uas legacy = Sipp.uas("127.0.0.3", 5060, "u1", 200)) {
      CliRun r = onSample(sample, "probe", "--once", "--deadline", "1");

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out())
          .containsPattern("Legacy-PBX +Up +127\\.0\\.0\\.3 +5060 +udp +Up +200 ")
          .containsPattern("Fabrikam-Edge +\\w+ +127\\.0\\.0\\.3 +5061 +tls ")
          // The IPv6 literal gateway beside Fabrikam-Edge on ::1 is plain too.
          .containsPattern("Contoso-PBX \\(Building 2\\) +\\w+ +::1 +5060 +udp ")
          .doesNotContain("pbx.contoso.test")
          .doesNotContainPattern("event 1400 .*Legacy-PBX");
    }
  }

  /**
   * Only trusted peers with an address are probed: the sample's Spare-Gateway (no hunt group),
   * Retired-Gateway (Disabled) and Fabrikam-SBC (its name does not resolve here) are named as not
   * probed, each with why, in the text and in the json.
   */
  @Test
  void probeOnce_sample_namesTheGatewaysNotProbed_andWhy() throws Exception {
    try (InMemoryLdap sample = sample()) {
      CliRun text = onSample(sample, "probe", "--once", "--deadline", "1");

      assertThat(text.code()).as(text.toString()).isZero();
      assertThat(text.out())
          .contains(
              "not probed: Spare-Gateway: no hunt group, so it is not a trusted peer and takes no"
                  + " calls (add one: umgw huntgroup new NAME --gateway \"Spare-Gateway\""
                  + " --dial-plan DP)")
          .contains(
              "not probed: Retired-Gateway: Disabled (umgw gateway enable \"Retired-Gateway\"")
          .doesNotContainPattern("(?m)^Spare-Gateway ")
          .doesNotContainPattern("(?m)^Retired-Gateway ");

      CliRun json = onSample(sample, "probe", "--once", "--deadline", "1", "--format", "json");
      assertThat(json.code()).as(json.toString()).isZero();
      JsonNode notProbed = new ObjectMapper().readTree(json.out()).get("notProbed");
      // Fabrikam-SBC's name (localhost) is in neither this hosts file nor any DNS here.
      assertThat(notProbed.findValuesAsText("gateway"))
          .containsExactly("Fabrikam-SBC", "Retired-Gateway", "Spare-Gateway");
      assertThat(notProbed.get(0).get("reason").asText())
          .isEqualTo("its address localhost gave no usable IP (see the events above)");
      assertThat(notProbed.get(2).get("reason").asText()).startsWith("no hunt group");
    }
  }

  @Test
  void probe_badOption_isAUsageErrorNamingTheValue() {
    CliRun r = CliRun.run(env, NO_DNS, "probe", "--once", "--transport", "tls");

    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(r.err()).contains("--transport \"tls\": expected one of udp, tcp");
  }
}
