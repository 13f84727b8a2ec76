package org.umgw.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.Nsd;

/**
 * Finding 7 of issue 18 through the CLI: a name answered by nsd with {@code 0.0.0.0}, broadcast and
 * multicast addresses exports only its usable address, and says why on stderr (9105).
 */
class RefusedAnswersExportTest {
  private static final String ZONE =
      "$ORIGIN example.test.\n$TTL 300\n@ 3600 IN SOA ns hostmaster 1 3600 600 86400 60\n"
          + "@ NS ns\nns A 127.0.0.1\n"
          + "sbc A 0.0.0.0\nsbc A 255.255.255.255\nsbc A 224.0.0.5\nsbc A 192.0.2.77\n"
          + "sbc AAAA ::\nsbc AAAA 2001:db8::77\n";

  @Test
  void textExport_leavesOutRefusedAnswers_andReportsEach() {
    try (InMemoryLdap ldap = InMemoryLdap.start();
        Nsd nsd = Nsd.start(Map.of("example.test", ZONE))) {
      var pool = ldap.pool();
      DirectoryStore store =
          new DirectoryStore(pool, DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
      store.init();
      store.createDialPlan(DialPlan.of("Plan", UriType.E164, 7));
      store.createGateway(
          Gateway.builder("SBC", "sbc.example.test").ipAddressFamily(IpAddressFamily.Any).build(),
          "Plan");
      pool.close();

      CliRunner.Result r =
          CliRunner.run(
              Map.of(),
              "trust-list",
              "export",
              "--format",
              "text",
              "--out",
              "-",
              "--ldap-url",
              "ldap://127.0.0.1:" + ldap.server().getListenPort(),
              "--dns-server",
              "127.0.0.1:" + nsd.port(),
              "--hosts-file",
              "/dev/null",
              "--dns-timeout",
              "500");

      assertThat(r.code()).as(r.toString()).isZero();
      assertThat(r.out().lines().filter(l -> !l.startsWith("#")))
          .as(r.toString())
          .containsExactlyInAnyOrder("192.0.2.77", "2001:db8::77");
      assertThat(r.err())
          .contains("9105")
          .contains("sbc.example.test")
          .contains("0.0.0.0")
          .contains("::,")
          .contains("255.255.255.255")
          .contains("224.0.0.5");
    }
  }
}
