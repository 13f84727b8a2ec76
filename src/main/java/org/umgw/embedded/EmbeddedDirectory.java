package org.umgw.embedded;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;
import org.umgw.model.UmgwException;

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
  private final JournalWriter journal;
  private final ServeListener serveListener;
  private final SingleServerSet internalServer;
  private final SimpleBindRequest internalBind;
  private final LDAPConnectionPool pool;
  private final List<String> recoveryWarnings;
  private boolean closed;

  private EmbeddedDirectory(
      Path dataDir,
      DataDirectory files,
      DirectoryLayout layout,
      DN adminDn,
      InMemoryDirectoryServer server,
      JournalWriter journal,
      ServeListener serveListener,
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
    this.serveListener = serveListener;
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
    JournalWriter journal = null;
    try {
      byte[] secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      secret = Base64.getEncoder().encode(secret);
      DN adminDn = new DN(new RDN("cn", "admin"), layout.base());
      journal =
          new JournalWriter(
              files,
              layout.base(),
              options.compactAfterBytes(),
              options.compactAfterTransactions());
      JournalingInterceptor journaling = new JournalingInterceptor(journal, layout.base(), adminDn);
      AdminBind adminBind = new AdminBind(adminDn, secret);
      InProcessTransport transport = new InProcessTransport();
      ServeSockets serveSockets = new ServeSockets();
      ServeAccess access = new ServeAccess(adminDn);
      // Access control first, so a refused write never waits for the journal's lock.
      server =
          new InMemoryDirectoryServer(
              EmbeddedServerConfig.of(
                  layout, adminDn, secret, transport, serveSockets, access, adminBind, journaling));
      journaling.attach(server);

      DataDirectory.Recovered recovered = DataDirectory.recover(dir, layout.base());
      DirectoryImage image = recovered.image();
      if (image == null) {
        image = Seed.image(files, layout);
      }
      server.importFromLDIF(true, new LDIFReader(new ByteArrayInputStream(image.toLdif())));
      if (recovered.appendable() != null) {
        journal.resume(
            Journal.reopen(recovered.appendable(), recovered.appendableReplay()),
            recovered.generation());
      } else {
        journal.compact(recovered.generation());
      }
      server.startListening(EmbeddedServerConfig.INTERNAL_LISTENER);
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
          new ServeListener(server, files, adminDn, adminBind, serveSockets, access),
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

  private static void abandon(
      InMemoryDirectoryServer server, JournalWriter journal, DataDirectory files) {
    if (server != null) {
      server.shutDown(true);
    }
    if (journal != null) {
      journal.close();
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
    return serveListener.serving();
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
    ensureOpen();
    return serveListener.start(host, port, options);
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
    serveListener.stop();
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
    journal.close();
    files.close();
  }
}
