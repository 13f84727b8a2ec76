package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenLDAP {@code slapd} for integration tests: private temp directory, 127.0.0.1, free high
 * port, child process killed by PID.
 *
 * <p>The in-memory UnboundID server and ApacheDS accept schema and data that OpenLDAP rejects (and
 * the other way round), and neither implements RFC 4533 content sync; this harness exists so that
 * the OpenLDAP schema forms, the sample LDIF and sync-based code are proven against the server
 * operators actually run. It configures back_mdb with equality indexes on {@code objectClass},
 * {@code umAddress} and {@code umDialPlanLink}, a syncprov overlay, unlimited size limits,
 * anonymous read and rootdn write.
 *
 * <pre>{@code
 * try (Slapd slapd = Slapd.start(Slapd.options().schemaForm(Slapd.SchemaForm.SLAPD_CONF))) {
 *   slapd.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
 *   try (LDAPConnection c = slapd.connect()) { ... }
 * }
 * }</pre>
 *
 * <p>The binaries must be installed ({@code .ci/run} does it); a missing binary is an error, never
 * a skipped test. Set {@code -Dumgw.slapd.keep=true} to keep the temp directory after close.
 */
public final class Slapd implements AutoCloseable {

  /** Which of the two OpenLDAP renderings of the umgw schema the server loads. */
  public enum SchemaForm {
    /**
     * {@code schema/umgw-openldap.ldif} included into a cn=config built by {@code slapadd -n 0}.
     */
    CN_CONFIG("schema/umgw-openldap.ldif"),
    /** {@code schema/umgw.schema} included from a generated {@code slapd.conf} ({@code -f}). */
    SLAPD_CONF("schema/umgw.schema");

    private final String defaultFile;

    SchemaForm(String defaultFile) {
      this.defaultFile = defaultFile;
    }

    /** The project-relative path of this form's schema file. */
    public String defaultFile() {
      return defaultFile;
    }
  }

  /** Start-up settings; every setter returns {@code this}. */
  public static final class Options {
    private String suffix = "dc=umgw,dc=example";
    private String rootPassword = "umgw-test-secret";
    private SchemaForm schemaForm = SchemaForm.CN_CONFIG;
    private Path schemaFile;
    private boolean createSuffixEntry;
    private boolean tls;
    private Path modulePath = Path.of("/usr/lib/ldap");
    private Duration startTimeout = Duration.ofSeconds(15);

    private Options() {}

    /** Base DN of the mdb database (default {@code dc=umgw,dc=example}). */
    public Options suffix(String suffix) {
      try {
        this.suffix = new DN(suffix).toString();
      } catch (LDAPException e) {
        throw new IllegalArgumentException("bad suffix DN: " + suffix, e);
      }
      return this;
    }

    /** Password of {@code cn=admin,<suffix>} and {@code cn=admin,cn=config}. */
    public Options rootPassword(String rootPassword) {
      if (rootPassword.isEmpty() || rootPassword.matches("(?s).*[\\r\\n\"\\\\].*")) {
        throw new IllegalArgumentException(
            "root password must be non-empty, one line, no \" or \\");
      }
      this.rootPassword = rootPassword;
      return this;
    }

    /** Schema rendering to load (default {@link SchemaForm#CN_CONFIG}). */
    public Options schemaForm(SchemaForm schemaForm) {
      this.schemaForm = Objects.requireNonNull(schemaForm);
      return this;
    }

    /** Loads this file instead of the project's file for the chosen form (must match the form). */
    public Options schemaFile(Path schemaFile) {
      this.schemaFile = schemaFile.toAbsolutePath();
      return this;
    }

    /**
     * Adds the suffix entry after start-up (off by default because {@code ldif/sample.ldif}
     * contains it). Supports {@code dc=}, {@code o=} and {@code ou=} suffixes.
     */
    public Options createSuffixEntry(boolean createSuffixEntry) {
      this.createSuffixEntry = createSuffixEntry;
      return this;
    }

