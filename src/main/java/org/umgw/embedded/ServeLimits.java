package org.umgw.embedded;

/**
 * Resource limits of the {@code serve} listener, enforced on LDAP clients only (the process's own
 * connections read the whole directory).
 *
 * <p>The defaults are far above what an office's LDAP browser or provisioning script uses (a
 * handful of connections, a few hundred entries, searches that take milliseconds) and far below
 * what exhausts the process: a client that opens connections in a loop is refused at 64, a search
 * over a directory grown to millions of entries stops at 10,000 entries or 30 seconds.
 *
 * @param maxConnections concurrent connections; one more is accepted and closed at once
 * @param sizeLimit most entries one search returns (sizeLimitExceeded, 4, past it)
 * @param timeLimitSeconds longest a search runs (timeLimitExceeded, 3, past it)
 */
public record ServeLimits(int maxConnections, int sizeLimit, int timeLimitSeconds) {
  public static final int DEFAULT_MAX_CONNECTIONS = 64;
  public static final int DEFAULT_SIZE_LIMIT = 10_000;
  public static final int DEFAULT_TIME_LIMIT_SECONDS = 30;

  public ServeLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "the connection limit must be at least 1, not " + maxConnections);
    }
    if (sizeLimit < 1) {
      throw new IllegalArgumentException("the size limit must be at least 1, not " + sizeLimit);
    }
    if (timeLimitSeconds < 1) {
      throw new IllegalArgumentException(
          "the time limit must be at least 1 second, not " + timeLimitSeconds);
    }
  }

  public static ServeLimits defaults() {
    return new ServeLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_SIZE_LIMIT, DEFAULT_TIME_LIMIT_SECONDS);
  }
}
