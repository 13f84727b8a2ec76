package org.umgw.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job: the sample directory's trusted peers on the embedded default. */
class TrustListCliTest {
  @TempDir Path tmp;

  @Test
  void show_sampleDirectory_peersAndEvents() {
    Map<String, String> env = Map.of("UMGW_DATA_DIR", tmp.resolve("data").toString());
    // Tests never query the system resolver: a closed loopback port answers "unreachable".
    List<String> noDns =
        List.of("--dns-server", "127.0.0.1:9", "--dns-timeout", "300", "--dns-retries", "0");
    CliRun r = CliRun.run(env, noDns, "trust-list", "show", "--hosts-file", "/dev/null");
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out())
        .contains("127.0.0.2  5060  tcp        Enabled   Contoso-SBC1")
        .contains("127.0.0.4  5060  tcp        Disabled  Retired-Gateway")
        // Each gateway or server on an IP with its own status, transport and port.
        .contains("Retired-Gateway [Disabled tcp/5060]")
        .contains("UM-Server-02 [server]")
        .contains(
            "event 1175 Warning: IP address 127.0.0.3 is reached by UM IP gateway Fabrikam-Edge")
        .contains("event 1175 Warning: IP address ::1 is reached by UM IP gateway Contoso-PBX");
    // localhost is not in the empty hosts file, and no DNS server answers for it.
    assertThat(r.out()).contains("event 1194");
    CliRun json = CliRun.run(env, noDns, "trust-list", "show", "--format", "json");
    assertThat(json.out())
        .contains("\"address\" : \"127.0.0.1\"")
        .contains("\"fqdns\" : [ \"localhost\" ]")
        .contains("\"transport\" : \"tls\"")
        .contains("\"id\" : 1175");
  }
}
