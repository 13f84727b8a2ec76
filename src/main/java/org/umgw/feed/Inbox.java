package org.umgw.feed;

import com.unboundid.ldap.sdk.AsyncRequestID;
import com.unboundid.ldap.sdk.AsyncSearchResultListener;
import com.unboundid.ldap.sdk.IntermediateResponse;
import com.unboundid.ldap.sdk.IntermediateResponseListener;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultReference;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands what a long-running search returns (entries, intermediate responses, the final result) from
 * the SDK's reader thread to the feed thread, stamped with the time it arrived, so the feed thread
 * can run other operations on the same connection and never blocks the reader.
 */
final class Inbox implements AsyncSearchResultListener, IntermediateResponseListener {
  private static final long serialVersionUID = 1L;

  /** One message from the server and when it arrived. */
  record Item(Object message, Instant at) {}

  private final transient LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();

  /** The next message, waiting up to {@code millis}; {@code null} when none came. */
  Item poll(long millis) throws InterruptedException {
    return queue.poll(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  /** The next message if one is there. */
  Item poll() {
    return queue.poll();
  }

  @Override
  public void searchEntryReturned(SearchResultEntry entry) {
    queue.add(new Item(entry, Instant.now()));
  }

  @Override
  public void searchReferenceReturned(SearchResultReference reference) {
    // Referrals are not followed: a feed follows one server.
  }

  @Override
  public void searchResultReceived(AsyncRequestID requestID, SearchResult result) {
    queue.add(new Item(result, Instant.now()));
  }

  @Override
  public void intermediateResponseReturned(IntermediateResponse response) {
    queue.add(new Item(response, Instant.now()));
  }
}
