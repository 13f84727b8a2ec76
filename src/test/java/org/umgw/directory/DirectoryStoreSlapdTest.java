package org.umgw.directory;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.umgw.testing.Slapd;

/**
 * The store contract against a real OpenLDAP slapd, connected through {@link DirectoryConnector}
 * with a simple bind whose password comes from a file.
 */
class DirectoryStoreSlapdTest implements DirectoryStoreContract {
  private static Slapd slapd;
  private static LDAPConnectionPool pool;
  private static DirectoryStore store;

  @BeforeAll
  static void start() {
    slapd = Slapd.start(Slapd.options().createSuffixEntry(true));
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
}
