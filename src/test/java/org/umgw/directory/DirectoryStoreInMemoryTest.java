package org.umgw.directory;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.umgw.testing.InMemoryLdap;

/** The store contract against UnboundID's in-memory server (the embedded directory's engine). */
class DirectoryStoreInMemoryTest implements DirectoryStoreContract {
  private static InMemoryLdap ldap;
  private static LDAPConnectionPool pool;
  private static DirectoryStore store;

  @BeforeAll
  static void start() {
    ldap = InMemoryLdap.start();
    pool = ldap.pool();
    store = new DirectoryStore(pool, DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
  }

  @AfterAll
  static void stop() {
    pool.close();
    ldap.close();
  }

  @Override
  public DirectoryStore store() {
    return store;
  }
}
