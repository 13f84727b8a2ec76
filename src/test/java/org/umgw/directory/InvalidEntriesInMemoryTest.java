package org.umgw.directory;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.Slapd;
import org.umgw.testing.TestDirectories;

/** The sample and the invalid entries against UnboundID's in-memory server with our schema. */
class InvalidEntriesInMemoryTest implements InvalidEntriesContract {
  private static InMemoryLdap ldap;
  private static LDAPConnectionPool pool;
  private static DirectoryStore store;

  @BeforeAll
  static void start() {
    ldap = InMemoryLdap.start();
    pool = ldap.pool();
    TestDirectories.load(pool, "ldif/sample.ldif");
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

  @Override
  public void addLdif(Path file) throws LDAPException {
    for (Entry e : TestDirectories.readLdif(Slapd.projectPath("").relativize(file).toString())) {
      pool.add(e);
    }
  }
}
