package org.umgw.embedded;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.listener.Base64PasswordEncoderOutputFormatter;
import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.SaltedMessageDigestInMemoryPasswordEncoder;
import com.unboundid.ldap.listener.WhoAmIExtendedOperationHandler;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;
import org.umgw.model.UmgwException;
import org.umgw.schema.UmgwSchema;

/**
 * The built-in directory umgw uses when no {@code --ldap-url} is given: UnboundID's in-memory
 * server with the umgw schema (schema checking on), persisted under a data directory.
 *
 * <pre>{@code
 * try (EmbeddedDirectory dir = EmbeddedDirectory.open(Path.of("umgw-data"))) {
 *   DirectoryStore store = new DirectoryStore(dir.pool(), dir.layout());
 *   store.createDialPlan(DialPlan.of("DP1", UriType.TelExtn, 5)); // on disk when this returns
 *   dir.serve("127.0.0.1", 10389, ServeOptions.defaults());       // optional: publish over LDAP
 * }
 * }</pre>
 *
 * <p>Durability: every successful add, modify, delete and modify DN, whether it comes from {@link
 * #pool()} or from an LDAP client of {@link #serve}, is appended to a journal and fsync'd before
 * its result is returned (see {@link JournalingInterceptor}), so a change reported as done survives
 * {@code kill -9} or power loss at any moment. {@link #open} rebuilds the content from the last
 * snapshot and the journal, ignoring a torn last write; snapshots are replaced only by atomic
 * rename (see {@link DataDirectory}). One process at a time uses a data directory.
 *
 * <p>{@link #server()} is exposed for reading and for its listeners; its own write methods ({@code
 * add}, {@code importFromLDIF}, ...) bypass the journal and must not be used.
 */
