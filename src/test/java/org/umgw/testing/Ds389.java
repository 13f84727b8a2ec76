package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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
    sweepLeftovers();
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
        ds.ldapmodify(ds.umgwAccess());
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

  /**
   * The access docs/scaling.md tells a 389 administrator to grant (389 denies what no ACI allows,
   * and operational attributes are not part of {@code targetattr="*"}): anyone reads the umgw
   * entries with their entryUUID and nsUniqueId (the feed's keys); {@link #writerDn()} adds,
   * changes and deletes below the three containers; {@link #readerDn()} is the bound follower
   * content sync needs, and with the plugins on it also reads the retro changelog.
   */
  String umgwAccess() {
    String base = options.suffix;
    StringBuilder ldif = new StringBuilder();
    ldif.append("dn: ").append(base).append("\nchangetype: modify\nadd: aci\n");
    ldif.append(
        "aci: (targetattr=\"* || entryUUID || nsUniqueId || createTimestamp || modifyTimestamp\")"
            + "(version 3.0; acl \"umgw: anyone reads the umgw directory\";"
            + " allow (read, search, compare) userdn=\"ldap:///anyone\";)\n");
    account(ldif, writerDn(), writerPasswordFile());
    account(ldif, readerDn(), readerPasswordFile());
    if (options.contentSync) {
      // The changelog mode reads cn=changelog, which no ACI opens by default (content sync does
      // not need this: the plugin reads the changelog itself).
      ldif.append("\ndn: cn=changelog\nchangetype: modify\nadd: aci\n");
      ldif.append("aci: (targetattr=\"*\")(version 3.0; acl \"umgw: the reader follows the")
          .append(" retro changelog\"; allow (read, search, compare) userdn=\"ldap:///")
          .append(readerDn())
          .append("\";)\n");
    }
    for (String container : List.of("ou=gateways", "ou=dialplans", "ou=servers")) {
      ldif.append("\ndn: ").append(container).append(',').append(base);
      ldif.append("\nchangetype: modify\nadd: aci\n");
      ldif.append("aci: (targetattr=\"*\")(version 3.0; acl \"umgw: the writer manages ")
          .append(container)
          .append("\"; allow (add, delete, write) userdn=\"ldap:///")
          .append(writerDn())
          .append("\";)\n");
    }
    return ldif.toString();
  }

  private void account(StringBuilder ldif, String dn, Path passwordFile) {
    String cn = dn.substring(3, dn.indexOf(','));
    ldif.append("\ndn: ").append(dn).append("\nchangetype: add\n");
    ldif.append("objectClass: top\nobjectClass: applicationProcess\n");
    ldif.append("objectClass: simpleSecurityObject\ncn: ").append(cn).append('\n');
    try {
      if (!Files.exists(passwordFile)) {
        Files.writeString(passwordFile, cn + "-" + name, UTF_8);
      }
      ldif.append("userPassword: ").append(Files.readString(passwordFile)).append('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The account the CLI writes as, with only the ACIs of {@link #umgwAccess()}. */
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
    return exec(cmd);
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
    try {
      Path script = first.workDir.resolve("ds389-replicate.py");
      try (var in = Ds389.class.getResourceAsStream("ds389-replicate.py")) {
        if (in == null) {
          throw new IllegalStateException("ds389-replicate.py missing from the test classpath");
        }
        Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      Slapd.ToolResult r =
          first.exec(
              List.of(
                  PYTHON.toString(),
                  script.toString(),
                  first.options.suffix,
                  first.name,
                  Integer.toString(first.port),
                  first.passwordFile.toString(),
                  second.name,
                  Integer.toString(second.port),
                  second.passwordFile.toString()));
      if (!r.ok()) {
        throw new IllegalStateException(
            "replication between " + first + " and " + second + " failed\n" + r);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up replication", e);
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
    stopDaemon(name);
    removeInstance(name);
    process.release();
  }

  @Override
  public String toString() {
    return "389-DS " + name + " at " + url();
  }

  // --- creation ----------------------------------------------------------------------------

  private void create() {
    try {
      Path inf = workDir.resolve("instance.inf");
      Files.writeString(
          inf,
          String.join(
              "\n",
              "[general]",
              "full_machine_name = localhost",
              "strict_host_checking = False",
              "selinux = False",
              "systemd = False",
              "start = True",
              "[slapd]",
              "instance_name = " + name,
              "port = " + port,
              "self_sign_cert = False",
              "root_dn = " + ROOT_DN,
              "root_password = " + rootPassword(),
              "[backend-userroot]",
              "suffix = " + options.suffix,
              "create_suffix_entry = True",
              "sample_entries = no",
              ""));
      Path script = workDir.resolve("ds389-create.py");
      try (var in = Ds389.class.getResourceAsStream("ds389-create.py")) {
        if (in == null) {
          throw new IllegalStateException("ds389-create.py missing from the test classpath");
        }
        Files.copy(in, script);
      }
      Slapd.ToolResult r = exec(List.of(PYTHON.toString(), script.toString(), inf.toString()));
      if (!r.ok()) {
        stopDaemon(name);
        removeInstance(name);
        String why = r.stdout() + r.stderr();
        throw new IllegalStateException(
            "389-DS instance "
                + name
                + " could not be created"
                + (why.contains("ddress already in use") ? " (Address already in use)" : "")
                + "\n"
                + r
                + ServerProcess.tail(errorsLog(), 0));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create 389-DS instance " + name, e);
    }
  }

  /**
   * Online settings on lib389's running daemon, then its stop: loopback only, the plugins asked
   * for, and the umgw schema file dropped into the instance's schema directory.
   */
  private void configure() {
    StringBuilder ldif = new StringBuilder();
    ldif.append("dn: cn=config\nchangetype: modify\nreplace: nsslapd-listenhost\n")
        .append("nsslapd-listenhost: ")
        .append(HOST)
        .append("\n");
    if (options.contentSync) {
      // As `dsconf INSTANCE plugin retro-changelog enable` + `plugin contentsync enable` would,
      // with the two attributes content sync needs to name deleted entries.
      ldif.append(
          """

          dn: cn=Retro Changelog Plugin,cn=plugins,cn=config
          changetype: modify
          replace: nsslapd-pluginEnabled
          nsslapd-pluginEnabled: on
          -
          replace: nsslapd-attribute
          nsslapd-attribute: nsuniqueid:targetUniqueId
          nsslapd-attribute: entryuuid:targetEntryUUID
          -
          replace: nsslapd-include-suffix
          """);
      ldif.append("nsslapd-include-suffix: ").append(options.suffix).append("\n");
      ldif.append(
          """

          dn: cn=Content Synchronization,cn=plugins,cn=config
          changetype: modify
          replace: nsslapd-pluginEnabled
          nsslapd-pluginEnabled: on
          """);
    }
    try {
      ldapmodify(ldif.toString());
      Path schema = configDir().resolve("schema/99umgw.ldif");
      Files.copy(Slapd.projectPath("schema/umgw.ldif"), schema);
      exec(List.of("chown", "dirsrv:dirsrv", schema.toString())).assertOk();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure 389-DS instance " + name, e);
    }
    stopDaemon(name);
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
            pidFile(name).toString(),
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

  // --- instances on disk -------------------------------------------------------------------

  private static Path pidFile(String name) {
    return Path.of("/run/dirsrv/slapd-" + name + ".pid");
  }

  /** Every place an instance leaves something; the first one makes it an instance. */
  private static List<Path> instancePaths(String name) {
    String slapdName = "slapd-" + name;
    return List.of(
        Path.of("/etc/dirsrv", slapdName),
        Path.of("/var/lib/dirsrv", slapdName),
        Path.of("/var/log/dirsrv", slapdName),
        Path.of("/run/lock/dirsrv", slapdName),
        Path.of("/dev/shm", slapdName),
        Path.of("/dev/shm", "sem." + slapdName + ".stats"),
        Path.of("/run/dirsrv", slapdName + ".pid"),
        Path.of("/run/dirsrv", slapdName + ".stats"),
        Path.of("/run", slapdName + ".socket"));
  }

  /** Stops a daemonised ns-slapd of this instance (lib389's), waiting for it to exit. */
  private static void stopDaemon(String name) {
    ProcessHandle.of(readPid(name))
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.endsWith("ns-slapd")).orElse(false))
        .ifPresent(
            h -> {
              h.destroy();
              try {
                h.onExit().get(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                h.destroyForcibly();
              }
            });
  }

  private static long readPid(String name) {
    try {
      return Long.parseLong(Files.readString(pidFile(name)).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  private static void removeInstance(String name) {
    for (Path p : instancePaths(name)) {
      if (Files.isDirectory(p)) {
        TestFiles.deleteRecursively(p);
      } else {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove " + p + " of 389-DS instance " + name, e);
        }
      }
    }
  }

  /**
   * Removes instances a killed earlier run left behind: named {@link #PREFIX}*, with no live
   * ns-slapd and older than a creation takes (another JVM may be creating one right now).
   */
  private static void sweepLeftovers() {
    Path etc = Path.of("/etc/dirsrv");
    if (!Files.isDirectory(etc)) {
      return;
    }
    Instant old = Instant.now().minus(Duration.ofMinutes(5));
    try (Stream<Path> dirs = Files.list(etc)) {
      for (Path dir : dirs.toList()) {
        String file = dir.getFileName().toString();
        if (!file.startsWith("slapd-" + PREFIX)) {
          continue;
        }
        String leftover = file.substring("slapd-".length());
        boolean running =
            ProcessHandle.of(readPid(leftover)).map(ProcessHandle::isAlive).orElse(false);
        FileTime modified = Files.getLastModifiedTime(dir);
        if (!running && modified.toInstant().isBefore(old)) {
          removeInstance(leftover);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + etc, e);
    }
  }

  private Slapd.ToolResult exec(List<String> cmd) {
    try {
      Path out = Files.createTempFile(workDir, "tool-", ".out");
      Path err = Files.createTempFile(workDir, "tool-", ".err");
      Process p =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      Slapd.ToolResult r =
          new Slapd.ToolResult(
              cmd, p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }
}
