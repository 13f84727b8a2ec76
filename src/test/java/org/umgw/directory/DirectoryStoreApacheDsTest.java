package org.umgw.directory;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
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

/** The store contract against ApacheDS embedded, with the RFC 4512 form of the schema. */
@ExtendWith(ApacheDSTestExtension.class)
@CreateDS(
    name = "DirectoryStoreApacheDsTestDS",
    partitions = @CreatePartition(name = "umgw", suffix = ApacheDs.BASE_DN))
@CreateLdapServer(transports = @CreateTransport(protocol = "LDAP", address = "127.0.0.1"))
class DirectoryStoreApacheDsTest extends AbstractLdapTestUnit implements DirectoryStoreContract {
  private static LDAPConnectionPool pool;
  private static DirectoryStore store;

  @BeforeAll
  static void start() throws Exception {
    LDAPConnection admin = ApacheDs.prepare(classLdapServer);
    pool = new LDAPConnectionPool(admin, 1, 4);
    store = new DirectoryStore(pool, DirectoryLayout.of(ApacheDs.BASE_DN));
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
  }

  @Override
  public DirectoryStore store() {
    return store;
  }
}
