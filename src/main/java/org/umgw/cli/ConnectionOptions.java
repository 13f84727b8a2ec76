package org.umgw.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.embedded.EmbeddedDirectory;
import org.umgw.model.UmgwException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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
              + " Without it, the embedded directory under --data-dir is used, and the options"
              + " meant for a server (--bind-dn, --start-tls, ...) are a usage error."
              + " Env: UMGW_LDAP_URL")
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
          "Embedded directory's data directory, used when no --ldap-url is given. Only init,"
              + " serve and the show/get commands create a missing one (seeded from the sample);"
              + " the others refuse it (default: ${DEFAULT-VALUE}). Env: UMGW_DATA_DIR")
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

  /** The command these options belong to: its parse result and whether it may seed. */
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /**
   * Opens the directory these options name; the caller closes it.
   *
   * @throws ParameterException (exit 2) when an option or variable meant for a directory server is
   *     given without {@code --ldap-url}
   * @throws UmgwException when the embedded directory does not exist and the command may not create
   *     it
   */
  Directory open() {
    if (ldapUrl == null || ldapUrl.isBlank()) {
      refuseServerOptions();
      if (!EmbeddedDirectory.exists(dataDir)
          && !(command != null && command.userObject() instanceof CreatesDataDirectory)) {
        throw new UmgwException(
            "there is no embedded directory in "
                + dataDir.toAbsolutePath()
                + " and "
                + commandName()
                + " does not create one: create it with `umgw init --data-dir "
                + dataDir
                + "` (seeded with the sample directory under the default base), or name the"
                + " directory server with --ldap-url");
      }
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

  /**
   * Options that only make sense with a directory server, given without one, mean the server's URL
   * went missing (a typo in an environment file, a lost variable): using the embedded sample
   * instead would, say, export the sample's 127.0.0.x peers to a firewall.
   */
  private void refuseServerOptions() {
    List<String> given = new ArrayList<>();
    named(given, "--bind-dn", "UMGW_BIND_DN", bindDn != null && !bindDn.isBlank());
    named(given, "--bind-password-file", "UMGW_BIND_PASSWORD_FILE", bindPasswordFile != null);
    named(given, "--start-tls", null, startTls);
    named(given, "--trust-store", null, trustStore != null);
    named(given, "--trust-store-password-file", null, trustStorePasswordFile != null);
    named(given, "--ldap-timeout", null, matched("--ldap-timeout"));
    if (!given.isEmpty() && command == null) {
      throw new UmgwException(String.join(", ", given) + " given without --ldap-url");
    }
    if (!given.isEmpty()) {
      throw new ParameterException(
          command.commandLine(),
          String.join(", ", given)
              + (given.size() == 1 ? " is" : " are")
              + " given but no --ldap-url (nor UMGW_LDAP_URL): a directory server was meant, but"
              + " none is named. Give --ldap-url, or leave "
              + (given.size() == 1 ? "it" : "them")
              + " out to use the embedded directory under --data-dir");
    }
  }

  private void named(List<String> given, String option, String variable, boolean set) {
    if (set) {
      given.add(variable == null || matched(option) ? option : variable);
    }
  }

  /** Whether {@code option} was on the command line (not a default, nor from the environment). */
  private boolean matched(String option) {
    var spec = command == null ? null : command.findOption(option);
    return spec != null && !spec.originalStringValues().isEmpty();
  }

  /** {@code gateway new}, {@code trust-list export}: the command as typed, for messages. */
  private String commandName() {
    if (command == null) {
      return "this command";
    }
    String path = command.qualifiedName(" ");
    return path.startsWith("umgw ") ? path.substring(5) : path;
  }

  /**
   * Marks the commands that may create a missing data directory, seeded with the sample: {@code
   * init}, {@code serve} and the read-only {@code show}/{@code get} commands, so a fresh checkout
   * shows something at once. Every other command refuses a data directory that does not exist.
   */
  interface CreatesDataDirectory {}

  /** An open directory: the store, and what to close when done. */
  record Directory(DirectoryStore store, Runnable closer, EmbeddedDirectory embedded)
      implements AutoCloseable {
    @Override
    public void close() {
      closer.run();
    }
  }
}
