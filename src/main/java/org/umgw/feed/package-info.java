/**
 * Following the directory live: a {@link org.umgw.feed.DirectoryFeed} delivers the whole directory
 * contents after every change it sees, through the best mechanism the server offers (RFC 4533
 * content sync, persistent search, the changelog, else polling), and reconnects with backoff.
 */
package org.umgw.feed;
