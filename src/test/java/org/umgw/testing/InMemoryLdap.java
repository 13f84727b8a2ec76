package org.umgw.testing;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import org.umgw.directory.DirectoryLayout;
import org.umgw.schema.UmgwSchema;

/** UnboundID's in-memory server with the umgw schema merged into the standard one. */
public final class InMemoryLdap implements AutoCloseable {
  private final InMemoryDirectoryServer server;

  private InMemoryLdap(InMemoryDirectoryServer server) {
    this.server = server;
  }

  public static InMemoryLdap start() {
    return start(new InMemoryOperationInterceptor[0]);
  }

  /** With {@code interceptors}, e.g. to make another writer act between two operations. */
  public static InMemoryLdap start(InMemoryOperationInterceptor... interceptors) {
    try {
      InMemoryDirectoryServerConfig config =
          new InMemoryDirectoryServerConfig(DirectoryLayout.DEFAULT_BASE);
      config.setSchema(UmgwSchema.load().withStandardSchema());
      config.addAdditionalBindCredentials("cn=admin", "secret");
      for (InMemoryOperationInterceptor interceptor : interceptors) {
        config.addInMemoryOperationInterceptor(interceptor);
      }
      InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
      server.startListening();
      return new InMemoryLdap(server);
    } catch (LDAPException e) {
      throw new IllegalStateException("in-memory server does not start: " + e.getMessage(), e);
    }
  }

  public InMemoryDirectoryServer server() {
    return server;
  }

  public LDAPConnectionPool pool() {
    try {
      return server.getConnectionPool(4);
    } catch (LDAPException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
