package org.umgw.cli;

import java.nio.file.Path;
import java.time.Duration;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.embedded.EmbeddedDirectory;
import picocli.CommandLine.Option;

/**
 * Where the directory is: LDAP servers given by {@code --ldap-url}, or the embedded directory under
 * {@code --data-dir}. Defaults come from {@code UMGW_*} environment variables; a password is only
 * ever read from a file.
 */
final class ConnectionOptions {
  @Option(
      names = "--ldap-url",
      paramLabel = "URL[,URL...]",
      description =
          "ldap:// or ldaps:// URL(s) of the directory, tried in order (failover)."
              + " Without it, the embedded directory under --data-dir is used. Env: UMGW_LDAP_URL")
  String ldapUrl;

  @Option(
      names = "--bind-dn",
      paramLabel = "DN",
      description = "DN to bind as (simple bind). Env: UMGW_BIND_DN")
  String bindDn;

  @Option(
      names = "--bind-password-file",
      paramLabel = "FILE",
      description =
          "File holding the bind password on its first line (never on the command line)."
              + " Env: UMGW_BIND_PASSWORD_FILE")
  Path bindPasswordFile;

  @Option(names = "--start-tls", description = "Secure ldap:// connections with StartTLS.")
  boolean startTls;

  @Option(
      names = "--trust-store",
      paramLabel = "FILE",
      description = "CA certificates to trust for TLS: PEM, PKCS#12 or JKS (default: the JVM's).")
  Path trustStore;

  @Option(
      names = "--trust-store-password-file",
      paramLabel = "FILE",
      description = "File holding the trust store password, if it has one.")
  Path trustStorePasswordFile;

  @Option(
      names = "--base-dn",
      paramLabel = "DN",
      defaultValue = DirectoryLayout.DEFAULT_BASE,
      description = "Base DN of the umgw containers (default: ${DEFAULT-VALUE}). Env: UMGW_BASE_DN")
  String baseDn;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "umgw-data",
      description =
          "Embedded directory's data directory, seeded from the sample on first use"
              + " (default: ${DEFAULT-VALUE}). Env: UMGW_DATA_DIR")
  Path dataDir;

  @Option(
      names = "--ldap-timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "Connect and response timeout for LDAP servers (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  /** Runs {@code work} on the directory these options name, and closes it. */
  <T> T with(java.util.function.Function<DirectoryStore, T> work) {
    try (Directory d = open()) {
      return work.apply(d.store());
    }
  }

  /** Runs {@code work} on the directory these options name, and closes it. */
  void run(java.util.function.Consumer<DirectoryStore> work) {
    try (Directory d = open()) {
      work.accept(d.store());
    }
  }

  /** Opens the directory these options name; the caller closes it. */
  Directory open() {
    if (ldapUrl == null || ldapUrl.isBlank()) {
      EmbeddedDirectory embedded =
          EmbeddedDirectory.open(dataDir, EmbeddedDirectory.Options.defaults().withBaseDn(baseDn));
      DirectoryStore store = new DirectoryStore(embedded.pool(), embedded.layout());
      return new Directory(store, embedded::close, embedded);
    }
    DirectoryConfig config =
        DirectoryConfig.builder(ldapUrl)
            .bind(bindDn, bindPasswordFile)
            .startTls(startTls)
            .trustStore(trustStore, trustStorePasswordFile)
            .connectTimeout(Duration.ofSeconds(timeoutSeconds))
            .responseTimeout(Duration.ofSeconds(timeoutSeconds))
            .build();
    var pool = DirectoryConnector.open(config);
    return new Directory(new DirectoryStore(pool, DirectoryLayout.of(baseDn)), pool::close, null);
  }

  /** An open directory: the store, and what to close when done. */
  record Directory(DirectoryStore store, Runnable closer, EmbeddedDirectory embedded)
      implements AutoCloseable {
    @Override
    public void close() {
      closer.run();
    }
  }
}
