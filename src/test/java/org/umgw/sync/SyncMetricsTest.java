package org.umgw.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.testing.SampleSlapd;

/**
 * {@code --metrics-listen} of {@code trust-list sync}: what {@code /metrics} serves passes {@code
 * promtool check metrics} (Debian's prometheus package), and after a known sequence of directory
 * changes and reload failures each metric has the value that sequence implies; {@code /healthz}
 * follows the consumer.
 */
class SyncMetricsTest {
  @RegisterExtension static final SampleSlapd SAMPLE = new SampleSlapd();
  @TempDir Path dir;

  @Test
  void metricsPassPromtool_andCountWhatHappened() throws Exception {
    Instant started = Instant.now();
    Path file = dir.resolve("trusted.txt");
    Path failFlag = dir.resolve("consumer-down");
    List<String> args = new ArrayList<>(SyncRun.directory(SAMPLE.slapd(), SAMPLE.hosts()));
    // The consumer: a command that fails while the flag file exists.
    args.addAll(
        List.of(
            "--format",
            "text",
            "--out",
            file.toString(),
            "--reload-command",
            "test ! -e " + failFlag,
            "--allow-shrink"));
    try (SyncRun sync = SyncRun.start(args)) {
      await("started\n" + sync)
          .atMost(Duration.ofSeconds(30))
          .until(() -> sync.err().contains("event 9605"));
      assertThat(sync.get("/healthz").status()).isEqualTo(200);
      String first = sync.get("/metrics").body();
      PromtoolCheck.check(first);
      // The sample: 7 IPv4 addresses and ::1 admitted; Retired-Gateway's 127.0.0.4 is a peer
      // (Disabled, so it gets 1442) but admitted by no allow-list.
      assertThat(value(first, "umgw_trusted_addresses{family=\"ipv4\"}")).isEqualTo(7);
      assertThat(value(first, "umgw_trusted_addresses{family=\"ipv6\"}")).isEqualTo(1);
      assertThat(value(first, "umgw_trusted_peers")).isEqualTo(9);
      assertThat(value(first, "umgw_directory_connected")).isEqualTo(1);
      assertThat(value(first, "umgw_reloads_total{result=\"success\"}")).isEqualTo(1);
      assertThat(value(first, "umgw_reloads_total{result=\"failure\"}")).isEqualTo(0);
      assertThat(value(first, "umgw_last_change_timestamp_seconds"))
          .isGreaterThanOrEqualTo(started.getEpochSecond() - 1);

      // 1: Spare-Gateway linked (one more address).
      linkSpare();
      await().atMost(Duration.ofSeconds(10)).until(() -> count(sync.err(), "event 9605") == 2);
      // 2: the consumer is down when Contoso-SBC1 is disabled: the reload fails, is retried.
      Files.writeString(failFlag, "");
      setStatus("Contoso-SBC1", "Disabled");
      await().atMost(Duration.ofSeconds(10)).until(() -> count(sync.err(), "event 9602") >= 2);
      assertThat(sync.get("/healthz").status()).isEqualTo(503);
      assertThat(sync.get("/healthz").body()).contains("exited 1");
      // 3: the consumer is back: the retry takes the file.
      Files.delete(failFlag);
      await().atMost(Duration.ofSeconds(20)).until(() -> sync.err().contains("event 9603"));
      assertThat(sync.get("/healthz").status()).isEqualTo(200);

      String after = sync.get("/metrics").body();
      PromtoolCheck.check(after);
      long failures = count(sync.err(), "event 9602");
      assertThat(value(after, "umgw_trusted_addresses{family=\"ipv4\"}")).isEqualTo(7);
      assertThat(value(after, "umgw_trusted_peers")).isEqualTo(10);
      assertThat(value(after, "umgw_reloads_total{result=\"success\"}")).isEqualTo(3);
      assertThat(value(after, "umgw_reloads_total{result=\"failure\"}")).isEqualTo(failures);
      // Written at start and for each of the two changes: never for a timestamp alone.
      assertThat(value(after, "umgw_events_total{id=\"9601\"}")).isEqualTo(3);
      assertThat(value(after, "umgw_events_total{id=\"9602\"}")).isEqualTo(failures);
      assertThat(value(after, "umgw_events_total{id=\"9603\"}")).isEqualTo(1);
      assertThat(value(after, "umgw_events_total{id=\"1424\"}")).isGreaterThanOrEqualTo(2);
      assertThat(value(after, "umgw_dns_failures_total")).isEqualTo(0);
      assertThat(value(after, "umgw_last_change_timestamp_seconds"))
          .isGreaterThan(value(first, "umgw_last_change_timestamp_seconds"));
      assertThat(Files.readString(file)).contains("127.0.0.6").doesNotContain("127.0.0.2\n");
    } finally {
      setStatus("Contoso-SBC1", "Enabled");
      unlinkSpareIfLinked();
    }
  }

  /** The value of the sample named exactly {@code series} (name and labels as exposed). */
  static double value(String exposition, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)").matcher(exposition);
    assertThat(m.find()).as(series + " in\n" + exposition).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private static void linkSpare() throws Exception {
    SAMPLE
        .slapd()
        .ldapmodify(
            """
        dn: cn=Default Hunt Group,cn=Spare-Gateway,ou=gateways,dc=umgw,dc=example
        changetype: add
        objectClass: top
        objectClass: umHuntGroup
        cn: Default Hunt Group
        umDialPlanLink: cn=Contoso Extensions,ou=dialplans,dc=umgw,dc=example
        """);
  }

  private static void setStatus(String gateway, String status) throws Exception {
    SAMPLE
        .slapd()
        .ldapmodify(
            "dn: cn="
                + gateway
                + ",ou=gateways,dc=umgw,dc=example\nchangetype: modify\nreplace: umStatus\numStatus: "
                + status
                + "\n");
  }

  private static long count(String text, String what) {
    return KamailioSyncTest.count(text, what);
  }

  /** Test cleanup: the hunt group may not have been added when the test failed early. */
  static void unlinkSpareIfLinked() throws Exception {
    Path change = Files.createTempFile("unlink-", ".ldif");
    Files.writeString(
        change,
        "dn: cn=Default Hunt Group,cn=Spare-Gateway,ou=gateways,dc=umgw,dc=example\n"
            + "changetype: delete\n");
    SAMPLE.slapd().ldapTool("ldapmodify", "-c", "-f", change.toString());
    Files.delete(change);
  }
}
