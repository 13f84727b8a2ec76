package org.umgw.directory;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.umgw.testing.Slapd;

/**
 * The sample and the invalid entries through the real {@code ldapadd} into a real slapd loaded with
 * the cn=config form of the schema.
 */
class InvalidEntriesSlapdTest implements InvalidEntriesContract {
  private static Slapd slapd;
  private static LDAPConnectionPool pool;
  private static DirectoryStore store;

  @BeforeAll
  static void start() {
    slapd = Slapd.start(Slapd.options());
    slapd.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
    pool =
        DirectoryConnector.open(
            DirectoryConfig.builder(slapd.url())
                .bind(slapd.rootDn(), slapd.rootPasswordFile())
                .build());
    store = new DirectoryStore(pool, DirectoryLayout.of(slapd.suffix()));
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  @Override
  public DirectoryStore store() {
    return store;
  }

  @Override
  public void addLdif(Path file) {
    Slapd.ToolResult r = slapd.ldapTool("ldapadd", "-f", file.toString());
    if (!r.ok()) {
      throw new IllegalStateException(r.toString());
    }
  }
}
