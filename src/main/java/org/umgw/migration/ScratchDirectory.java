package org.umgw.migration;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.directory.PagedSearch;
import org.umgw.model.UmgwException;
import org.umgw.schema.UmgwSchema;

/**
 * A throw-away in-memory copy of the target's umgw objects, for {@code --dry-run}: the import runs
 * the very same store code and rules against the copy, so a dry run reports exactly what the real
 * run would, and the target is only read.
 */
final class ScratchDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScratchDirectory.class);

  private final InMemoryDirectoryServer server;
  private final LDAPConnectionPool pool;
  private final DirectoryStore store;

  private ScratchDirectory(InMemoryDirectoryServer server, DirectoryLayout layout)
      throws LDAPException {
    this.server = server;
    this.pool = server.getConnectionPool(2);
    this.store = new DirectoryStore(pool, layout);
  }

  /**
   * Copies the base, the containers and every object under them.
   *
   * @throws UmgwException when the target cannot be read
   */
  static ScratchDirectory copyOf(DirectoryStore target) {
    DirectoryLayout layout = target.layout();
    List<Entry> entries = new ArrayList<>();
    try {
      LDAPConnection connection = target.pool().getConnection();
      try {
        PagedSearch.run(
            connection,
            layout.base(),
            Filter.createPresenceFilter("objectClass"),
            entries::add,
            "*");
        target.pool().releaseConnection(connection);
      } catch (LDAPException e) {
        target.pool().releaseDefunctConnection(connection);
        throw e;
      }
    } catch (LDAPException e) {
      if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
        throw new UmgwException(
            "cannot read the umgw directory under " + layout.base() + ": " + e.getMessage(), e);
      }
      LOG.debug("dry run: base {} does not exist yet; the copy starts empty", layout.base());
    }
    InMemoryDirectoryServer server = null;
    try {
      InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(layout.base());
      config.setSchema(UmgwSchema.load().withStandardSchema());
      // The copy holds what the target holds, values umgw reads as unreadable included.
      config.setEnforceAttributeSyntaxCompliance(false);
      config.setListenerConfigs(
          InMemoryListenerConfig.createLDAPConfig(
              "scratch", InetAddress.getLoopbackAddress(), 0, null));
      server = new InMemoryDirectoryServer(config);
      server.startListening();
      entries.sort(Comparator.comparingInt(ScratchDirectory::depth));
      for (Entry e : entries) {
        add(server, e, layout);
      }
      ScratchDirectory scratch = new ScratchDirectory(server, layout);
      scratch.store.init();
      return scratch;
    } catch (LDAPException e) {
      if (server != null) {
        server.shutDown(true);
      }
      throw new UmgwException("cannot prepare the dry run: " + e.getMessage(), e);
    }
  }

  /**
   * Adds one copied entry. The base and the containers may carry classes of the target's own
   * schema; they are replaced by umgw's own forms, which is all the store needs of them.
   */
  private static void add(InMemoryDirectoryServer server, Entry e, DirectoryLayout layout) {
    try {
      server.add(e);
    } catch (LDAPException first) {
      LOG.debug("dry run: {} not copied as it is: {}", e.getDN(), first.getMessage());
      Entry replacement = standIn(e, layout);
      if (replacement != null) {
        try {
          server.add(replacement);
        } catch (LDAPException second) {
          LOG.debug("dry run: stand-in for {} refused: {}", e.getDN(), second.getMessage());
        }
      }
    }
  }

  private static Entry standIn(Entry e, DirectoryLayout layout) {
    DN dn;
    try {
      dn = e.getParsedDN();
    } catch (LDAPException notADn) {
      LOG.debug("dry run: {} has no valid DN", e.getDN(), notADn);
      return null;
    }
    if (dn.equals(layout.base())) {
      return layout.baseEntry();
    }
    for (Entry container : layout.containerEntries()) {
      if (sameDn(container, dn)) {
        return container;
      }
    }
    return null;
  }

  private static boolean sameDn(Entry e, DN dn) {
    try {
      return e.getParsedDN().equals(dn);
    } catch (LDAPException notADn) {
      return false;
    }
  }

  private static int depth(Entry e) {
    try {
      return e.getParsedDN().getRDNs().length;
    } catch (LDAPException notADn) {
      return Integer.MAX_VALUE;
    }
  }

  DirectoryStore store() {
    return store;
  }

  @Override
  public void close() {
    pool.close();
    server.shutDown(true);
  }
}
