package org.umgw.migration;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.migration.ObjectOutcome.Outcome;
import org.umgw.model.UmgwException;
import org.umgw.testing.InMemoryLdap;

/** Reading exports that are not quite what ldifde writes, and one record that breaks. */
class LdifExportTest {
  private static final String GW =
      "dn: CN=gw1,CN=UM IPGateway Container,CN=O\n"
          + "objectClass: msExchUMIPGateway\n"
          + "cn: gw1\n"
          + "msExchUMIPGatewayAddress: 192.0.2.1\n";

  @Test
  void utf8ByteOrderMark_isSkipped() throws Exception {
    List<SourceRecord> records = read("\uFEFF" + GW, UTF_8);
    assertThat(records).hasSize(1).first().isInstanceOf(SourceRecord.Found.class);
  }

  @Test
  void brokenRecord_isReportedAndReadingGoesOn() throws Exception {
    List<SourceRecord> records =
        read(
            "dn: CN=bad,CN=O\ncn bad\n\n" + GW + "\ndn: CN=gone,CN=O\nchangetype: delete\n", UTF_8);
    assertThat(records).hasSize(3);
    assertThat(records.get(0))
        .isEqualTo(
            new SourceRecord.Unreadable(
                "CN=bad,CN=O",
                "The record starting at or near line number 1 contains a line that does not begin"
                    + " with an attribute name followed by a colon."));
    assertThat(records.get(1)).isInstanceOf(SourceRecord.Found.class);
    assertThat(records.get(2)).isEqualTo(new SourceRecord.OtherChange("CN=gone,CN=O", "delete"));
  }

  @Test
  void notUtf8_failsNamingTheEncoding() {
    byte[] latin1 =
        "dn: CN=x\ncn: \u00e9t\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> LdifExport.read(new ByteArrayInputStream(latin1), "um.ldf"))
        .isInstanceOf(UmgwException.class)
        .hasMessage(
            "um.ldf: not valid UTF-8 text (a file without a byte-order mark is read as UTF-8;"
                + " ldifde -u writes UTF-16 with one): a byte sequence is not a character in that"
                + " encoding");
  }

  @Test
  void sameDnTwice_secondIsRefused_firstImported() throws Exception {
    try (InMemoryLdap ldap = InMemoryLdap.start()) {
      DirectoryStore store =
          new DirectoryStore(ldap.pool(), DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
      ImportReport report =
          new ExchangeImport(store)
              .run(read(GW + "\n" + GW.replace("192.0.2.1", "192.0.2.2"), UTF_8), false);
      assertThat(report.objects())
          .extracting(ObjectOutcome::outcome)
          .containsExactly(Outcome.CREATED, Outcome.REFUSED);
      assertThat(report.objects().get(1).problems())
          .extracting(Problem::toString)
          .containsExactly(
              "dn \"CN=gw1,CN=UM IPGateway Container,CN=O\": appears more than once in the export");
      assertThat(store.requireGateway("gw1").address().text()).isEqualTo("192.0.2.1");
    }
  }

  private static List<SourceRecord> read(String text, java.nio.charset.Charset charset)
      throws Exception {
    return LdifExport.read(new ByteArrayInputStream(text.getBytes(charset)), "test.ldf");
  }
}
