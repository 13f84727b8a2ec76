package org.umgw.embedded;

import com.unboundid.ldap.listener.Base64PasswordEncoderOutputFormatter;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.SaltedMessageDigestInMemoryPasswordEncoder;
import com.unboundid.ldap.listener.WhoAmIExtendedOperationHandler;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import org.umgw.directory.DirectoryLayout;
import org.umgw.schema.UmgwSchema;

/**
 * The in-memory server's configuration. UnboundID fixes it when the server is created, before the
 * data directory is read and long before {@code serve} knows its options, so everything the process
 * or a client may later need is declared here once: the schema and indexes, the password hashing,
 * the extended operations that work, the interceptors in the order they must run, and all three
 * listeners (in-process, plain LDAP, LDAP with StartTLS), of which {@code serve} starts at most
 * one.
 */
final class EmbeddedServerConfig {
  static final String INTERNAL_LISTENER = "internal";
  static final String LDAP_LISTENER = "ldap";
  static final String STARTTLS_LISTENER = "ldap-starttls";

  private EmbeddedServerConfig() {}

  /**
   * @param interceptors in the order they see each operation
   */
  static InMemoryDirectoryServerConfig of(
      DirectoryLayout layout,
      DN adminDn,
      byte[] secret,
      InProcessTransport transport,
      ServeSockets serveSockets,
      InMemoryOperationInterceptor... interceptors)
      throws LDAPException {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(layout.base());
    config.setSchema(UmgwSchema.load().withStandardSchema());
    config.setMaxChangeLogEntries(EmbeddedDirectory.MAX_CHANGELOG_ENTRIES);
    // The rule checks of every write (RuleGuard) search by address and by dial plan link.
    config.setEqualityIndexAttributes("umAddress", "umDialPlanLink");
    config.addAdditionalBindCredentials(adminDn.toString(), secret);
    config.setAuthenticationRequiredOperationTypes(
        EnumSet.of(
            OperationType.ADD,
            OperationType.DELETE,
            OperationType.MODIFY,
            OperationType.MODIFY_DN));
    // Passwords written to entries are stored salted and hashed, so neither the journal nor the
    // snapshot nor the changelog holds one in clear; binds verify against the hash. Values stored
    // in clear by earlier versions still verify (UnboundID compares unencoded values as is).
    try {
      config.setPasswordEncoders(
          new SaltedMessageDigestInMemoryPasswordEncoder(
              "{SSHA256}",
              Base64PasswordEncoderOutputFormatter.getInstance(),
              MessageDigest.getInstance("SHA-256"),
              8,
              true,
              true));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
    // Only what works: Who Am I (StartTLS is the listener's), no Password Modify, no transactions
    // (they would change entries past the journal), no SASL.
    config.getExtendedOperationHandlers().clear();
    config.addExtendedOperationHandler(new WhoAmIExtendedOperationHandler());
    config.getSASLBindHandlers().clear();
    for (InMemoryOperationInterceptor interceptor : interceptors) {
      config.addInMemoryOperationInterceptor(interceptor);
    }
    config.setListenerConfigs(
        new InMemoryListenerConfig(
            INTERNAL_LISTENER,
            InetAddress.getLoopbackAddress(),
            InProcessTransport.PORT,
            transport.serverSocketFactory(),
            transport.clientSocketFactory(),
            null),
        new InMemoryListenerConfig(
            LDAP_LISTENER, null, 0, serveSockets.serverSocketFactory(), null, null),
        // UnboundID answers StartTLS before any interceptor: a listener without a key store must
        // not offer it at all, so there is one listener declared with StartTLS and one without.
        new InMemoryListenerConfig(
            STARTTLS_LISTENER,
            null,
            0,
            serveSockets.serverSocketFactory(),
            null,
            serveSockets.startTlsSocketFactory()));
    return config;
  }
}
