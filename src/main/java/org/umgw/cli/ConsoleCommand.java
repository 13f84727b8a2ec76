package org.umgw.cli;

import com.google.common.net.HostAndPort;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.umgw.console.Console;
import org.umgw.console.auth.LdapLogin;
import org.umgw.console.live.LiveState;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.dns.NameResolver;
import org.umgw.embedded.EmbeddedDirectory;
import org.umgw.embedded.ServeOptions;
import org.umgw.model.UmgwException;
import org.umgw.service.TrustService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code umgw console}: the web console over the live service. */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description = {
      "A web console on the live service (the TrustService of `trust-list watch`, probing"
          + " gateways): trusted peers with 1175/1194 highlighted, gateways with health, dial"
          + " plans, live events, and the everyday gateway edits. Logging in binds to the"
          + " directory as the user (a DN, or a uid/cn under --login-base), so the directory's"
          + " access control decides what may be changed. With the embedded directory, the"
          + " console publishes it on a loopback LDAP port for these binds, as `serve` does:"
          + " cn=admin,<base> (password in <data dir>/admin.pw) and the --writer-dn identities"
          + " may write. Events go to stderr as well. Runs until stopped. See docs/console.md."
    })
final class ConsoleCommand extends DirectoryCommand {
  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:8080",
      description = "Address of the console (default: ${DEFAULT-VALUE}; port 0: any free one).")
  String listen;

  @Mixin ServerCertificateOptions certificate;

  @Option(
      names = "--anonymous-read",
      description = "Let visitors read the pages without logging in (changes still need a login).")
  boolean anonymousRead;

  @Option(
      names = "--session-timeout",
      paramLabel = "MINUTES",
      defaultValue = "30",
      description =
          "A session ends after this long without a request, and at the latest 24 times this"
              + " after the login (default: ${DEFAULT-VALUE}).")
  int sessionTimeoutMinutes;

  @Option(
      names = "--login-base",
      paramLabel = "DN",
      description =
          "Where a user name without '=' is looked up as uid or cn (default: the --base-dn).")
  String loginBase;

  @Option(
      names = "--writer-dn",
      paramLabel = "DN",
      description =
          "Embedded directory only: an entry (with a userPassword) that may log in and write"
              + " besides cn=admin,<base>; repeatable.")
  List<String> writerDns = new ArrayList<>();

  @Option(
      names = "--admin-password-file",
      paramLabel = "FILE",
      description =
          "Embedded directory only: password of cn=admin,<base> (default: <data dir>/admin.pw).")
  Path adminPasswordFile;

  @Mixin DnsOptions dns;

  @Mixin ProbeOptions probe;

  @Mixin FeedMixin feedOptions;

  @Mixin MetricsMixin metrics;

  /** Events remembered for the events page and the gateway pages. */
  static final int MAX_EVENTS = 1000;

  /** Probe rounds remembered per gateway for its chart. */
  static final int MAX_SAMPLES = 60;

  @Override
  public Integer call() {
    HostAndPort address;
    try {
      address = HostAndPort.fromString(listen).withDefaultPort(8080);
    } catch (IllegalArgumentException e) {
      throw new UmgwException("--listen \"" + listen + "\": " + e.getMessage(), e);
    }
    boolean embedded = connection.ldapUrl == null || connection.ldapUrl.isBlank();
    if (!embedded && (!writerDns.isEmpty() || adminPasswordFile != null)) {
      throw new ParameterException(
          spec.commandLine(),
          "--writer-dn and --admin-password-file are for the embedded directory; with --ldap-url"
              + " the directory server's own access control decides who may write");
    }
    if (sessionTimeoutMinutes < 1 || sessionTimeoutMinutes > 1440) {
      throw new ParameterException(
          spec.commandLine(), "--session-timeout " + sessionTimeoutMinutes + ": 1 to 1440 minutes");
    }
    javax.net.ssl.X509KeyManager tls = certificate.optional();
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "umgw-console-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try (ConnectionOptions.Directory d = connection.open();
        NameResolver resolver = dns.open(d.embedded() == null ? null : d.embedded().hostsFile())) {
      LdapLogin.Target target = embedded ? publish(d.embedded()) : target();
      TrustService service =
          TrustService.builder()
              .directory(d.store().pool())
              .baseDn(d.store().layout().base().toString())
              .resolver(resolver)
              .feedOptions(feedOptions.options())
              .probing(probe.proberOptions(), probe.healthOptions(false))
              .build();
      // The events, also for the service's log (journald), as `trust-list watch` prints them.
      PrintWriter log = err();
      service.addEventListener(
          e -> {
            synchronized (log) {
              log.println("umgw: " + e);
              log.flush();
            }
          });
      LdapLogin login = new LdapLogin(target, d.store().pool(), loginBase(d), d.store().layout());
      Console.Options options =
          new Console.Options(
              address.getHost(),
              address.getPort(),
              tls,
              anonymousRead,
              Duration.ofMinutes(sessionTimeoutMinutes),
              MAX_EVENTS,
              embedded
                  ? "Embedded directory " + d.embedded().dataDir()
                  : "Directory " + connection.ldapUrl);
      try (LiveState live = new LiveState(service, MAX_EVENTS, MAX_SAMPLES);
          MetricsMixin.Running m = metrics.start(service);
          TrustService running = service.start();
          Console console = Console.start(options, service, live, login)) {
        PrintWriter out = out();
        out.println(
            "umgw console on "
                + console.uri()
                + "/ ("
                + (anonymousRead ? "read without login; " : "")
                + "log in as a directory user"
                + (embedded ? ": " + d.embedded().adminDn() + " or a --writer-dn" : "")
                + ")");
        out.flush();
        try {
          stop.await();
        } catch (InterruptedException e) {
          // Stopped by the thread that runs this command in-process (tests); close everything
          // first, then keep the interrupt for the caller.
          interrupted = true;
        }
      }
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down already: the hook is running and waits for `stopped`
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** The embedded directory on a loopback port, with serve's access control, for user binds. */
  private LdapLogin.Target publish(EmbeddedDirectory embedded) {
    for (String dn : writerDns) {
      if (!DN.isValidDN(dn)) {
        throw new ParameterException(spec.commandLine(), "--writer-dn \"" + dn + "\" is not a DN");
      }
    }
    InetSocketAddress ldap =
        embedded.serve(
            "127.0.0.1",
            0,
            ServeOptions.defaults()
                .withAdminPasswordFile(adminPasswordFile)
                .withWriterDns(writerDns));
    try {
      return new LdapLogin.Target(
          List.of(new LDAPURL("ldap", "127.0.0.1", ldap.getPort(), null, null, null, null)),
          false,
          null,
          Duration.ofSeconds(connection.timeoutSeconds));
    } catch (LDAPException e) {
      throw new UmgwException("cannot name the embedded directory's port: " + e.getMessage(), e);
    }
  }

  /** The directory server of --ldap-url, with the same TLS settings as the service's connection. */
  private LdapLogin.Target target() {
    DirectoryConfig config =
        DirectoryConfig.builder(connection.ldapUrl)
            .startTls(connection.startTls)
            .trustStore(connection.trustStore, connection.trustStorePasswordFile)
            .build();
    return new LdapLogin.Target(
        config.urls(),
        config.startTls(),
        config.usesTls()
            ? DirectoryConnector.trustManager(
                connection.trustStore, connection.trustStorePasswordFile)
            : null,
        Duration.ofSeconds(connection.timeoutSeconds));
  }

  private DN loginBase(ConnectionOptions.Directory d) {
    if (loginBase == null) {
      return d.store().layout().base();
    }
    try {
      return new DN(loginBase);
    } catch (LDAPException e) {
      throw new ParameterException(
          spec.commandLine(), "--login-base \"" + loginBase + "\" is not a DN");
    }
  }
}
