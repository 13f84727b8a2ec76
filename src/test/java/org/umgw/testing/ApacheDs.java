package org.umgw.testing;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.directory.server.ldap.LdapServer;

/**
 * Helpers for tests that run against ApacheDS embedded by its JUnit 5 extension.
 *
 * <p>A test class declares the server itself, because the extension reads the annotations with
 * {@code getDeclaredAnnotation} (they are not inherited) and stores the server in static fields of
 * {@code AbstractLdapTestUnit} that every test class shares:
 *
 * <pre>{@code
 * @ExtendWith(ApacheDSTestExtension.class)
 * @CreateDS(
 *     name = "UniquePerClassDS", // work dir ${java.io.tmpdir}/server-work-<name>, wiped at start
 *     partitions = @CreatePartition(name = "umgw", suffix = ApacheDs.BASE_DN))
 * @CreateLdapServer(transports = @CreateTransport(protocol = "LDAP", address = "127.0.0.1"))
 * class MyTest extends AbstractLdapTestUnit {
 *   static LDAPConnection admin;
 *
 *   @BeforeAll
 *   static void load() throws Exception {
 *     admin = ApacheDs.prepare(classLdapServer); // no size limit, umgw schema loaded
 *     ApacheDs.addEntries(admin, ApacheDs.SAMPLE_LDIF);
 *   }
 * }
 * }</pre>
 *
 * <p>Load everything a class needs in {@code @BeforeAll}: the extension records the change-log
 * revision before each test method and reverts to it afterwards, so whatever a test method writes
 * (schema included) is gone for the next one. Reverting costs about 8 ms per change on the default
 * JDBM partition, where an add costs about 4 ms. {@code @CreatePartition(type =
 * AvlPartition.class)} keeps the partition in memory (about 0.4 ms per add) but the revert then
 * stops part-way without a word, so pair it with {@code @CreateDS(enableChangeLog = false)}. The
 * extension also swallows failures (it prints start-up errors and ignores revert errors), so {@link
 * #connect(LdapServer)} checks that the server runs.
 *
 * <p>Simple Paged Results searches must ask for at least one attribute: when a search asks for none
 * ({@code "1.1"}) and has more than one page, ApacheDS 2.0.0.AM27 sends the first page without the
 * paged-results response control, so a client that stops when the control is missing silently reads
 * one page only.
 */
public final class ApacheDs {

  /** ApacheDS's built-in administrator; the only account that exists before a test adds one. */
  public static final String ADMIN_DN = "uid=admin,ou=system";

  /** Password of {@link #ADMIN_DN} in a fresh instance. */
  public static final String ADMIN_PASSWORD = "secret";

  /** Suffix of the umgw partition and DN of the sample directory's base entry. */
  public static final String BASE_DN = "dc=umgw,dc=example";

  /** The umgw schema as an RFC 4512 subschema entry, relative to the project directory. */
  public static final Path SCHEMA_LDIF = Path.of("schema", "umgw.ldif");

  /** The sample directory, relative to the project directory (surefire's working directory). */
  public static final Path SAMPLE_LDIF = Path.of("ldif", "sample.ldif");

  private static final String ATTRIBUTE_TYPES = "attributeTypes";
  private static final String OBJECT_CLASSES = "objectClasses";
  private static final String DEFAULT_SUBSCHEMA_DN = "cn=schema";

  private ApacheDs() {}

  /**
   * Readies a freshly started server for umgw tests: lifts the size limit for ordinary users
   * ({@link #removeSizeLimit}), connects as the administrator and loads the umgw schema. The base
   * entry is left to the caller ({@link #createBaseEntry} or the sample LDIF).
   */
  public static LDAPConnection prepare(LdapServer server)
      throws LDAPException, IOException, LDIFException {
    removeSizeLimit(server);
    LDAPConnection admin = connect(server);
    try {
      loadUmgwSchema(admin);
    } catch (LDAPException | IOException | LDIFException | RuntimeException e) {
      admin.close();
      throw e;
    }
    return admin;
  }

  /**
   * Lets searches by users other than the administrator return any number of entries, paged or not.
   * ApacheDS caps them at {@code LdapServer}'s own default of 100 entries (across all pages of a
   * Simple Paged Results search) and ignores {@code @CreateLdapServer(maxSizeLimit = ...)}: the
   * annotation processor never reads that attribute. The administrator is never limited. The
   * setting is read on each search, so it applies to a server that is already running.
   */
  public static void removeSizeLimit(LdapServer server) {
    server.setMaxSizeLimit(LdapServer.NO_SIZE_LIMIT);
  }

  /** Opens a connection to the server's LDAP port bound as {@link #ADMIN_DN}. */
  public static LDAPConnection connect(LdapServer server) throws LDAPException {
    if (server == null || !server.isStarted()) {
      throw new IllegalStateException(
          "ApacheDS is not running: the test class needs @ExtendWith(ApacheDSTestExtension.class),"
              + " @CreateDS and @CreateLdapServer, and must extend AbstractLdapTestUnit; the"
              + " extension prints start-up failures to the test output and carries on");
    }
    return connect(server.getPort());
  }