public final class EmbeddedDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDirectory.class);

  public static final Path DEFAULT_DATA_DIR = Path.of("umgw-data");
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 10389;

  /**
   * Entries kept at {@code cn=changelog}, the change feed of the running process. The changelog
   * lives in memory: change numbers restart at every open, and the open itself logs one add per
   * entry loaded (UnboundID records the import), so a consumer sees a restart as {@code
   * lastChangeNumber} going back followed by a full reload.
   */
  public static final int MAX_CHANGELOG_ENTRIES = 10_000;

  static final String SAMPLE_LDIF = "/umgw/ldif/sample.ldif";
  static final String SAMPLE_HOSTS = "/umgw/ldif/sample.hosts";
  private static final String INTERNAL_LISTENER = "internal";
  private static final String LDAP_LISTENER = "ldap";
  private static final String STARTTLS_LISTENER = "ldap-starttls";
  private static final int POOL_SIZE = 8;

  /**
   * How to open a data directory.
   *
   * @param baseDn the base DN; a new data directory under the default base is seeded with the
   *     sample, under another base with the base entry and the three containers
   * @param compactAfterBytes journal size that triggers a snapshot
   * @param compactAfterTransactions journal transactions that trigger a snapshot
   */
  public record Options(String baseDn, long compactAfterBytes, long compactAfterTransactions) {
    public Options {
      requireNonNull(baseDn, "baseDn == null");
      if (compactAfterBytes < 1 || compactAfterTransactions < 1) {
        throw new IllegalArgumentException("compaction thresholds must be positive");
      }
    }

    /** The default base, a snapshot every 4 MiB or 10,000 writes. */
    public static Options defaults() {
      return new Options(DirectoryLayout.DEFAULT_BASE, 4L << 20, 10_000);
    }

    public Options withBaseDn(String baseDn) {
      return new Options(baseDn, compactAfterBytes, compactAfterTransactions);
    }

    public Options withCompaction(long afterBytes, long afterTransactions) {
      return new Options(baseDn, afterBytes, afterTransactions);
    }
  }

  private final Path dataDir;
  private final DataDirectory files;
  private final DirectoryLayout layout;
  private final DN adminDn;
  private final InMemoryDirectoryServer server;
  private final JournalingInterceptor journal;
  private final ServeSockets serveSockets;
  private final ServeAccess access;
  private final SingleServerSet internalServer;
  private final SimpleBindRequest internalBind;
  private final LDAPConnectionPool pool;
  private final List<String> recoveryWarnings;
  private InetSocketAddress serving;
  private String listener;
  private boolean closed;

  private EmbeddedDirectory(
      Path dataDir,
      DataDirectory files,
      DirectoryLayout layout,
      DN adminDn,
      InMemoryDirectoryServer server,
      JournalingInterceptor journal,
      ServeSockets serveSockets,
      ServeAccess access,
      SingleServerSet internalServer,
      SimpleBindRequest internalBind,
      LDAPConnectionPool pool,
      List<String> recoveryWarnings) {
    this.dataDir = dataDir;
    this.files = files;
    this.layout = layout;
    this.adminDn = adminDn;
    this.server = server;
    this.journal = journal;
    this.serveSockets = serveSockets;
    this.access = access;
    this.internalServer = internalServer;
    this.internalBind = internalBind;
    this.pool = pool;
    this.recoveryWarnings = recoveryWarnings;
  }

  /**
   * Whether {@code dataDir} holds an embedded directory (its snapshot), so that opening it reads
   * what is there instead of creating and seeding a new one.
   */
  public static boolean exists(Path dataDir) {
    return Files.isRegularFile(dataDir.resolve(DataDirectory.SNAPSHOT));
  }

  /** Opens (creating and seeding if needed) the data directory under the default base. */
  public static EmbeddedDirectory open(Path dataDir) {
    return open(dataDir, Options.defaults());
  }

  /**
   * Opens the data directory: takes its lock, seeds it on first use, otherwise loads the snapshot
   * and replays the journal, and starts the in-process listener behind {@link #pool()}.
   *
   * @throws UmgwException when another process uses the directory, when its files are damaged
   *     beyond what a crash explains, or when it holds another base DN
   */
  public static EmbeddedDirectory open(Path dataDir, Options options) {
    requireNonNull(dataDir, "dataDir == null");
    DirectoryLayout layout = DirectoryLayout.of(options.baseDn());
    Path dir = dataDir.toAbsolutePath().normalize();
    DataDirectory files = DataDirectory.lock(dir);
    InMemoryDirectoryServer server = null;
    JournalingInterceptor journal = null;
    try {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      secret = Base64.getEncoder().encode(secret);
      DN adminDn = new DN(new RDN("cn", "admin"), layout.base());
      journal =
          new JournalingInterceptor(
              files,
              layout.base(),
              adminDn,
              secret,
              options.compactAfterBytes(),
              options.compactAfterTransactions());
      InProcessTransport transport = new InProcessTransport();
      ServeSockets serveSockets = new ServeSockets();
      ServeAccess access = new ServeAccess(adminDn);
      server =
          new InMemoryDirectoryServer(
              config(layout, adminDn, secret, access, journal, transport, serveSockets));
      journal.attach(server);

      DataDirectory.Recovered recovered = DataDirectory.recover(dir, layout.base());
      DirectoryImage image = recovered.image();
      if (image == null) {
        image = seed(files, layout);
      }
      server.importFromLDIF(true, new LDIFReader(new ByteArrayInputStream(image.toLdif())));
      if (recovered.appendable() != null) {
        journal.resume(
            Journal.reopen(recovered.appendable(), recovered.appendableReplay()),
            recovered.generation());
      } else {
        journal.compact(recovered.generation());
      }
      server.startListening(INTERNAL_LISTENER);
      LDAPConnectionOptions connectionOptions = new LDAPConnectionOptions();
      connectionOptions.setConnectTimeoutMillis(10_000);
      SingleServerSet internalServer =
          new SingleServerSet(
              "127.0.0.1",
              InProcessTransport.PORT,
              transport.clientSocketFactory(),
              connectionOptions);
      SimpleBindRequest internalBind = new SimpleBindRequest(adminDn.toString(), secret);
      LDAPConnectionPool pool = new LDAPConnectionPool(internalServer, internalBind, 1, POOL_SIZE);
      pool.setConnectionPoolName("umgw-embedded");
      LOG.debug("opened {}: {} entries", dir, image.size());
      return new EmbeddedDirectory(
          dir,
          files,
          layout,
          adminDn,
          server,
          journal,
          serveSockets,
          access,
          internalServer,
          internalBind,
          pool,
          recovered.warnings());
    } catch (LDAPException | IOException e) {
      abandon(server, journal, files);
      throw new UmgwException(
          "cannot open the embedded directory in " + dir + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      abandon(server, journal, files);
      throw e;
    }
  }

  private static InMemoryDirectoryServerConfig config(
      DirectoryLayout layout,
      DN adminDn,
      byte[] secret,
      ServeAccess access,
      JournalingInterceptor journal,
      InProcessTransport transport,
      ServeSockets serveSockets)
      throws LDAPException {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(layout.base());
    config.setSchema(UmgwSchema.load().withStandardSchema());
    config.setMaxChangeLogEntries(MAX_CHANGELOG_ENTRIES);
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
    // Access control first, so a refused write never waits for the journal's lock.
    config.addInMemoryOperationInterceptor(access);
    config.addInMemoryOperationInterceptor(journal);
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
        new InMemoryListenerConfig(
            STARTTLS_LISTENER,
            null,
            0,
            serveSockets.serverSocketFactory(),
            null,
            serveSockets.startTlsSocketFactory()));
    return config;
  }

  /** The content of a new data directory; also installs the sample hosts file. */
  private static DirectoryImage seed(DataDirectory files, DirectoryLayout layout)
      throws IOException, LDAPException {
    files.copyResourceIfAbsent(SAMPLE_HOSTS, DataDirectory.HOSTS);
    DirectoryImage image = new DirectoryImage();
    if (layout.base().equals(new DN(DirectoryLayout.DEFAULT_BASE))) {
      try (InputStream in = EmbeddedDirectory.class.getResourceAsStream(SAMPLE_LDIF)) {
        if (in == null) {
          throw new UmgwException("resource " + SAMPLE_LDIF + " is missing from the jar");
        }
        LDIFReader reader = new LDIFReader(in);
        Entry e;
        while ((e = reader.readEntry()) != null) {
          image.put(e);
        }
      } catch (LDIFException e) {
        throw new UmgwException(SAMPLE_LDIF + " is not valid LDIF: " + e.getMessage(), e);
      }
      LOG.info("new data directory {}: seeded with the sample directory", files.dir());
    } else {
      image.put(layout.baseEntry());
      for (Entry container : layout.containerEntries()) {
        image.put(container);
      }
      LOG.info("new data directory {}: base {} with empty containers", files.dir(), layout.base());
    }
    return image;
  }

  private static void abandon(
      InMemoryDirectoryServer server, JournalingInterceptor journal, DataDirectory files) {
    if (server != null) {
      server.shutDown(true);
    }
    if (journal != null) {
      journal.closeJournal();
    }
    files.close();
  }

  // ---------------------------------------------------------------- accessors

  /** Connections inside this process (no network), bound as the administrator. */
  public LDAPConnectionPool pool() {
    return pool;
  }

  /**
   * A new in-process connection bound as the administrator, for callers that need one connection of
   * their own (the pool's are shared); the caller closes it.
   */
  public LDAPConnection connection() {
    ensureOpen();
    LDAPConnection c = null;
    try {
      c = internalServer.getConnection();
      c.bind(internalBind.duplicate());
      return c;
    } catch (LDAPException e) {
      if (c != null) {
        c.close();
      }
      throw new UmgwException("cannot connect to the embedded directory: " + e.getMessage(), e);
    }
  }

  /**
   * The server, for reading and for its listeners. Its write methods ({@code add}, {@code
   * importFromLDIF}, ...) bypass the journal and must not be used; connections from its {@code
   * getConnection()} go through the journal but are anonymous, hence read-only.
   */
  public InMemoryDirectoryServer server() {
    return server;
  }

  public DirectoryLayout layout() {
    return layout;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The hosts file of the sample names, consulted before DNS (created on first use). */
  public Path hostsFile() {
    return dataDir.resolve(DataDirectory.HOSTS);
  }

  /** The default administrator password file of {@link #serve}. */
  public Path adminPasswordFile() {
    return dataDir.resolve(DataDirectory.ADMIN_PASSWORD);
  }

  /** {@code cn=admin,<base>}: the DN LDAP clients bind as to write. */
  public DN adminDn() {
    return adminDn;
  }

  /** What recovery ignored when opening (torn writes of a crash); already logged as warnings. */
  public List<String> recoveryWarnings() {
    return recoveryWarnings;
  }

  /** Where {@link #serve} listens, or {@code null}. */
  public synchronized InetSocketAddress serving() {
    return serving;
  }

  // ---------------------------------------------------------------- serve

  /**
   * Publishes the directory over LDAP on {@code host:port} (port 0 picks a free one). Anonymous
   * clients may read, including the subschema entry {@code cn=schema} and {@code cn=changelog};
   * writes need a bind as {@link #adminDn()} with the password of {@link
   * ServeOptions#adminPasswordFile()} (by default {@code admin.pw}, generated with mode 0600 on
   * first use) and are schema-checked and journaled like the process's own.
   *
   * @return the address listened on
   * @throws UmgwException when the address cannot be bound or the key store not loaded
   */
  public synchronized InetSocketAddress serve(String host, int port, ServeOptions options) {
    requireNonNull(options, "options == null");
    ensureOpen();
    if (serving != null) {
      throw new UmgwException("the embedded directory is already served on " + serving);
    }
    Set<DN> writers = new LinkedHashSet<>();
    for (String w : options.writerDns()) {
      try {
        writers.add(new DN(w));
      } catch (LDAPException e) {
        throw new UmgwException("writer DN \"" + w + "\" is not a DN: " + e.getMessage(), e);
      }
    }
    String password = ServeSecrets.adminPassword(files, options);
    journal.adminPassword(password.getBytes(StandardCharsets.UTF_8));
    serveSockets.tls(options.startTls() ? ServeSecrets.startTls(options) : null);
    serveSockets.maxConnections(options.limits().maxConnections());
    access.configure(writers, options.startTls(), options.requireTls(), options.limits());
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UmgwException("cannot resolve the listen address " + host);
    }
    serveSockets.bindTo(address);
    // UnboundID answers StartTLS before any interceptor: a listener without a key store must not
    // offer it at all, so there is one listener declared with StartTLS and one without.
    listener = options.startTls() ? STARTTLS_LISTENER : LDAP_LISTENER;
    try {
      server.startListening(listener);
    } catch (LDAPException e) {
      throw new UmgwException(
          "cannot listen on " + host + ":" + port + ": " + e.getExceptionMessage(), e);
    }
    serving = new InetSocketAddress(address.getAddress(), server.getListenPort(listener));
    LOG.info(
        "serving {} over LDAP{} on {}; writes need a bind as {}{}; limits: {} connections, {}"
            + " entries, {} s per search",
        dataDir,
        options.startTls()
            ? (options.requireTls() ? " (TLS required)" : " (StartTLS available)")
            : "",
        serving,
        adminDn,
        writers.isEmpty() ? "" : " or " + writers,
        options.limits().maxConnections(),
        options.limits().sizeLimit(),
        options.limits().timeLimitSeconds());
    return serving;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Writes a snapshot now and starts an empty journal (done by itself as the journal grows). */
  void compact() {
    ensureOpen();
    try {
      journal.compact(0);
    } catch (IOException | LDAPException e) {
      throw new UmgwException("cannot compact " + dataDir + ": " + e.getMessage(), e);
    }
  }

  private synchronized void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the embedded directory " + dataDir + " is closed");
    }
  }

  /**
   * Stops the listeners, writes a snapshot if anything changed since the last one, and releases the
   * data directory. Every acknowledged change is already on disk before this is called; a process
   * that never gets here loses nothing.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (listener != null) {
      server.shutDown(listener, true);
    }
    pool.close();
    server.shutDown(true);
    try {
      journal.compactIfChanged();
    } catch (IOException | LDAPException | RuntimeException e) {
      LOG.warn(
          "could not write a snapshot of {} on close ({}); the journal keeps every change",
          dataDir,
          e.toString());
    }
    journal.closeJournal();
    files.close();
  }
}
