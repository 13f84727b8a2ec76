package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real 389 Directory Server instance for integration tests, created for the test and removed
 * after it: unique instance name, 127.0.0.1, a free high port, {@code schema/umgw.ldif} loaded as
 * the instance's {@code 99umgw.ldif}, {@code ldif/sample.ldif} optionally loaded.
 *
 * <p>389-DS instances do not live in a directory of our choosing: they are under {@code
 * /etc/dirsrv/slapd-NAME}, {@code /var/lib/dirsrv/slapd-NAME}, {@code /var/log/dirsrv/slapd-NAME},
 * {@code /run/dirsrv}, {@code /run/lock/dirsrv} and {@code /dev/shm}. {@code dscreate} insists on
 * systemctl, so the instance is created by Debian's lib389 ({@code SetupDs().create_from_inf}) with
 * its systemd check patched off (the script is {@code ds389-create.py} next to this class); lib389
 * starts it once to configure it. The harness then sets what a umgw deployment needs over LDAP
 * (listen on loopback only; the Retro Changelog and Content Synchronization plugins when asked),
 * stops lib389's daemon and runs {@code ns-slapd -d 0} in the foreground under {@link
 * ServerProcess}, so the process is ours: fail fast with the errors log, stop by PID. Instances
 * left by a killed earlier run (named {@code umgwtest*}, their ns-slapd gone) are removed first.
 *
 * <p>Needs root (instances belong to the {@code dirsrv} user that Debian's {@code 389-ds-base}
 * creates) and the package itself; a missing {@code ns-slapd} fails the test, never skips it.
 */
public final class Ds389 implements AutoCloseable {
  /** The prefix of every instance the tests create; leftovers with it are swept. */
  static final String PREFIX = "umgwtest";

  private static final String HOST = "127.0.0.1";
  private static final String NOT_INSTALLED =
      " not installed: run .ci/run or apt-get install 389-ds-base";
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final String ROOT_DN = "cn=Directory Manager";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Start-up settings; every setter returns {@code this}. */
  public static final class Options {
    private String suffix = "dc=umgw,dc=example";
    private boolean contentSync;
    private boolean sample = true;

    private Options() {}

    public Options suffix(String suffix) {
      this.suffix = suffix;
      return this;
    }

    /**
     * Enables the Retro Changelog (recording nsUniqueId and entryUUID of each change) and the
     * Content Synchronization plugins, so the root DSE offers RFC 4533 and a changelog.
     */
    public Options contentSync(boolean contentSync) {
      this.contentSync = contentSync;
      return this;
    }

    /** Loads {@code ldif/sample.ldif} (default on); off leaves the bare suffix entry. */
    public Options sample(boolean sample) {
      this.sample = sample;
      return this;
    }
  }

  private final Options options;
  private final String name;
  private final Path workDir;
  private final Path passwordFile;
  private final Path slapd;
  private final ServerProcess process;
  private int port;

  private Ds389(Options options) throws IOException {
    this.options = options;
    this.slapd = ServerProcess.requireBinary("ns-slapd", "389 Directory Server" + NOT_INSTALLED);
    if (!Files.isExecutable(PYTHON)
        || !Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/lib389"))) {
      throw new IllegalStateException(
          "Debian's lib389 (python3-lib389, a dependency of 389-ds-base) is missing:"
              + NOT_INSTALLED);
    }
    this.name = PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    this.workDir = Files.createTempDirectory("umgw-ds389-").toRealPath();
    this.passwordFile = workDir.resolve("rootpw");
    // No trailing newline: ldap* -y sends the file's bytes as the password.
    Files.writeString(passwordFile, "umgw-389-" + name, UTF_8);
    this.process = new ServerProcess("ds389", workDir, workDir.resolve("ns-slapd.out"));
  }

  public static Options options() {
    return new Options();
  }

  /** An instance with the sample, persistent search only (389's defaults). */
  public static Ds389 start() {
    return start(options());
  }

