package org.umgw.directory;

import com.unboundid.ldap.sdk.AddRequest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DeleteRequest;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.umgw.model.ObjectRef;

/**
 * The LDAP operations of the store, each translating the server's failure into an exception that
 * names the object: result codes differ between servers, so only their classes matter here.
 */
final class LdapOps {
  private final LDAPConnectionPool pool;

  LdapOps(LDAPConnectionPool pool) {
    this.pool = pool;
  }

  LDAPConnectionPool pool() {
    return pool;
  }

  /** The entry at {@code dn}, or {@code null}. */
  Entry get(DN dn, ObjectRef object) {
    try {
      return pool.getEntry(dn.toString(), EntryMapper.ATTRIBUTES);
    } catch (LDAPException e) {
      throw translate(e, "read", dn, object);
    }
  }

  List<SearchResultEntry> search(DN base, SearchScope scope, Filter filter, String... attributes) {
    try {
      SearchRequest request = new SearchRequest(base.toString(), scope, filter, attributes);
      return pool.search(request).getSearchEntries();
    } catch (LDAPSearchException e) {
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
        throw new DirectoryException(
            base + " does not exist: create the containers with `umgw init`", e.getResultCode(), e);
      }
      throw translate(e, "search", base, null);
    }
  }

  void add(Entry entry, ObjectRef object) {
    try {
      pool.add(new AddRequest(entry));
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS && object != null) {
        throw new ObjectExistsException(object);
      }
      throw translate(e, "add", DirectoryLayout.dnOf(entry), object);
    }
  }

  void modify(DN dn, List<Modification> mods, ObjectRef object) {
    if (mods.isEmpty()) {
      return;
    }
    try {
      pool.modify(new ModifyRequest(dn.toString(), mods));
    } catch (LDAPException e) {
      throw translate(e, "modify", dn, object);
    }
  }

  void delete(DN dn, ObjectRef object) {
    try {
      pool.delete(new DeleteRequest(dn.toString()));
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT && object != null) {
        throw new ObjectNotFoundException(object);
      }
      throw translate(e, "delete", dn, object);
    }
  }

  /**
   * Streams every entry under {@code base} matching {@code filter} to {@code sink} ({@link
   * PagedSearch}) on one pooled connection.
   */
  void pagedSearch(DN base, Filter filter, Consumer<SearchResultEntry> sink, String... attrs) {
    LDAPConnection connection;
    try {
      connection = pool.getConnection();
    } catch (LDAPException e) {
      throw translate(e, "read", base, null);
    }
    boolean healthy = false;
    try {
      PagedSearch.run(connection, base, filter, sink, attrs);
      healthy = true;
    } catch (LDAPException e) {
      healthy = e.getResultCode().isConnectionUsable();
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
        throw new DirectoryException(
            base + " does not exist: create it and the containers with `umgw init`",
            e.getResultCode(),
            e);
      }
      throw translate(e, "read", base, null);
    } finally {
      if (healthy) {
        pool.releaseConnection(connection);
      } else {
        pool.releaseDefunctConnection(connection);
      }
    }
  }

  /** Names of the entries directly or indirectly below {@code dn}, deepest first. */
  List<DN> descendants(DN dn) {
    List<DN> out = new ArrayList<>();
    for (SearchResultEntry e : search(dn, SearchScope.SUB, Filter.present("objectClass"), "1.1")) {
      DN child = DirectoryLayout.dnOf(e);
      if (child != null && !child.equals(dn)) {
        out.add(child);
      }
    }
    out.sort((a, b) -> Integer.compare(b.getRDNs().length, a.getRDNs().length));
    return out;
  }

  static DirectoryException translate(LDAPException e, String operation, DN dn, ObjectRef object) {
    ResultCode code = e.getResultCode();
    String subject = object != null ? object.toString() : String.valueOf(dn);
    String detail = DirectoryConnector.describe(e);
    if (!code.isConnectionUsable()
        || code == ResultCode.CONNECT_ERROR
        || code == ResultCode.SERVER_DOWN
        || code == ResultCode.TIMEOUT
        || code == ResultCode.UNAVAILABLE
        || code == ResultCode.BUSY) {
      return new DirectoryUnavailableException(
          subject + ": cannot " + operation + ": the directory is unreachable: " + detail, code, e);
    }
    String hint =
        switch (code.intValue()) {
          case 65, 21, 19, 17, 18, 20 ->
              " (the directory's schema refused it: is the umgw schema" + " loaded?)";
          case 50 -> " (bind as an account allowed to change the umgw containers)";
          default -> "";
        };
    return new DirectoryException(
        subject + ": the directory refused to " + operation + " " + dn + ": " + detail + hint,
        code,
        e);
  }

  /** The objects of one class under {@code base}, each entry that does not map a problem. */
  <T> Loaded<T> list(DN base, String objectClass, SearchScope scope, Function<Entry, T> map) {
    List<T> objects = new ArrayList<>();
    List<EntryProblem> problems = new ArrayList<>();
    Filter filter = Filter.createEqualityFilter("objectClass", objectClass);
    for (SearchResultEntry e : search(base, scope, filter, EntryMapper.ATTRIBUTES)) {
      try {
        objects.add(map.apply(e));
      } catch (EntryMappingException ex) {
        problems.add(ex.problem());
      }
    }
    return new Loaded<>(objects, problems);
  }

  /**
   * Writes what changed between two readings, leaving out the unreadable attributes (their stand-
   * ins are not the stored values) except those repaired, which are replaced outright.
   */
  void writeRepairing(
      Entry before, Entry after, Set<String> unreadable, Set<String> repaired, ObjectRef ref) {
    List<Modification> mods = new ArrayList<>();
    for (Modification m : Entry.diff(before, after, true, false, true)) {
      if (!unreadable.contains(m.getAttributeName())) {
        mods.add(m);
      }
    }
    for (String attribute : repaired) {
      var a = after.getAttribute(attribute);
      mods.add(
          a == null
              ? new Modification(ModificationType.REPLACE, attribute)
              : new Modification(ModificationType.REPLACE, attribute, a.getValues()));
    }
    if (!mods.isEmpty()) {
      modify(DirectoryLayout.dnOf(after), mods, ref);
    }
  }

  /** Deletes {@code dn} after a refused write; a failure is added to {@code cause}. */
  void deleteQuietly(DN dn, ObjectRef ref, RuntimeException cause) {
    try {
      delete(dn, ref);
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
