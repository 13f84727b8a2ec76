package org.umgw.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two real slapd providers in multi-provider replication: writes on either reach the other. */
class SlapdReplicationSmokeTest {
  private static final Duration GENEROUS = Duration.ofSeconds(20);

  @Test
  void writesOnEitherProviderReachTheOther_andARestartedProviderCatchesUp() throws Exception {
    try (Slapd a = Slapd.start();
        Slapd b = Slapd.start()) {
      SlapdReplication.multiProvider(List.of(a, b));
      a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
      SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);
      String dn = "cn=Contoso-SBC1,ou=gateways," + a.suffix();
      assertThat(a.ldapTool("ldapsearch", "-b", dn, "-s", "base", "entryUUID").stdout())
          .isEqualTo(b.ldapTool("ldapsearch", "-b", dn, "-s", "base", "entryUUID").stdout());

      b.ldapmodify(
          "dn: " + dn + "\nchangetype: modify\nreplace: description\ndescription: from b\n");
      SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);
      assertThat(a.ldapTool("ldapsearch", "-b", dn, "-s", "base", "description").stdout())
          .contains("description: from b");
      // Two server IDs in the contextCSN: both providers wrote.
      assertThat(SlapdReplication.contextCsn(a)).hasSize(2);

      a.kill9();
      b.ldapmodify(
          "dn: "
              + dn
              + "\nchangetype: modify\nreplace: description\ndescription: while a was down\n");
      a.restart();
      SlapdReplication.awaitConverged(List.of(a, b), GENEROUS);
      assertThat(a.ldapTool("ldapsearch", "-b", dn, "-s", "base", "description").stdout())
          .contains("description: while a was down");
    }
  }
}
