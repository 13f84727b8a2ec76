package org.umgw.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Proves the {@link Slapd} harness: both OpenLDAP schema renderings load into a real slapd that
 * accepts the sample directory through ldap-utils, and the server survives SIGKILL and restart.
 */
class SlapdSmokeTest {

  /** RFC 4533 content synchronization control, advertised only when syncprov is loaded. */
  private static final String SYNC_CONTROL_OID = "1.3.6.1.4.1.4203.1.9.1.1";

  private static final String SAMPLE = Slapd.projectPath("ldif/sample.ldif").toString();

  @Test
  void start_withCnConfigSchema_acceptsSampleLdif() throws Exception {
    try (Slapd slapd = Slapd.start(Slapd.options().schemaForm(Slapd.SchemaForm.CN_CONFIG))) {
      slapd.ldapTool("ldapadd", "-f", SAMPLE).assertOk();

      try (LDAPConnection c = slapd.connect()) {
        assertThat(countGateways(c, slapd)).isEqualTo(9);
        assertThat(c.getRootDSE().supportsControl(SYNC_CONTROL_OID)).isTrue();
      }
      assertThat(Files.readString(slapd.rootPasswordFile())).isEqualTo(slapd.rootPassword());
    }
  }

  @Test
  void start_withSlapdConfSchema_acceptsSampleLdif() throws Exception {
    try (Slapd slapd = Slapd.start(Slapd.options().schemaForm(Slapd.SchemaForm.SLAPD_CONF))) {
      slapd.ldapTool("ldapadd", "-f", SAMPLE).assertOk();

      try (LDAPConnection c = slapd.connectAnonymous()) {
        assertThat(countGateways(c, slapd)).isEqualTo(9);
      }
    }
  }

  @Test
  void kill9_thenRestart_keepsDataAndPort() throws Exception {
    try (Slapd slapd = Slapd.start(Slapd.options().createSuffixEntry(true))) {
      int port = slapd.port();
      long pid = slapd.pid();

      slapd.kill9();
      assertThat(slapd.isRunning()).isFalse();
      slapd.restart();

      assertThat(slapd.port()).isEqualTo(port);
      assertThat(slapd.pid()).isNotEqualTo(pid);
      try (LDAPConnection c = slapd.connect()) {
        assertThat(c.getEntry(slapd.suffix())).isNotNull();
      }
    }
  }

  @Test
  void start_withTls_servesLdapsAndStartTls() throws Exception {
    try (Slapd slapd = Slapd.start(Slapd.options().tls(true).createSuffixEntry(true))) {
      try (LDAPConnection ldaps = slapd.connectLdaps();
          LDAPConnection startTls = slapd.connectStartTls()) {
        assertThat(ldaps.getEntry(slapd.suffix())).isNotNull();
        assertThat(startTls.getEntry(slapd.suffix())).isNotNull();
      }
      slapd
          .exec("ldapsearch", "-x", "-ZZ", "-H", slapd.url(), "-b", slapd.suffix(), "-s", "base")
          .assertOk();
    }
  }

  private static int countGateways(LDAPConnection c, Slapd slapd) throws LDAPException {
    return c.search(
            slapd.suffix(),
            SearchScope.SUB,
            Filter.createEqualityFilter("objectClass", "umIPGateway"))
        .getEntryCount();
  }
}
