package org.umgw.cli;

import com.google.common.net.HostAndPort;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.umgw.embedded.EmbeddedDirectory;
import org.umgw.embedded.ServeOptions;
import org.umgw.model.UmgwException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code umgw serve}: publishes the embedded directory over LDAP for LDAP browsers and tools, until
 * the process is stopped (SIGTERM or Ctrl-C).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Publish the embedded directory over LDAP (anonymous reads; writes need a bind as"
            + " cn=admin,<base> with the password in <data dir>/admin.pw). Runs until stopped.")
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
    ServeOptions options = ServeOptions.defaults().withAdminPasswordFile(adminPasswordFile);
    if (keyStore != null) {
      options = options.withStartTls(keyStore, keyStorePasswordFile);
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
            + ")");
    out.flush();
    try (MetricsMixin.Running m = metrics.startWithoutService()) {
      stopped.await();
    }
    return 0;
  }
}
