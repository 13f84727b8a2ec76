package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.Kamailio;
import org.umgw.testing.KamailioTls;
import org.umgw.testing.ServerProcess;
import org.umgw.testing.TestCa;

/**
 * {@code umgw probe --once} with a real Kamailio (tls module, {@code require_certificate = yes}) as
 * the gateway of a SIPSecured dial plan: Up with {@code --tls-client-cert}, with the certificate's
 * days left in the json and event 9504 under the warning threshold; Down with a TLS reason without.
 */
class ProbeMutualTlsCliTest {
  private static final String GW = "gw-tls.example.test";

  @TempDir static Path tmp;
  private static InMemoryLdap ldap;
  private static Map<String, String> env;
  private static Kamailio kamailio;
  private static TestCa ca;
  private static TestCa.Issued um;
  private static List<String> common;

  @BeforeAll
  static void start() throws Exception {
    ca = TestCa.create(tmp, "probe CA");
    TestCa.Issued gw = ca.issue("gw", GW, List.of(GW));
    um = ca.issue("um", "um.example.test", List.of("um.example.test"));
    // SIPSecured gateways must use 5061: Kamailio gets it on a loopback IP of its own.
    String ip = freeLoopback5061();
    kamailio =
        Kamailio.builder()
            .addressFile(Files.writeString(tmp.resolve("address.list"), "1 127.0.0.0 8 0 um\n"))
            .tls(
                new KamailioTls(
                    gw.chain(),
                    gw.key(),
                    ca.cert(),
                    true,
                    new InetSocketAddress(InetAddresses.forString(ip), 5061)))
            .start();
    ldap = InMemoryLdap.start();
    Path pw = Files.writeString(tmp.resolve("bind.pw"), "secret\n");
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
    ok("init");
    ok(
        "dialplan",
        "new",
        "Lync",
        "--uri-type",
        "E164",
        "--number-of-digits-in-extension",
        "5",
        "--voip-security",
        "SIPSecured");
    ok("gateway", "new", "SBC", "--address", GW, "--dial-plan", "Lync");
    Path hosts = Files.writeString(tmp.resolve("hosts"), ip + " " + GW + "\n");
    common =
        List.of(
            "--dns-server",
            "127.0.0.1:9",
            "--dns-timeout",
            "300",
            "--dns-retries",
            "0",
            "--hosts-file",
            hosts.toString(),
            "--once",
            "--format",
            "json",
            "--deadline",
            "3",
            "--tls-trust-store",
            ca.cert().toString());
  }

  private static String freeLoopback5061() {
    java.util.Random r = new java.util.Random();
    for (int i = 0; i < 50; i++) {
      String ip = "127.0." + (1 + r.nextInt(250)) + "." + (1 + r.nextInt(250));
      if (ServerProcess.tcpFree(ip, 5061)) {
        return ip;
      }
    }
    throw new IllegalStateException("no loopback address with 5061 free");
  }

  @AfterAll
  static void stop() {
    if (kamailio != null) {
      kamailio.close();
    }
    if (ldap != null) {
      ldap.close();
    }
  }

  private static void ok(String... args) {
    CliRun r = CliRun.run(env, List.of(), args);
    assertThat(r.code()).as(r.toString()).isZero();
  }

  private static JsonNode probe(String... extra) throws Exception {
    List<String> prefix = new ArrayList<>(common);
    prefix.addAll(List.of(extra));
    CliRun r = CliRun.run(env, prefix, "probe");
    assertThat(r.code()).as(r.toString()).isZero();
    return new ObjectMapper().readTree(r.out());
  }

  @Test
  void withClientCertificate_up_withDaysLeftAndExpiryEvent() throws Exception {
    JsonNode doc =
        probe("--tls-client-cert", um.chain().toString(), "--tls-client-key", um.key().toString());

    JsonNode gw = doc.get("gateways").get(0);
    assertThat(gw.get("state").asText()).as(doc.toString()).isEqualTo("Up");
    JsonNode a = gw.get("addresses").get(0);
    assertThat(a.get("transport").asText()).isEqualTo("tls");
    assertThat(a.get("code").asInt()).isEqualTo(200);
    assertThat(a.get("certificateDaysLeft").asLong()).isEqualTo(1);
    assertThat(a.get("tlsFailure").isNull()).isTrue();
    assertThat(doc.get("events")).hasSize(1);
    JsonNode ev = doc.get("events").get(0);
    assertThat(ev.get("id").asInt()).isEqualTo(9504);
    assertThat(ev.get("gateway").asText()).isEqualTo("SBC");
    assertThat(ev.get("daysLeft").asInt()).isEqualTo(1);
  }

  @Test
  void warningThresholdBelowDaysLeft_noExpiryEvent() throws Exception {
    JsonNode doc =
        probe(
            "--tls-client-cert",
            um.chain().toString(),
            "--tls-client-key",
            um.key().toString(),
            "--certificate-warning-days",
            "1");

    assertThat(doc.get("gateways").get(0).get("state").asText()).isEqualTo("Up");
    assertThat(doc.get("events")).isEmpty();
  }

  @Test
  void withoutClientCertificate_downWithTlsReason() throws Exception {
    JsonNode doc = probe();

    JsonNode gw = doc.get("gateways").get(0);
    assertThat(gw.get("state").asText()).as(doc.toString()).isEqualTo("Down");
    JsonNode a = gw.get("addresses").get(0);
    assertThat(a.get("failure").asText()).isEqualTo("tls");
    assertThat(a.get("tlsFailure").asText()).isEqualTo("CLIENT_CERTIFICATE_REQUIRED");
    assertThat(a.get("detail").asText())
        .contains("the gateway requires a client certificate and none is configured");
    assertThat(doc.get("events").get(0).get("id").asInt()).isEqualTo(1400);
  }

  @Test
  void clientKeyWithoutCertificate_isAUsageError() {
    List<String> prefix = new ArrayList<>(common);
    prefix.addAll(List.of("--tls-client-key", um.key().toString()));
    CliRun r = CliRun.run(env, prefix, "probe");
    assertThat(r.code()).as(r.toString()).isNotZero();
    assertThat(r.err()).contains("--tls-client-key and its password file need --tls-client-cert");
  }

  @Test
  void missingClientCertificateFile_namesTheFile() {
    List<String> prefix = new ArrayList<>(common);
    prefix.addAll(
        List.of(
            "--tls-client-cert",
            tmp.resolve("nope.pem").toString(),
            "--tls-client-key",
            um.key().toString()));
    CliRun r = CliRun.run(env, prefix, "probe");
    assertThat(r.code()).as(r.toString()).isEqualTo(Main.USAGE);
    assertThat(r.err())
        .contains("--tls-client-cert \"" + tmp.resolve("nope.pem") + "\": no such file");
  }
}
