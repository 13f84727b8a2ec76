package org.umgw.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the benchmark mains measure besides wall time: CPU time (this JVM, one thread, another
 * process through {@code /proc}), heap (after full collections, and the pools' peaks) and
 * percentiles; all printed as {@code key=value} lines for the scripts.
 */
final class Meters {
  static final double MB = 1024.0 * 1024.0;

  /** Linux's USER_HZ: /proc/PID/stat counts CPU time in these ticks (100 on every Linux ABI). */
  private static final double TICKS_PER_SECOND = 100.0;

  private Meters() {}

  /** CPU time of this JVM (all threads: application, GC, JIT), in nanoseconds. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** CPU time of the calling thread, in nanoseconds. */
  static long threadCpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  /**
   * CPU time (user + system) of another process, in milliseconds, from {@code /proc/PID/stat} (10
   * ms resolution); -1 when unreadable.
   */
  static double otherProcessCpuMs(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name (which may hold spaces) start at field 3 (state).
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
      return ticks * 1000.0 / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      System.err.println("cannot read the CPU time of process " + pid + ": " + e);
      return -1;
    }
  }

  /** Heap in use after full collections (the second catches what finalization released). */
  static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  /**
   * Sum of the heap pools' peak usage since the start or {@link #resetPeaks} (garbage included).
   */
  static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
  }

  static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  static long gcMillis() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionTime());
    }
    return n;
  }

  static double maxHeapMb() {
    return Runtime.getRuntime().maxMemory() / MB;
  }

  /** Nearest-rank percentile of a list (sorted here). */
  static double percentile(List<Double> values, int p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  static String fmt2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static void print(String key, Object value) {
    System.out.println(key + "=" + (value instanceof Double d ? fmt(d) : value));
  }

  /** Prints min, p50, p90, p99 and max of {@code values} under {@code prefix}. */
  static void printPercentiles(String prefix, List<Double> values) {
    print(prefix + "min_ms", Collections.min(values));
    print(prefix + "p50_ms", percentile(values, 50));
    print(prefix + "p90_ms", percentile(values, 90));
    print(prefix + "p99_ms", percentile(values, 99));
    print(prefix + "max_ms", Collections.max(values));
  }
}
