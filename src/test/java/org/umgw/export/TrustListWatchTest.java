package org.umgw.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryMapper;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;

/** {@code trust-list watch} prints one line when the directory changes the trusted list. */
class TrustListWatchTest {
  @Test
  void watch_directoryChange_printsOneLine() throws Exception {
    try (ExportFixture fixture = new ExportFixture()) {
      CompletableFuture<CliRunner.Result> watch =
          CompletableFuture.supplyAsync(
              () -> fixture.run("trust-list", "watch", "--poll-interval", "1", "--count", "1"));
      Thread.sleep(1_500);
      var pool = fixture.ldap.pool();
      EntryMapper m = new EntryMapper(DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
      pool.add(m.toEntry(Gateway.builder("New-GW", "192.0.2.77").build()));
      pool.add(m.toEntry(HuntGroup.defaultFor("New-GW", "Contoso Extensions")));
      pool.close();
      CliRunner.Result r = watch.get(30, TimeUnit.SECONDS);
      assertThat(r.code()).as(r.toString()).isZero();
      // The header, the two shared IPs of the sample (1175), then the change.
      assertThat(r.out().lines())
          .hasSize(4)
          .first()
          .asString()
          .contains(" watching 9 trusted peers (POLLING from 127.0.0.1:");
      assertThat(r.out().lines().skip(1).limit(2)).allMatch(l -> l.contains(" event 1175 "));
      assertThat(r.out().lines().skip(3).findFirst().orElseThrow())
          .contains(" peers=10 added=[192.0.2.77] removed=[]");
    }
  }
}
