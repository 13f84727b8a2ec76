package org.umgw.directory;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultListener;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.util.function.Consumer;

/**
 * A whole-subtree search a page at a time with the Simple Paged Results control (RFC 2696), on one
 * connection, as servers tie the cookie to it. Entries stream to the sink and are never collected,
 * so memory stays flat.
 */
public final class PagedSearch {
  /** Entries per page; below ApacheDS's default size limit of 1000. */
  public static final int PAGE_SIZE = 500;

  private PagedSearch() {}

  /**
   * Streams every entry under {@code base} matching {@code filter} to {@code sink}.
   *
   * @return the number of entries
   * @throws LDAPException as the server or the connection failed
   */
  public static int run(
      LDAPConnection connection,
      DN base,
      Filter filter,
      Consumer<SearchResultEntry> sink,
      String... attributes)
      throws LDAPException {
    int[] count = {0};
    SearchResultListener listener =
        new SearchResultListener() {
          private static final long serialVersionUID = 1L;

          @Override
          public void searchEntryReturned(SearchResultEntry entry) {
            count[0]++;
            sink.accept(entry);
          }

          @Override
          public void searchReferenceReturned(SearchResultReference reference) {}
        };
    ASN1OctetString cookie = null;
    do {
      SearchRequest request =
          new SearchRequest(listener, base.toString(), SearchScope.SUB, filter, attributes);
      request.addControl(new SimplePagedResultsControl(PAGE_SIZE, cookie, false));
      SearchResult result = connection.search(request);
      SimplePagedResultsControl response = SimplePagedResultsControl.get(result);
      cookie = response == null ? null : response.getCookie();
    } while (cookie != null && cookie.getValueLength() > 0);
    return count[0];
  }
}
