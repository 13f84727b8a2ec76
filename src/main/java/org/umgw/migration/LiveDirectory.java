package org.umgw.migration;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.ArrayList;
import java.util.List;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.PagedSearch;
import org.umgw.model.UmgwException;

/**
 * The Exchange objects of a directory that is still up (Active Directory, or any LDAP server
 * holding Exchange-shaped entries), read with the Simple Paged Results control so Active
 * Directory's page limit (1000 by default) never truncates a large organisation.
 *
 * <pre>{@code
 * DirectoryConfig ad = DirectoryConfig.builder("ldaps://dc1.contoso.test")
 *     .bind("CN=umgw-migration,CN=Users,DC=contoso,DC=test", Path.of("ad.pw")).build();
 * List<SourceRecord> records = LiveDirectory.read(ad,
 *     new DN("CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=test"));
 * }</pre>
 */
public final class LiveDirectory {
  /** What {@code ldifde -r} selects in docs/migration.md: the three imported classes. */
  public static final Filter FILTER =
      Filter.createORFilter(
          ExchangeTable.IMPORTED_CLASSES.stream()
              .map(c -> Filter.createEqualityFilter("objectClass", c))
              .toList());

  private LiveDirectory() {}

  /**
   * Reads the UM objects under {@code base}.
   *
   * @throws UmgwException when the directory cannot be reached, refuses the bind, or fails the
   *     search
   */
  public static List<SourceRecord> read(DirectoryConfig config, DN base) {
    requireNonNull(config, "config == null");
    requireNonNull(base, "base == null");
    List<SourceRecord> records = new ArrayList<>();
    LDAPConnectionPool pool = DirectoryConnector.open(config);
    try {
      LDAPConnection connection = pool.getConnection();
      try {
        PagedSearch.run(
            connection,
            base,
            FILTER,
            e -> records.add(new SourceRecord.Found(e)),
            ExchangeTable.READ_ATTRIBUTES);
        pool.releaseConnection(connection);
      } catch (LDAPException e) {
        pool.releaseDefunctConnection(connection);
        throw e;
      }
    } catch (LDAPException e) {
      throw new UmgwException(
          "cannot read the Exchange objects under \"" + base + "\": " + e.getMessage(), e);
    } finally {
      pool.close();
    }
    return records;
  }
}
