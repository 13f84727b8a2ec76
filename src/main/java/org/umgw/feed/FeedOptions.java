package org.umgw.feed;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How a {@link DirectoryFeed} follows the directory.
 *
 * <pre>{@code
 * FeedOptions.defaults()                                  // best mechanism the server offers
 * FeedOptions.defaults().withKind(FeedKind.POLLING)       // force polling
 *     .withPollInterval(Duration.ofSeconds(30))
 * }</pre>
 *
 * @param kind the mechanism to use whatever the server offers; {@code null} picks the best one from
 *     the root DSE
 * @param pollInterval time between full reads when polling
 * @param changelogPollInterval time between reads of the changelog
 * @param backoffMin first delay before reconnecting; doubled after each failure
 * @param backoffMax longest delay before reconnecting
 * @param coalesceWindow how long after a change the feed waits for more before delivering, so a
 *     burst (a gateway and its hunt group) becomes one delivery
 * @param failBackInterval after failing over to a later URL of the pool's failover server set, how
 *     often the feed checks whether the first one answers again, and if so moves back to it
 * @param resumeAcrossServers after moving to another server of the failover list, resume content
 *     sync from the cookie the previous server issued when both share a replication history
 *     (OpenLDAP multi-provider: the cookie names server IDs the new server's contextCSN holds),
 *     instead of reading everything again; a server that cannot honour the cookie answers
 *     e-syncRefreshRequired and the feed then refreshes in full
 */
public record FeedOptions(
    FeedKind kind,
    Duration pollInterval,
    Duration changelogPollInterval,
    Duration backoffMin,
    Duration backoffMax,
    Duration coalesceWindow,
    Duration failBackInterval,
    boolean resumeAcrossServers) {

  public FeedOptions {
    positive(pollInterval, "pollInterval");
    positive(changelogPollInterval, "changelogPollInterval");
    positive(backoffMin, "backoffMin");
    positive(backoffMax, "backoffMax");
    requireNonNull(coalesceWindow, "coalesceWindow == null");
    if (coalesceWindow.isNegative()) {
      throw new IllegalArgumentException("coalesceWindow must not be negative: " + coalesceWindow);
    }
    positive(failBackInterval, "failBackInterval");
    if (backoffMax.compareTo(backoffMin) < 0) {
      throw new IllegalArgumentException(
          "backoffMax " + backoffMax + " is shorter than backoffMin " + backoffMin);
    }
  }

  /** The options without {@code resumeAcrossServers}, which is then on (the default). */
  public FeedOptions(
      FeedKind kind,
      Duration pollInterval,
      Duration changelogPollInterval,
      Duration backoffMin,
      Duration backoffMax,
      Duration coalesceWindow,
      Duration failBackInterval) {
    this(
        kind,
        pollInterval,
        changelogPollInterval,
        backoffMin,
        backoffMax,
        coalesceWindow,
        failBackInterval,
        true);
  }

  private static void positive(Duration d, String name) {
    requireNonNull(d, name + " == null");
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive: " + d);
    }
  }

  /**
   * The best mechanism; polling every 10 s; the changelog every 250 ms; reconnecting after 250 ms
   * doubling up to 30 s; changes coalesced over 30 ms; failing back to the first server checked
   * every 5 min (as the connection pool retires its fail-over connections); content sync resumed
   * from its cookie on another provider of the same multi-provider set.
   */
  public static FeedOptions defaults() {
    return new FeedOptions(
        null,
        Duration.ofSeconds(10),
        Duration.ofMillis(250),
        Duration.ofMillis(250),
        Duration.ofSeconds(30),
        Duration.ofMillis(30),
        Duration.ofMinutes(5),
        true);
  }

  /** The forced mechanism, if any. */
  public Optional<FeedKind> forcedKind() {
    return Optional.ofNullable(kind);
  }

  public FeedOptions withKind(FeedKind kind) {
    return new FeedOptions(
        kind,
        pollInterval,
        changelogPollInterval,
        backoffMin,
        backoffMax,
        coalesceWindow,
        failBackInterval,
        resumeAcrossServers);
  }

  public FeedOptions withPollInterval(Duration pollInterval) {
    return new FeedOptions(
        kind,
        pollInterval,
        changelogPollInterval,
        backoffMin,
        backoffMax,
        coalesceWindow,
        failBackInterval,
        resumeAcrossServers);
  }

  public FeedOptions withChangelogPollInterval(Duration changelogPollInterval) {
    return new FeedOptions(
        kind,
        pollInterval,
        changelogPollInterval,
        backoffMin,
        backoffMax,
        coalesceWindow,
        failBackInterval,
        resumeAcrossServers);
  }

  public FeedOptions withBackoff(Duration min, Duration max) {
    return new FeedOptions(
        kind,
        pollInterval,
        changelogPollInterval,
        min,
        max,
        coalesceWindow,
        failBackInterval,
        resumeAcrossServers);
  }

  public FeedOptions withCoalesceWindow(Duration coalesceWindow) {
    return new FeedOptions(
        kind,
        pollInterval,
        changelogPollInterval,
        backoffMin,
        backoffMax,
        coalesceWindow,
        failBackInterval,
        resumeAcrossServers);
  }

  /** How often a feed that failed over checks whether the first server is back (default 5 min). */
  public FeedOptions withFailBackInterval(Duration interval) {
    return new FeedOptions(
        kind,
        pollInterval,
        changelogPollInterval,
        backoffMin,
        backoffMax,
        coalesceWindow,
        interval,
        resumeAcrossServers);
  }

  /**
   * Whether content sync resumes from another provider's cookie after a fail-over or fail-back
   * (default on; off reads everything again whenever the server changes, as before).
   */
  public FeedOptions withResumeAcrossServers(boolean resume) {
    return new FeedOptions(
        kind,
        pollInterval,
        changelogPollInterval,
        backoffMin,
        backoffMax,
        coalesceWindow,
        failBackInterval,
        resume);
  }
}
