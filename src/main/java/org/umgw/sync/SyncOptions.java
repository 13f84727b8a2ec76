package org.umgw.sync;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.umgw.export.ExportFormat;
import org.umgw.export.ExportOptions;

/**
 * What {@link TrustListSync} writes and how carefully it starts.
 *
 * @param maxShrinkPercent at start, refuse to replace an existing file by one with more than this
 *     many percent fewer addresses; negative to skip the guard
 * @param allowEmpty at start, write a list with no address at all
 * @param retryMin first delay before a failed reload or write is tried again (doubles each time)
 * @param retryMax longest delay between retries
 */
public record SyncOptions(
    ExportFormat format,
    Path file,
    ExportOptions export,
    double maxShrinkPercent,
    boolean allowEmpty,
    Duration retryMin,
    Duration retryMax,
    Set<PosixFilePermission> mode) {
  public SyncOptions {
    requireNonNull(format, "format == null");
    requireNonNull(file, "file == null");
    requireNonNull(export, "export == null");
    requireNonNull(retryMin, "retryMin == null");
    requireNonNull(retryMax, "retryMax == null");
    mode = mode == null ? null : Set.copyOf(mode);
  }

  /** Guards on, retries from 1 s up to 60 s. */
  public static SyncOptions of(ExportFormat format, Path file, ExportOptions export) {
    return new SyncOptions(
        format, file, export, 20, false, Duration.ofSeconds(1), Duration.ofSeconds(60), null);
  }

  public SyncOptions withGuards(double maxShrinkPercent, boolean allowEmpty) {
    return new SyncOptions(
        format, file, export, maxShrinkPercent, allowEmpty, retryMin, retryMax, mode);
  }

  /**
   * @param mode the file's mode, or {@code null} to keep the replaced file's (0644 for a new one)
   */
  public SyncOptions withMode(Set<PosixFilePermission> mode) {
    return new SyncOptions(
        format, file, export, maxShrinkPercent, allowEmpty, retryMin, retryMax, mode);
  }

  public SyncOptions withRetry(Duration min, Duration max) {
    return new SyncOptions(format, file, export, maxShrinkPercent, allowEmpty, min, max, mode);
  }
}
