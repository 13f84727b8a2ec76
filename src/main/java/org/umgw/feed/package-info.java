/**
 * Following the directory live: a {@link org.umgw.feed.DirectoryFeed} delivers the whole directory
 * contents after every change it sees, through the best mechanism the server offers (RFC 4533
 * content sync, persistent search, the changelog, else polling), and reconnects with backoff. On
 * content sync it resumes from its cookie after a reconnect, also on another provider of an
 * OpenLDAP multi-provider set ({@code SyncCookies} decides where a cookie applies; {@code
 * ContentSync} runs the session).
 *
 * <p>Library users configure the feed through {@link org.umgw.feed.FeedOptions} and read {@link
 * org.umgw.feed.FeedKind} from the service's status; the rest is internal (docs/library.md, Stable
 * API).
 */
package org.umgw.feed;