    /**
     * Also listens on ldaps:// and offers StartTLS, with a throwaway self-signed certificate for
     * 127.0.0.1/localhost that is its own CA ({@link Slapd#tlsCaFile()}).
     */
    public Options tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /** Directory holding back_mdb.so and syncprov.so (default Debian's {@code /usr/lib/ldap}). */
    public Options modulePath(Path modulePath) {
      this.modulePath = modulePath;
      return this;
    }

    /** How long to wait for the listener after each (re)start (default 15 s). */
    public Options startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }
  }

  /** Exit code and output of a command-line tool. */
  public record ToolResult(List<String> command, int exitCode, String stdout, String stderr) {

    /** True for exit code 0. */
    public boolean ok() {
      return exitCode == 0;
    }

    /** Returns {@code this} if the tool exited 0, otherwise fails with its output. */
    public ToolResult assertOk() {
      if (!ok()) {
        throw new AssertionError(this);
      }
      return this;
    }

    @Override
    public String toString() {
      return String.join(" ", command)
          + " -> exit "
          + exitCode
          + "\n--- stdout ---\n"
          + stdout
          + "\n--- stderr ---\n"
          + stderr;
    }
  }

  private static final String NOT_INSTALLED =
      " not installed: run .ci/run or apt-get install slapd ldap-utils";
  private static final String HOST = "127.0.0.1";
  private static final int PORT_ATTEMPTS = 5;

  private final Options options;
  private final Path workDir;
  private final Path dataDir;
  private final Path logFile;
  private final Path passwordFile;
  private final Path ldapConf;
  private final Path schemaFile;
  private final Path slapdBinary;
  private final List<String> configArgs;
  private final Path tlsCaFile;
  private final String rootDn;
  private final ServerProcess server;
  private int port;
  private int ldapsPort = -1;
  private boolean closed;

  private Slapd(Options options) throws IOException {
    this.options = options;
    this.slapdBinary = requireBinary("slapd");
    this.rootDn = "cn=admin," + options.suffix;
    this.schemaFile =
        options.schemaFile != null
            ? options.schemaFile
            : projectPath(options.schemaForm.defaultFile());
    if (!Files.isRegularFile(schemaFile)) {
      throw new IllegalStateException(
          "umgw schema file not found: "
              + schemaFile
              + " (generated from schema/umgw.ldif by `umgw schema --format "
              + (options.schemaForm == SchemaForm.CN_CONFIG ? "openldap-ldif" : "openldap-schema")
              + "`)");
    }
    for (String module : List.of("back_mdb", "syncprov")) {
      if (!Files.exists(options.modulePath.resolve(module + ".so"))) {
        throw new IllegalStateException(
            "slapd module "
                + module
                + " missing in "
                + options.modulePath
                + ": slapd"
                + NOT_INSTALLED);
      }
    }
    this.workDir = Files.createTempDirectory("umgw-slapd-").toRealPath();
    this.dataDir = workDir.resolve("data");
    this.logFile = workDir.resolve("slapd.log");
    this.passwordFile = workDir.resolve("rootpw");
    this.ldapConf = workDir.resolve("ldap.conf");
    try {
      Files.createDirectory(dataDir);
      Files.writeString(passwordFile, options.rootPassword, UTF_8);
      TestFiles.restrict(passwordFile);
      TestCertificate tls = options.tls ? certificate(workDir.resolve("tls")) : null;
      this.tlsCaFile = tls == null ? null : tls.pem();
      Files.writeString(
          ldapConf, tlsCaFile == null ? "" : "TLS_CACERT " + tlsCaFile + "\nTLS_REQCERT demand\n");
      this.configArgs =
          new SlapdConfig(
                  workDir,
                  dataDir,
                  schemaFile,
                  tls,
                  options.modulePath,
                  options.suffix,
                  rootDn,
                  configRootDn(),
                  options.rootPassword,
                  this::exec)
              .write(options.schemaForm);
    } catch (IOException | RuntimeException e) {
      TestFiles.deleteRecursively(workDir);
      throw e;
    }
    this.server = new ServerProcess("slapd", workDir, logFile);
  }

  /** Default options: {@code dc=umgw,dc=example}, cn=config schema form, no TLS. */
  public static Options options() {
    return new Options();
  }

  /** Starts slapd with default options. */
  public static Slapd start() {
    return start(options());
  }

  /** Builds the configuration, starts slapd and waits until it answers LDAP. */
  public static Slapd start(Options options) {
    Slapd slapd;
    try {
      slapd = new Slapd(options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare slapd", e);
    }
    try {
      slapd.launchOnFreePorts();
      if (options.createSuffixEntry) {
        slapd.addSuffixEntry();
      }
      return slapd;
    } catch (RuntimeException | Error e) {
      slapd.close();
      throw e;
    }
  }

  /**
   * Resolves a project-relative path against the Maven base directory (the {@code basedir} property
   * surefire sets, else the nearest ancestor of the working directory with a pom.xml).
   */
  public static Path projectPath(String relative) {
    String basedir = System.getProperty("basedir");
    Path root = basedir != null ? Path.of(basedir) : Path.of("").toAbsolutePath();
    for (Path p = root; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("pom.xml"))) {
        root = p;
        break;
      }
    }
    return root.resolve(relative).toAbsolutePath().normalize();
  }

  // --- accessors ---------------------------------------------------------------------------

  /** {@code ldap://127.0.0.1:PORT}. */
  public String url() {
    return "ldap://" + HOST + ":" + port;
  }

  /** {@code ldaps://127.0.0.1:PORT}; requires {@link Options#tls(boolean)}. */
  public String ldapsUrl() {
    return "ldaps://" + HOST + ":" + ldapsPort();
  }

  public String host() {
    return HOST;
  }

  public int port() {
    return port;
  }

  /** The ldaps:// port; requires {@link Options#tls(boolean)}. */
  public int ldapsPort() {
    requireTls();
    return ldapsPort;
  }

  public String suffix() {
    return options.suffix;
  }

  /** {@code cn=admin,<suffix>}: the rootdn of the mdb database. */
  public String rootDn() {
    return rootDn;
  }

  /** {@code cn=admin,cn=config}: rootdn of the config database (same password). */
  public String configRootDn() {
    return "cn=admin,cn=config";
  }

  public String rootPassword() {
    return options.rootPassword;
  }

  /** A file holding the root password without a trailing newline (for {@code -y}). */
  public Path rootPasswordFile() {
    return passwordFile;
  }

  /** The back_mdb directory; survives {@link #restart()} and {@link #kill9()}. */
  public Path dataDir() {
    return dataDir;
  }

  /** The temp directory holding config, data, log, password file and certificates. */
  public Path workDir() {
    return workDir;
  }

  /** Combined stdout/stderr of every slapd run ({@code -d none}: errors and start/stop lines). */
  public Path logFile() {
    return logFile;
  }

  /** The schema file that was loaded. */
  public Path schemaFile() {
    return schemaFile;
  }

  /** PEM certificate clients trust (the self-signed server certificate); requires TLS. */
  public Path tlsCaFile() {
    requireTls();
    return tlsCaFile;
  }

  /** PID of the running slapd. */
  public long pid() {
    return server.pid();
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  // --- connections and tools ---------------------------------------------------------------

  /** A new connection bound as {@link #rootDn()}; the caller closes it. */
  public LDAPConnection connect() throws LDAPException {
    return new LDAPConnection(HOST, port, rootDn, options.rootPassword);
  }

  /** A new anonymous connection; the caller closes it. */
  public LDAPConnection connectAnonymous() throws LDAPException {
    return new LDAPConnection(HOST, port);
  }

  /** A new ldaps:// connection bound as {@link #rootDn()}; requires TLS. */
  public LDAPConnection connectLdaps() throws LDAPException {
    try {
      return new LDAPConnection(
          sslUtil().createSSLSocketFactory(), HOST, ldapsPort(), rootDn, options.rootPassword);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A new ldap:// connection upgraded with StartTLS, then bound as {@link #rootDn()}. */
  public LDAPConnection connectStartTls() throws LDAPException {
    LDAPConnection c = new LDAPConnection(HOST, port);
    try {
      ResultCode rc =
          c.processExtendedOperation(new StartTLSExtendedRequest(sslUtil().createSSLContext()))
              .getResultCode();
      if (rc != ResultCode.SUCCESS) {
        throw new LDAPException(rc, "StartTLS failed");
      }
      c.bind(rootDn, options.rootPassword);
      return c;
    } catch (GeneralSecurityException e) {
      c.close();
      throw new IllegalStateException(e);
    } catch (LDAPException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** An {@link SSLUtil} trusting only {@link #tlsCaFile()}. */
  public SSLUtil sslUtil() {
    try {
      return new SSLUtil(new PEMFileTrustManager(tlsCaFile().toFile()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs an ldap-utils client bound as root: {@code tool -x -H url -D rootdn -y pwfile args...}.
   * For example {@code ldapTool("ldapadd", "-f", "ldif/sample.ldif")}.
   */
  public ToolResult ldapTool(String tool, String... args) {
    List<String> cmd = new ArrayList<>(List.of("-x", "-H", url(), "-D", rootDn, "-y"));
    cmd.add(passwordFile.toString());
    cmd.addAll(List.of(args));
    return exec(tool, cmd.toArray(String[]::new));
  }

  /**
   * Runs an ldap-utils client bound as the config database's root ({@link #configRootDn()}), e.g.
   * {@code configTool("ldapmodify", "-f", overlays)} to change cn=config of the running server.
   */
  public ToolResult configTool(String tool, String... args) {
    List<String> cmd = new ArrayList<>(List.of("-x", "-H", url(), "-D", configRootDn(), "-y"));
    cmd.add(passwordFile.toString());
    cmd.addAll(List.of(args));
    return exec(tool, cmd.toArray(String[]::new));
  }

  /**
   * Runs a tool with exactly these arguments (stdin closed, 60 s limit). LDAP clients read this
   * instance's {@code ldap.conf} (trusting {@link #tlsCaFile()} when TLS is on), never the system's
   * or the user's.
   */
  public ToolResult exec(String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(requireBinary(tool).toString());
    cmd.addAll(List.of(args));
    try {
      Path out = Files.createTempFile(workDir, "tool-", ".out");
      Path err = Files.createTempFile(workDir, "tool-", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      pb.environment().put("LDAPCONF", ldapConf.toString());
      pb.environment().put("LDAPRC", "umgw-test-no-ldaprc");
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("timed out after 60 s: " + String.join(" ", cmd));
      }
      ToolResult result =
          new ToolResult(
              List.copyOf(cmd),
              p.exitValue(),
              new String(Files.readAllBytes(out), UTF_8),
              new String(Files.readAllBytes(err), UTF_8));
      Files.delete(out);
      Files.delete(err);
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /** slapd with the shipped sample directory ({@code ldif/sample.ldif}) loaded by ldapadd. */
  public static Slapd startWithSample() {
    Slapd slapd = start();
    try {
      slapd.ldapTool("ldapadd", "-f", projectPath("ldif/sample.ldif").toString()).assertOk();
      return slapd;
    } catch (RuntimeException e) {
      slapd.close();
      throw e;
    }
  }

  /**
   * A temp hosts file with the sample's names ({@code ldif/sample.hosts}) plus localhost, so the
   * sample resolves with no DNS server; the caller deletes it.
   */
  public static Path sampleHostsFile() throws IOException {
    Path hosts = Files.createTempFile("umgw-sample-hosts", ".txt");
    Files.writeString(
        hosts, Files.readString(projectPath("ldif/sample.hosts")) + "\n127.0.0.1 localhost\n");
    return hosts;
  }

  /** Applies LDIF change records with the real {@code ldapmodify}, as an administrator would. */
  public void ldapmodify(String ldif) throws IOException {
    Path file = Files.createTempFile(workDir, "change-", ".ldif");
    Files.writeString(file, ldif);
    ldapTool("ldapmodify", "-f", file.toString()).assertOk();
    Files.delete(file);
  }

  /** Graceful stop: SIGTERM, then SIGKILL after 10 s. Idempotent. */
  public void stop() {
    server.stop(Duration.ofSeconds(10));
  }

  /**
   * Applies LDIF change records to the database offline with {@code slapmodify -w} (slapd must be
   * stopped), as an administrator repairing a down server would; {@code -w} advances the contextCSN
   * as a write through slapd would, so content-sync consumers see the change. (Deletes crash
   * slapmodify 2.5.13 with {@code -w}.)
   */
  public void slapmodify(String ldif) {
    if (isRunning()) {
      throw new IllegalStateException("slapmodify needs slapd stopped: " + this);
    }
    try {
      Path file = Files.createTempFile(workDir, "offline-", ".ldif");
      Files.writeString(file, ldif);
      exec(
              "slapmodify",
              "-F",
              workDir.resolve("slapd.d").toString(),
              "-b",
              options.suffix,
              "-w",
              "-l",
              file.toString())
          .assertOk();
      Files.delete(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** SIGKILL, for fault tests: no clean shutdown (back_mdb recovers on {@link #restart()}). */
  public void kill9() {
    server.kill();
  }

  /** Stops slapd if it is running and starts it again on the same ports with the same data. */
  public void restart() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    stop();
    launch();
  }

  /** Stops slapd and deletes the temp directory (unless {@code -Dumgw.slapd.keep=true}). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    server.release();
  }

  @Override
  public String toString() {
    return "Slapd[" + url() + ", " + options.schemaForm + ", " + workDir + "]";
  }

  private void launchOnFreePorts() {
    // Another process may grab the probed port before slapd binds it: try fresh ports.
    ServerProcess.onFreePorts(
        PORT_ATTEMPTS,
        "errno=98",
        () -> {
          port = ServerProcess.freePort(p -> ServerProcess.tcpFree(HOST, p));
          if (options.tls) {
            ldapsPort = ServerProcess.freePort(p -> p != port && ServerProcess.tcpFree(HOST, p));
          }
        },
        this::launch);
  }

  /** Starts slapd and polls until it answers a root DSE read; fails fast if the process exits. */
  private void launch() {
    List<String> cmd = new ArrayList<>(List.of(slapdBinary.toString(), "-d", "none", "-h"));
    cmd.add(url() + "/" + (options.tls ? " " + ldapsUrl() + "/" : ""));
    cmd.addAll(configArgs);
    long from = server.start(cmd);
    LDAPConnectionOptions probe = new LDAPConnectionOptions();
    probe.setConnectTimeoutMillis(500);
    probe.setResponseTimeoutMillis(1000);
    server.await(
        System.nanoTime() + options.startTimeout.toNanos(),
        () -> {
          try (LDAPConnection c = new LDAPConnection(probe, HOST, port)) {
            return c.getRootDSE() != null && server.isRunning();
          }
        },
        "an answer on " + url() + " within " + options.startTimeout.toSeconds() + " s: " + cmd,
        from);
  }

  private void addSuffixEntry() {
    try (LDAPConnection c = connect()) {
      RDN rdn = new DN(options.suffix).getRDN();
      String attr = rdn.getAttributeNames()[0].toLowerCase(Locale.ROOT);
      String objectClass =
          switch (attr) {
            case "dc" -> "domain";
            case "o" -> "organization";
            case "ou" -> "organizationalUnit";
            default ->
                throw new IllegalArgumentException(
                    "createSuffixEntry supports dc=, o= and ou= suffixes, not " + options.suffix);
          };
      c.add(
          new Entry(
              options.suffix,
              new Attribute("objectClass", "top", objectClass),
              new Attribute(attr, rdn.getAttributeValues()[0])));
    } catch (LDAPException e) {
      throw new IllegalStateException("cannot add suffix entry " + options.suffix, e);
    }
  }

  private void requireTls() {
    if (!options.tls) {
      throw new IllegalStateException("start with Slapd.options().tls(true)");
    }
  }

  /** A self-signed certificate for localhost and 127.0.0.1: slapd's, and what clients trust. */
  private static TestCertificate certificate(Path dir) throws IOException {
    try {
      return TestCertificate.generateRsa(Files.createDirectory(dir), "localhost", List.of(HOST));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate slapd's certificate", e);
    }
  }

  // --- files, ports, binaries --------------------------------------------------------------

  /** Finds an executable on PATH or in the sbin directories a non-root PATH may lack. */
  private static Path requireBinary(String name) {
    return ServerProcess.requireBinary(name, name + NOT_INSTALLED);
  }
}
