package org.umgw.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.testing.ConsumerChecks;
import org.umgw.testing.Kamailio;
import org.umgw.testing.KamailioEntry;
import org.umgw.testing.Sipp;
import org.umgw.testing.TestDirectories;

/**
 * The consumers' own checkers accept our exports of the sample directory: a real Kamailio loads the
 * address file and admits exactly the trusted sources (sipp as the caller), nft accepts the
 * nftables file, the FreeSWITCH file has the ACL shape, the Asterisk file parses.
 */
class ConsumerAcceptanceTest {
  private static final List<String> TRUSTED = TestDirectories.SAMPLE_TRUSTED;
  private static ExportFixture fixture;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    fixture = new ExportFixture();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static Path export(ExportFormat format) {
    Path file = tmp.resolve("trusted." + format.name());
    var r =
        fixture.run("trust-list", "export", "--format", format.name(), "--out", file.toString());
    assertThat(r.code()).as(r.toString()).isZero();
    return file;
  }

  @Test
  void kamailio_loadsTheAddressFile_andAdmitsExactlyTheTrustedSources() {
    Path file = export(ExportFormat.kamailio);
    try (Kamailio kamailio = Kamailio.builder().addressFile(file).ipv6(true).start()) {
      assertThat(kamailio.addresses())
          .allMatch(e -> e.table() == KamailioEntry.Table.ADDRESS && e.group() == 1)
          .extracting(KamailioEntry::address)
          .containsExactlyInAnyOrderElementsOf(TRUSTED);
      // A trusted gateway, a Disabled one (left out) and one without hunt group (not a peer).
      assertThat(Sipp.options("127.0.0.2", kamailio.address())).isEqualTo(200);
      assertThat(Sipp.options("127.0.0.4", kamailio.address())).isEqualTo(403);
      assertThat(Sipp.options("127.0.0.6", kamailio.address())).isEqualTo(403);
      // NoNewCalls stays in the allow-list (127.0.0.3 is also Fabrikam-Edge's).
      assertThat(Sipp.options("127.0.0.3", kamailio.address())).isEqualTo(200);
      if (kamailio.ipv6Address().isPresent()) {
        assertThat(Sipp.options("::1", kamailio.ipv6Address().get())).isEqualTo(200);
      }
    }
  }

  @Test
  void nftables_passesNftCheck() {
    var r = ConsumerChecks.nftCheck(export(ExportFormat.nftables));
    assertThat(r.exitCode()).as(r.output()).isZero();
  }

  @Test
  void freeswitch_isAWellFormedAclWithOneAllowNodePerAddress() {
    assertThat(ConsumerChecks.freeswitchAclWellFormed(export(ExportFormat.freeswitch)))
        .containsExactlyElementsOf(
            TRUSTED.stream().map(ip -> ip + (ip.contains(":") ? "/128" : "/32")).toList());
  }

  @Test
  void asterisk_identifySectionsMatchEveryAddressOnce() {
    assertThat(ConsumerChecks.asteriskIdentifyParses(export(ExportFormat.asterisk)))
        .containsExactlyInAnyOrderElementsOf(TRUSTED);
  }
}
