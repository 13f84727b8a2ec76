package org.umgw.feed;

/**
 * How a feed has caught up so far, so that operators and tests can tell a fail-over that resumed
 * from its content-sync cookie from one that read the whole directory again.
 *
 * @param fullRefreshes times the whole directory was read (the initial load included; each poll
 *     when polling)
 * @param resumedRefreshes content-sync refreshes that started from a cookie and received only what
 *     changed since
 * @param resumedAcrossServers of those, the ones that offered a cookie another server had issued
 *     (after a fail-over or fail-back within a multi-provider set)
 * @param cookiesRefused cookies a server refused (e-syncRefreshRequired, or a refusal before any
 *     answer), each followed by a full refresh
 */
public record FeedStats(
    long fullRefreshes, long resumedRefreshes, long resumedAcrossServers, long cookiesRefused) {
  /** For feeds that do not count. */
  public static final FeedStats NONE = new FeedStats(0, 0, 0, 0);
}
