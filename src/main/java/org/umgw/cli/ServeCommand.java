package org.umgw.cli;

import com.google.common.net.HostAndPort;
import com.unboundid.ldap.sdk.DN;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.umgw.embedded.EmbeddedDirectory;
import org.umgw.embedded.ServeLimits;
import org.umgw.embedded.ServeOptions;
import org.umgw.model.UmgwException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code umgw serve}: publishes the embedded directory over LDAP for LDAP browsers and tools, until
 * the process is stopped (SIGTERM or Ctrl-C).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Publish the embedded directory over LDAP until stopped. Anonymous clients read everything"
          + " but passwords and the changelog; only cn=admin,<base> (password in <data"
          + " dir>/admin.pw) and the --writer-dn identities write; proxied authorization is the"
          + " administrator's only. Passwords are stored salted and hashed ({SSHA256}). See"
          + " docs/security.md."
    })
final class ServeCommand extends DirectoryCommand
    implements ConnectionOptions.CreatesDataDirectory {

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:10389",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--tls-key-store",
      paramLabel = "FILE",
      description = "PKCS#12 or JKS key store with the server certificate: offers StartTLS.")
  Path keyStore;

  @Option(
      names = "--tls-key-store-password-file",
      paramLabel = "FILE",
      description = "File holding the key store password.")
  Path keyStorePasswordFile;

  @Option(
      names = "--admin-password-file",
      paramLabel = "FILE",
      description =
          "Password of cn=admin,<base> (default: <data dir>/admin.pw, made on first use).")
  Path adminPasswordFile;

  @Mixin MetricsMixin metrics;

  @Option(
      names = "--writer-dn",
      paramLabel = "DN",
      description =
          "An entry (with a userPassword) that may write besides cn=admin,<base>; repeatable."
              + " Every other identity is read-only.")
  List<String> writerDns = new ArrayList<>();

  @Option(
      names = "--require-tls",
      description =
          "Refuse simple binds with a DN before StartTLS (confidentialityRequired, 13); needs"
              + " --tls-key-store.")
  boolean requireTls;

  @Option(
      names = "--max-connections",
      paramLabel = "N",
      defaultValue = "" + ServeLimits.DEFAULT_MAX_CONNECTIONS,
      description =
          "Concurrent client connections; more are accepted and closed at once (default:"
              + " ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(
      names = "--size-limit",
      paramLabel = "ENTRIES",
      defaultValue = "" + ServeLimits.DEFAULT_SIZE_LIMIT,
      description =
          "Most entries one search returns to a client, whatever it asks (default:"
              + " ${DEFAULT-VALUE}).")
  int sizeLimit;

  @Option(
      names = "--time-limit",
      paramLabel = "SECONDS",
      defaultValue = "" + ServeLimits.DEFAULT_TIME_LIMIT_SECONDS,
      description = "Longest a client's search runs, whatever it asks (default: ${DEFAULT-VALUE}).")
  int timeLimit;

  private void requirePositive(String option, int value) {
    if (value < 1) {
      throw new ParameterException(
          spec.commandLine(), option + " " + value + ": must be at least 1");
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    if (connection.ldapUrl != null && !connection.ldapUrl.isBlank()) {
      throw new UmgwException(
          "serve publishes the embedded directory; it cannot be combined with --ldap-url "
              + connection.ldapUrl);
    }
    HostAndPort address;
    try {
      address = HostAndPort.fromString(listen).withDefaultPort(EmbeddedDirectory.DEFAULT_PORT);
    } catch (IllegalArgumentException e) {
      throw new UmgwException("--listen \"" + listen + "\": " + e.getMessage(), e);
    }
    if ((keyStore == null) != (keyStorePasswordFile == null)) {
      throw new UmgwException(
          "StartTLS needs both --tls-key-store and --tls-key-store-password-file");
    }
    if (requireTls && keyStore == null) {
      throw new ParameterException(
          spec.commandLine(), "--require-tls needs --tls-key-store to offer StartTLS with");
    }
    requirePositive("--max-connections", maxConnections);
    requirePositive("--size-limit", sizeLimit);
    requirePositive("--time-limit", timeLimit);
    for (String dn : writerDns) {
      if (!DN.isValidDN(dn)) {
        throw new ParameterException(spec.commandLine(), "--writer-dn \"" + dn + "\" is not a DN");
      }
    }
    ServeOptions options =
        ServeOptions.defaults()
            .withAdminPasswordFile(adminPasswordFile)
            .withWriterDns(writerDns)
            .withLimits(new ServeLimits(maxConnections, sizeLimit, timeLimit));
    if (keyStore != null) {
      options = options.withStartTls(keyStore, keyStorePasswordFile).withRequireTls(requireTls);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    ConnectionOptions.Directory d = connection.open();
    EmbeddedDirectory embedded = d.embedded();
    Thread hook =
        new Thread(
            () -> {
              d.close();
              stopped.countDown();
            },
            "umgw-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    InetSocketAddress bound;
    try {
      bound = embedded.serve(address.getHost(), address.getPort(), options);
    } catch (RuntimeException e) {
      Runtime.getRuntime().removeShutdownHook(hook);
      d.close();
      throw e;
    }
    PrintWriter out = out();
    out.println(
        "serving "
            + embedded.dataDir()
            + " on ldap://"
            + HostAndPort.fromParts(bound.getAddress().getHostAddress(), bound.getPort())
            + "/ (base "
            + embedded.layout().base()
            + "; writes: bind as "
            + embedded.adminDn()
            + (writerDns.isEmpty() ? "" : " or " + String.join(", ", writerDns))
            + (requireTls ? " over TLS" : "")
            + ")");
    out.flush();
    try (MetricsMixin.Running m = metrics.startWithoutService()) {
      stopped.await();
    }
    return 0;
  }
}
