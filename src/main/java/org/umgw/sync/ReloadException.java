package org.umgw.sync;

import java.time.Duration;

/**
 * A reload the consumer did not take.
 *
 * <p>{@code retryAfter} is the least wait the consumer asked for (Kamailio's "ongoing reload" under
 * its {@code reload_delta}), or {@link Duration#ZERO} when only the backoff applies.
 */
public final class ReloadException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  public ReloadException(String message, Duration retryAfter, Throwable cause) {
    super(message, cause);
    this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
  }

  public ReloadException(String message) {
    this(message, Duration.ZERO, null);
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}