  /** Creates, configures and starts an instance; removes it again if any step fails. */
  public static Ds389 start(Options options) {
    Ds389Instances.sweepLeftovers(PREFIX);
    Ds389 ds;
    try {
      ds = new Ds389(options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare a 389-DS instance", e);
    }
    try {
      ServerProcess.onFreePorts(
          3,
          "Address already in use",
          () -> ds.port = ServerProcess.freePort(p -> ServerProcess.tcpFree(HOST, p)),
          ds::create);
      ds.configure();
      ds.launch();
      if (options.sample) {
        ds.ldapTool("ldapdelete", options.suffix).assertOk();
        ds.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
        ds.ldapmodify(
            Ds389Ldif.access(
                options.suffix,
                options.contentSync,
                ds.writerDn(),
                ds.password(ds.writerPasswordFile(), "umgw-writer"),
                ds.readerDn(),
                ds.password(ds.readerPasswordFile(), "umgw-reader")));
      }
      return ds;
    } catch (IOException e) {
      ds.close();
      throw new UncheckedIOException("cannot load the sample into " + ds, e);
    } catch (RuntimeException | Error e) {
      ds.close();
      throw e;
    }
  }

  /** A password file's content, written first with a fresh password if it does not exist. */
  private String password(Path file, String account) {
    try {
      if (!Files.exists(file)) {
        // No trailing newline: ldap* -y sends the file's bytes as the password.
        Files.writeString(file, account + "-" + name, UTF_8);
      }
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The account the CLI writes as, with only the writer ACIs of {@link Ds389Ldif#access}. */
  public String writerDn() {
    return "cn=umgw-writer," + options.suffix;
  }

  public Path writerPasswordFile() {
    return workDir.resolve("writerpw");
  }

  /**
   * The account a follower binds as: 389 lets only bound users use the content sync control (the
   * ACI on {@code oid=1.3.6.1.4.1.4203.1.9.1.1,cn=features,cn=config} names {@code ldap:///all}).
   */
  public String readerDn() {
    return "cn=umgw-reader," + options.suffix;
  }

  public Path readerPasswordFile() {
    return workDir.resolve("readerpw");
  }

  // --- accessors ---------------------------------------------------------------------------

  public String url() {
    return "ldap://" + HOST + ":" + port;
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  public String suffix() {
    return options.suffix;
  }

  /** {@code cn=Directory Manager}. */
  public String rootDn() {
    return ROOT_DN;
  }

  public Path rootPasswordFile() {
    return passwordFile;
  }

  public String rootPassword() {
    try {
      return Files.readString(passwordFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The instance name (without {@code slapd-}). */
  public String name() {
    return name;
  }

  public Path configDir() {
    return Path.of("/etc/dirsrv/slapd-" + name);
  }

  /** The errors log, where ns-slapd says why it stopped or refused a schema file. */
  public Path errorsLog() {
    return Path.of("/var/log/dirsrv/slapd-" + name, "errors");
  }

  public Path workDir() {
    return workDir;
  }

  public boolean isRunning() {
    return process.isRunning();
  }

  /** A connection bound as the Directory Manager. */
  public LDAPConnection connect() throws LDAPException {
    LDAPConnection c = new LDAPConnection(HOST, port);
    try {
      c.bind(ROOT_DN, rootPassword());
      return c;
    } catch (LDAPException e) {
      c.close();
      throw e;
    }
  }

  // --- tools -------------------------------------------------------------------------------

  /** Runs an ldap-utils tool against the instance, bound as the Directory Manager. */
  public Slapd.ToolResult ldapTool(String tool, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(tool, "-x", "-H", url(), "-D", ROOT_DN, "-y", passwordFile.toString()));
    cmd.addAll(List.of(args));
    return Ds389Instances.exec(workDir, cmd);
  }

  /** Applies LDIF change records with the real {@code ldapmodify}, as an administrator would. */
  public void ldapmodify(String ldif) throws IOException {
    Path file = Files.createTempFile(workDir, "change-", ".ldif");
    Files.writeString(file, ldif);
    ldapTool("ldapmodify", "-f", file.toString()).assertOk();
    Files.delete(file);
  }

  // --- replication -------------------------------------------------------------------------

  /**
   * Joins two running instances of the same suffix in multi-supplier replication with lib389's
   * ReplicationManager (the script {@code ds389-replicate.py}): {@code first} becomes the first
   * supplier, {@code second} is initialized from it (its own entries are replaced) and an agreement
   * runs each way. Returns once lib389 has seen a change travel both ways.
   */
  public static void replicate(Ds389 first, Ds389 second) {
    Slapd.ToolResult r =
        Ds389Instances.lib389(
            first.workDir,
            "ds389-replicate.py",
            first.options.suffix,
            first.name,
            Integer.toString(first.port),
            first.passwordFile.toString(),
            second.name,
            Integer.toString(second.port),
            second.passwordFile.toString());
    if (!r.ok()) {
      throw new IllegalStateException(
          "replication between " + first + " and " + second + " failed\n" + r);
    }
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /** Graceful stop (SIGTERM; 389 flushes its database); idempotent. */
  public void stop() {
    process.stop(Duration.ofSeconds(30));
  }

  /** SIGKILL, as a crash would. */
  public void kill9() {
    process.kill();
  }

  /** Starts the stopped instance again on the same port. */
  public void restart() {
    stop();
    launch();
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(30));
    Ds389Instances.stopDaemon(name);
    Ds389Instances.removeInstance(name);
    process.release();
  }

  @Override
  public String toString() {
    return "389-DS " + name + " at " + url();
  }

  // --- creation ----------------------------------------------------------------------------

  private void create() {
    Slapd.ToolResult r =
        Ds389Instances.create(workDir, name, port, ROOT_DN, rootPassword(), options.suffix);
    if (!r.ok()) {
      // ns-slapd says why in its errors log, which goes with the instance.
      String log = ServerProcess.tail(errorsLog(), 0);
      Ds389Instances.stopDaemon(name);
      Ds389Instances.removeInstance(name);
      String why = r.stdout() + r.stderr() + log;
      throw new IllegalStateException(
          "389-DS instance "
              + name
              + " could not be created"
              // ns-slapd: "PR_Bind() ... failed: ... (Local Network address is in use.)".
              // onFreePorts retries on another port when it sees the marker.
              + (why.contains("address is in use") || why.contains("ddress already in use")
                  ? " (Address already in use)"
                  : "")
              + "\n"
              + r
              + log);
    }
  }

  /**
   * Online settings on lib389's running daemon, then its stop: loopback only, the plugins asked
   * for, and the umgw schema file dropped into the instance's schema directory.
   */
  private void configure() {
    try {
      ldapmodify(Ds389Ldif.settings(HOST, options.suffix, options.contentSync));
      Path schema = configDir().resolve("schema/99umgw.ldif");
      Files.copy(Slapd.projectPath("schema/umgw.ldif"), schema);
      Ds389Instances.exec(workDir, List.of("chown", "dirsrv:dirsrv", schema.toString())).assertOk();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure 389-DS instance " + name, e);
    }
    Ds389Instances.stopDaemon(name);
  }

  /** ns-slapd in the foreground ({@code -d 0}), awaited until it answers a root DSE read. */
  private void launch() {
    long from = errorsLogSize();
    process.start(
        List.of(
            slapd.toString(),
            "-D",
            configDir().toString(),
            "-i",
            Ds389Instances.pidFile(name).toString(),
            "-d",
            "0"));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    LDAPConnectionOptions probe = new LDAPConnectionOptions();
    probe.setConnectTimeoutMillis(500);
    probe.setResponseTimeoutMillis(2000);
    try {
      process.await(
          deadline,
          () -> {
            try (LDAPConnection c = new LDAPConnection(probe, HOST, port)) {
              return c.getRootDSE() != null;
            }
          },
          "an LDAP answer on " + url(),
          0);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(
          e.getMessage() + "\n" + ServerProcess.tail(errorsLog(), from), e);
    }
  }

  private long errorsLogSize() {
    try {
      return Files.exists(errorsLog()) ? Files.size(errorsLog()) : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