  /** Opens a connection to 127.0.0.1:{@code port} bound as {@link #ADMIN_DN}. */
  public static LDAPConnection connect(int port) throws LDAPException {
    return new LDAPConnection("127.0.0.1", port, ADMIN_DN, ADMIN_PASSWORD);
  }

  /** Loads {@link #SCHEMA_LDIF}; see {@link #loadSchema}. */
  public static void loadUmgwSchema(LDAPConnection admin)
      throws LDAPException, IOException, LDIFException {
    loadSchema(admin, SCHEMA_LDIF);
  }

  /**
   * Adds the attribute types, then the object classes, of an RFC 4512 subschema entry in LDIF to
   * the server's subschema subentry, one modify per definition so that a refusal names it.
   *
   * <p>The definitions go in unchanged: ApacheDS files a definition without an {@code X-SCHEMA}
   * extension under its schema {@code other}, which is enabled, and persists it in the {@code
   * ou=schema} partition. It resolves every reference when a definition arrives, so attribute types
   * must precede the object classes that name them, and superiors their subordinates (the order of
   * the file). Only the administrator may modify the schema. Loading must precede adding entries
   * that use it, but not the creation of the partition or of its base entry.
   */
  public static void loadSchema(LDAPConnection admin, Path subschemaLdif)
      throws LDAPException, IOException, LDIFException {
    Entry definitions;
    try (LDIFReader reader = new LDIFReader(subschemaLdif.toFile())) {
      definitions = reader.readEntry();
    }
    if (definitions == null) {
      throw new LDIFException(subschemaLdif + " holds no entry", 0, false);
    }
    String subschema = subschemaDn(admin);
    for (String attribute : new String[] {ATTRIBUTE_TYPES, OBJECT_CLASSES}) {
      String[] values = definitions.getAttributeValues(attribute);
      if (values == null) {
        continue;
      }
      for (String definition : values) {
        try {
          admin.modify(subschema, new Modification(ModificationType.ADD, attribute, definition));
        } catch (LDAPException e) {
          throw new LDAPException(
              e.getResultCode(),
              "ApacheDS refused " + attribute + ": " + definition + " (" + e.getMessage() + ")",
              e);
        }
      }
    }
  }

  /**
   * Adds the base entry {@link #BASE_DN} ({@code top}, {@code domain}) unless it exists. A bare
   * {@code @CreatePartition} makes an empty partition: ApacheDS adds a base entry only when the
   * annotation carries {@code contextEntry = @ContextEntry(entryLdif = ...)}.
   *
   * @return whether the entry was added
   */
  public static boolean createBaseEntry(LDAPConnection admin) throws LDAPException {
    if (admin.getEntry(BASE_DN, "1.1") != null) {
      return false;
    }
    admin.add(
        new Entry(
            BASE_DN, new Attribute("objectClass", "top", "domain"), new Attribute("dc", "umgw")));
    return true;
  }

  /**
   * Adds the entries of an LDIF file in order; see {@link #addEntries(LDAPConnection, LDIFReader)}.
   */
  public static int addEntries(LDAPConnection connection, Path ldif)
      throws LDAPException, IOException, LDIFException {
    try (LDIFReader reader = new LDIFReader(ldif.toFile())) {
      return addEntries(connection, reader);
    }
  }

  /**
   * Adds every entry the reader yields, in order, except {@link #BASE_DN} when it already exists
   * (made by {@link #createBaseEntry} or a {@code @ContextEntry}), so that LDIF files that carry
   * the base entry, like the sample directory, load either way.
   *
   * @return the number of entries added
   */
  public static int addEntries(LDAPConnection connection, LDIFReader reader)
      throws LDAPException, IOException, LDIFException {
    DN base = new DN(BASE_DN);
    int added = 0;
    for (Entry entry = reader.readEntry(); entry != null; entry = reader.readEntry()) {
      if (entry.getParsedDN().equals(base) && connection.getEntry(BASE_DN, "1.1") != null) {
        continue;
      }
      try {
        connection.add(entry);
      } catch (LDAPException e) {
        throw new LDAPException(
            e.getResultCode(), "Adding " + entry.getDN() + ": " + e.getMessage(), e);
      }
      added++;
    }
    return added;
  }

  /** The result code ApacheDS returned, for tests that print it rather than pin it. */
  public static String describe(LDAPException e) {
    ResultCode code = e.getResultCode();
    return code.intValue() + " " + code.getName() + ": " + e.getDiagnosticMessage();
  }

  private static String subschemaDn(LDAPConnection connection) throws LDAPException {
    RootDSE rootDse = connection.getRootDSE();
    String dn = rootDse == null ? null : rootDse.getSubschemaSubentryDN();
    return dn == null ? DEFAULT_SUBSCHEMA_DN : dn;
  }
}
