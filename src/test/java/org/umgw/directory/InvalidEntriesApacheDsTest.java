package org.umgw.directory;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.nio.file.Path;
import org.apache.directory.server.annotations.CreateLdapServer;
import org.apache.directory.server.annotations.CreateTransport;
import org.apache.directory.server.core.annotations.CreateDS;
import org.apache.directory.server.core.annotations.CreatePartition;
import org.apache.directory.server.core.integ.AbstractLdapTestUnit;
import org.apache.directory.server.core.integ.ApacheDSTestExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.umgw.testing.ApacheDs;

/** The sample and the invalid entries against ApacheDS embedded. */
@ExtendWith(ApacheDSTestExtension.class)
@CreateDS(
    name = "InvalidEntriesApacheDsTestDS",
    partitions = @CreatePartition(name = "umgw", suffix = ApacheDs.BASE_DN))
@CreateLdapServer(transports = @CreateTransport(protocol = "LDAP", address = "127.0.0.1"))
class InvalidEntriesApacheDsTest extends AbstractLdapTestUnit implements InvalidEntriesContract {
  private static LDAPConnection admin;
  private static LDAPConnectionPool pool;
  private static DirectoryStore store;

  @BeforeAll
  static void start() throws Exception {
    admin = ApacheDs.prepare(classLdapServer);
    ApacheDs.addEntries(admin, ApacheDs.SAMPLE_LDIF);
    pool = new LDAPConnectionPool(ApacheDs.connect(classLdapServer), 1, 4);
    store = new DirectoryStore(pool, DirectoryLayout.of(ApacheDs.BASE_DN));
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Override
  public DirectoryStore store() {
    return store;
  }

  @Override
  public void addLdif(Path file) throws Exception {
    ApacheDs.addEntries(admin, file);
  }
}
