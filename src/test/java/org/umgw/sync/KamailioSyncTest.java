package org.umgw.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.testing.Kamailio;
import org.umgw.testing.SampleSlapd;
import org.umgw.testing.Sipp;

/**
 * {@code trust-list sync --kamailio-rpc} against a real Kamailio (permissions address file,
 * jsonrpcs over xhttp) and real slapd: what an administrator changes with ldapmodify is admitted or
 * refused by the same Kamailio process within seconds, and a Kamailio restarted after missing
 * changes is brought back in step.
 */
class KamailioSyncTest {
  /** "Within a few seconds": the feed, the write and the reload take well under one. */
  private static final Duration FEW_SECONDS = Duration.ofSeconds(5);

  private static final String SPARE = "127.0.0.6"; // Spare-Gateway: no hunt group in the sample
  private static final String CONTOSO_SBC1 = "127.0.0.2"; // Enabled, linked

  @RegisterExtension static final SampleSlapd SAMPLE = new SampleSlapd();
  @TempDir Path dir;

  @Test
  void directoryChanges_areAdmittedAndRefusedByTheSameKamailio_andARestartCatchesUp()
      throws Exception {
    Path file = dir.resolve("address.list");
    // What a consumer started with an old file holds: a peer long gone, none of today's.
    Files.writeString(file, "1 127.0.0.99 32 0 long-gone\n");
    try (Kamailio k = Kamailio.builder().addressFile(file).jsonRpc(true).start()) {
      assertThat(Sipp.options(CONTOSO_SBC1, k.address())).isEqualTo(403);
      assertThat(Sipp.options("127.0.0.99", k.address())).isEqualTo(200);

      List<String> args = new ArrayList<>(SyncRun.directory(SAMPLE.slapd(), SAMPLE.hosts()));
      args.addAll(
          List.of(
              "--format",
              "kamailio",
              "--out",
              file.toString(),
              "--kamailio-rpc",
              k.jsonRpcUrl(),
              "--reload-delta",
              "0",
              "--allow-shrink"));
      try (SyncRun sync = SyncRun.start(args)) {
        // Start: the file is written and Kamailio reloads it once.
        await("first write and reload\n" + sync)
            .atMost(Duration.ofSeconds(30))
            .until(() -> sync.err().contains("event 9605"));
        assertThat(Sipp.options(CONTOSO_SBC1, k.address())).isEqualTo(200);
        assertThat(Sipp.options("127.0.0.99", k.address())).isEqualTo(403);
        assertThat(Sipp.options(SPARE, k.address())).isEqualTo(403);

        // Added: a hunt group links Spare-Gateway to a dial plan.
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
        await("Spare-Gateway admitted\n" + sync)
            .atMost(FEW_SECONDS)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> Sipp.options(SPARE, k.address()) == 200);

        // Disabled: refused again by the same process.
        long pid = k.pid();
        setStatus("Contoso-SBC1", "Disabled");
        await("Contoso-SBC1 refused\n" + sync)
            .atMost(FEW_SECONDS)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> Sipp.options(CONTOSO_SBC1, k.address()) == 403);
        setStatus("Contoso-SBC1", "Enabled");
        await("Contoso-SBC1 admitted again\n" + sync)
            .atMost(FEW_SECONDS)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> Sipp.options(CONTOSO_SBC1, k.address()) == 200);
        assertThat(k.pid()).isEqualTo(pid);
        assertThat(sync.get("/healthz").status()).isEqualTo(200);

        // Kamailio down: the change is written, the reload fails and is retried with backoff.
        k.stopServer();
        setStatus("Contoso-SBC1", "Disabled");
        await("reload failures while Kamailio is down\n" + sync)
            .atMost(Duration.ofSeconds(10))
            .until(() -> sync.err().contains("event 9602"));
        assertThat(Files.readString(file)).doesNotContain(" " + CONTOSO_SBC1 + " ");
        assertThat(sync.get("/healthz").status()).isEqualTo(503);
        assertThat(sync.get("/healthz").body()).contains("not in step with kamailio");

        // Back: the retry reloads it, and sync reports the recovery.
        k.restart();
        await("recovered after the restart\n" + sync)
            .atMost(Duration.ofSeconds(90))
            .until(() -> sync.err().contains("event 9603"));
        assertThat(Sipp.options(CONTOSO_SBC1, k.address())).isEqualTo(403);
        assertThat(Sipp.options(SPARE, k.address())).isEqualTo(200);
        assertThat(sync.get("/healthz").status()).isEqualTo(200);

        // One write per change of content; no rewrite for a timestamp alone.
        assertThat(count(sync.err(), "event 9601")).as(sync.toString()).isEqualTo(5);
        // NoNewCalls changes the trusted list (a new snapshot, event 1424) but not what Kamailio
        // admits (NoNewCalls gateways stay allow-listed): the file is not rewritten.
        long swaps = count(sync.err(), "event 1424");
        setStatus("Tokyo-Gateway", "NoNewCalls");
        await("the NoNewCalls swap\n" + sync)
            .atMost(FEW_SECONDS)
            .until(() -> count(sync.err(), "event 1424") > swaps);
        Thread.sleep(500); // a rewrite would follow the swap within milliseconds
        assertThat(count(sync.err(), "event 9601")).as(sync.toString()).isEqualTo(5);
        assertThat(sync.running()).as(sync.toString()).isTrue();
      } finally {
        setStatus("Tokyo-Gateway", "Enabled");
        setStatus("Contoso-SBC1", "Enabled");
        unlinkSpareIfLinked();
      }
    }
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

  static int count(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      n++;
    }
    return n;
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
