package org.umgw.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.common.net.InetAddresses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryConfig;
import org.umgw.dns.DnsResolver;
import org.umgw.events.Event;
import org.umgw.testing.SampleSlapd;
import org.umgw.testing.Slapd;

/**
 * The product's promise against real slapd: with two gateways sharing an address written past the
 * CLI (slapd without umgw's overlays accepts it), an administrator's {@code gateway disable
 * --immediate} of an unrelated gateway still reaches the live snapshot, {@code trust-list watch}
 * and the next export.
 */
class FailClosedSlapdTest {
  private static final Duration GENEROUS = Duration.ofSeconds(20);
  @RegisterExtension static final SampleSlapd SAMPLE = new SampleSlapd();
  private static Slapd slapd; // SAMPLE's, named for brevity below
  private static Path hosts;

  @BeforeAll
  static void sample() {
    slapd = SAMPLE.slapd();
    hosts = SAMPLE.hosts();
  }

  private static List<String> connection() {
    return List.of(
        "--ldap-url",
        slapd.url(),
        "--bind-dn",
        slapd.rootDn(),
        "--bind-password-file",
        slapd.rootPasswordFile().toString(),
        "--base-dn",
        slapd.suffix());
  }

  /** A command against slapd; the trust-list ones resolve through the sample's hosts file only. */
  private static CliRunner.Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(connection());
    if (args[0].equals("trust-list")) {
      all.addAll(List.of("--dns-server", "127.0.0.1:9", "--hosts-file", hosts.toString()));
    }
    return CliRunner.run(java.util.Map.of(), all.toArray(String[]::new));
  }

  private static void ldapmodify(String ldif) throws Exception {
    slapd.ldapmodify(ldif);
  }

  @Test
  void anUnrelatedDisable_reachesSnapshotWatchAndExport_whileTwoGatewaysShareAnAddress()
      throws Exception {
    DnsResolver resolver =
        DnsResolver.builder()
            .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
            .hostsFiles(List.of(hosts))
            .timeout(Duration.ofMillis(200))
            .retries(0)
            .build();
    List<Event> events = new CopyOnWriteArrayList<>();
    try (TrustService service =
        TrustService.builder()
            .directory(
                DirectoryConfig.builder(slapd.url())
                    .bind(slapd.rootDn(), slapd.rootPasswordFile())
                    .build())
            .baseDn(slapd.suffix())
            .resolver(resolver)
            .build()) {
      service.addEventListener(events::add);
      service.start();
      var tokyo = InetAddresses.forString("127.0.0.7");
      assertThat(service.admit(tokyo, "", false).accepted()).isTrue();
      CompletableFuture<CliRunner.Result> watch =
          CompletableFuture.supplyAsync(() -> cli("trust-list", "watch", "--count", "2"));
      Thread.sleep(3_000);

      // An LDAP browser user puts the lab simulator on Contoso-SBC1's address.
      ldapmodify(
          "dn: cn=Lab Simulator,ou=gateways,dc=umgw,dc=example\nchangetype: modify\n"
              + "replace: umAddress\numAddress: 127.0.0.2\n");
      await().atMost(GENEROUS).until(() -> service.status().rejection() != null);
      assertThat(service.status().rejection()).contains("ADDRESS_UNIQUE", "Lab Simulator");
      // Contoso-SBC1 was trusted before and still is; the simulator is held back.
      assertThat(service.admit(InetAddresses.forString("127.0.0.2"), "", false).accepted())
          .isTrue();

      CliRunner.Result disable = cli("gateway", "disable", "Tokyo-Gateway", "--immediate");
      assertThat(disable.code()).as(disable.toString()).isZero();
      await().atMost(GENEROUS).until(() -> !service.admit(tokyo, "", false).accepted());

      CliRunner.Result watched = watch.get(60, TimeUnit.SECONDS);
      assertThat(watched.code()).as(watched.toString()).isZero();
      assertThat(watched.out())
          .contains("event 9201", "ADDRESS_UNIQUE")
          .contains("gateway Tokyo-Gateway Enabled -> Disabled: drop calls");

      CliRunner.Result export = cli("trust-list", "export", "--format", "text");
      assertThat(export.code()).as(export.toString()).isZero();
      assertThat(export.out().lines()).doesNotContain("127.0.0.7").contains("127.0.0.1");
      assertThat(export.err()).contains("event 9201", "ADDRESS_UNIQUE", "Lab Simulator");
      CliRunner.Result strict = cli("trust-list", "export", "--format", "text", "--strict");
      assertThat(strict.code()).as(strict.toString()).isEqualTo(1);
    } finally {
      resolver.close();
      ldapmodify(
          "dn: cn=Lab Simulator,ou=gateways,dc=umgw,dc=example\nchangetype: modify\n"
              + "replace: umAddress\numAddress: 127.0.0.5\n");
    }
  }
}
