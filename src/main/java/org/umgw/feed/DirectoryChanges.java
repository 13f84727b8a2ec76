package org.umgw.feed;

import static java.util.Objects.requireNonNull;

import org.umgw.directory.DirectoryRead;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DirectoryContents;

/**
 * One delivery of a {@link DirectoryFeed}: the whole directory as it is now, what changed since the
 * previous delivery, and why it was delivered. Immutable, safe to keep and to read from any thread.
 *
 * <p>{@link #read()} is the full contents, for consumers that need them (the initial load, full
 * refreshes, exports, status); after a change of a few entries it shares everything else with the
 * previous delivery's (persistent lists), so getting it costs nothing. {@link #delta()} is what a
 * consumer that keeps its own state applies in O(change). {@link #tracked()} says whether the feed
 * followed the change entry by entry; when it did not (initial load, full refresh, a change that
 * involves unreadable entries), the delta is computed from the two reads on first use, in
 * O(directory).
 */
public final class DirectoryChanges {
  private final DirectoryRead read;
  private final FeedUpdate update;
  private final DirectoryContents previous;
  private final boolean tracked;
  private ContentsDelta delta;

  DirectoryChanges(DirectoryRead read, FeedUpdate update, ContentsDelta delta) {
    this.read = requireNonNull(read, "read == null");
    this.update = requireNonNull(update, "update == null");
    this.delta = requireNonNull(delta, "delta == null");
    this.previous = null;
    this.tracked = true;
  }

  DirectoryChanges(DirectoryRead read, FeedUpdate update, DirectoryContents previous) {
    this.read = requireNonNull(read, "read == null");
    this.update = requireNonNull(update, "update == null");
    this.previous = previous == null ? DirectoryContents.empty() : previous;
    this.tracked = false;
  }

  /**
   * A delivery built from two reads (for feeds that only have whole reads); the delta is computed
   * on first use.
   */
  public static DirectoryChanges between(
      DirectoryContents previous, DirectoryRead read, FeedUpdate update) {
    return new DirectoryChanges(read, update, previous);
  }

  /** The whole directory now: valid objects plus a problem per unmappable entry. */
  public DirectoryRead read() {
    return read;
  }

  public FeedUpdate update() {
    return update;
  }

  /** Whether the feed tracked this change entry by entry (then {@link #delta()} is free). */
  public boolean tracked() {
    return tracked;
  }

  /** The objects that changed since the previous delivery (valid objects only). */
  public synchronized ContentsDelta delta() {
    if (delta == null) {
      delta = ContentsDelta.between(previous, read.contents());
    }
    return delta;
  }
}
