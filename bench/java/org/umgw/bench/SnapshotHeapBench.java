package org.umgw.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Map;
import org.umgw.model.DirectoryContents;
import org.umgw.trust.TrustSnapshot;

/**
 * Heap retained by the trust snapshot of a large directory: the directory records alone, then the
 * snapshot on top (its peers, index and routes), measured after full collections.
 *
 * <p>Usage: {@code java -cp umgw.jar org.umgw.bench.SnapshotHeapBench [gateways]}
 */
public final class SnapshotHeapBench {
  private SnapshotHeapBench() {}

  private static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long base = used();
    DirectoryContents contents = SyntheticDirectory.of(n);
    long withContents = used();
    long t0 = System.nanoTime();
    TrustSnapshot snapshot = TrustSnapshot.build(contents, Map.of(), Instant.now());
    long buildMs = (System.nanoTime() - t0) / 1_000_000;
    long withSnapshot = used();
    if (snapshot.peers().size() != n) {
      throw new IllegalStateException("peers " + snapshot.peers().size() + " != " + n);
    }
    System.out.printf(
        "gateways=%d directoryMB=%.1f snapshotMB=%.1f totalMB=%.1f buildMs=%d%n",
        n,
        (withContents - base) / 1048576.0,
        (withSnapshot - withContents) / 1048576.0,
        (withSnapshot - base) / 1048576.0,
        buildMs);
    // Keep both reachable until measured.
    if (contents.gateways().isEmpty() || snapshot.peers().isEmpty()) {
      throw new IllegalStateException();
    }
  }
}
