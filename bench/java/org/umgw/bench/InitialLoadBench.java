package org.umgw.bench;

import static org.umgw.bench.Meters.print;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.lang.ref.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.DirectoryStore;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntrySet;
import org.umgw.directory.PagedSearch;
import org.umgw.dns.DnsResolver;
import org.umgw.model.DirectoryContents;
import org.umgw.service.TrustService;
import org.umgw.trust.TrustSnapshot;

/**
 * The umgw side of {@code bench/initial-load.sh}: one initial load of a large directory in a fresh
 * JVM, its time, CPU and heap.
 *
 * <pre>
 * java -Xmx512m -cp umgw.jar org.umgw.bench.InitialLoadBench --mode read|service \
 *     --url ldap://127.0.0.1:PORT --base dc=umgw,dc=example --hosts HOSTS --expect 100000,100000,1000
 * </pre>
 *
 * <p>{@code read}: {@link DirectoryStore#readAll()} (the paged search {@code trust-list export} and
 * {@code validate} start from). {@code read-entryset}: the same search into an {@link EntrySet} on
 * the search's thread, as readAll did before it mapped in parallel. {@code service}: {@link
 * TrustService#start()} until it returns with the first snapshot in service (content sync or
 * persistent search from the root DSE, the rule check, DNS from the hosts file only, the snapshot
 * build). Prints {@code load_ms}, {@code cpu_ms} (this JVM's process CPU during the load, all
 * threads), {@code gc_count}, {@code gc_ms}, the counts, {@code heap_peak_mb} (the heap pools' peak
 * since JVM start, garbage included: bounded by -Xmx), {@code heap_used_after_gc_mb} (live after
 * full GCs with the result held) and {@code heap_retained_mb} (what the result alone holds: the
 * difference after dropping it; for the service, everything it keeps: feed entries, snapshot,
 * pool). Exits 1 when a count differs from {@code --expect} or an entry did not map. {@code
 * --hold-seconds N}: see {@link #HOLD_SECONDS}.
 */
public final class InitialLoadBench {
  private InitialLoadBench() {}

  /**
   * With {@code --hold-seconds N}, the loaded result stays live N seconds after the figures are
   * printed ({@code holding=PID}), for {@code jcmd PID GC.class_histogram}.
   */
  private static long HOLD_SECONDS;

  public static void main(String[] args) throws Exception {
    String mode = null;
    String url = null;
    String base = DirectoryLayout.DEFAULT_BASE;
    Path hosts = null;
    int[] expect = null;
    long holdSeconds = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--mode" -> mode = args[++i];
        case "--url" -> url = args[++i];
        case "--base" -> base = args[++i];
        case "--hosts" -> hosts = Path.of(args[++i]);
        case "--hold-seconds" -> holdSeconds = Long.parseLong(args[++i]);
        case "--expect" ->
            expect =
                java.util.Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (url == null || !List.of("read", "read-entryset", "service").contains(mode)) {
      usage("--mode read|read-entryset|service and --url are required");
    }
    if ("service".equals(mode) && hosts == null) {
      usage("--mode service needs --hosts");
    }
    HOLD_SECONDS = holdSeconds;
    System.exit(
        "service".equals(mode)
            ? service(url, base, hosts, expect)
            : read(url, base, expect, "read-entryset".equals(mode)));
  }

  private static int read(String url, String base, int[] expect, boolean entrySet)
      throws Exception {
    LDAPConnectionPool pool =
        DirectoryConnector.open(DirectoryConfig.builder(url).maxConnections(1).build());
    try {
      DirectoryStore store = new DirectoryStore(pool, DirectoryLayout.of(base));
      long gc0 = Meters.gcCount();
      long gcMs0 = Meters.gcMillis();
      long cpu0 = Meters.processCpuNanos();
      long t0 = System.nanoTime();
      DirectoryRead read = entrySet ? entrySetRead(pool, store.layout()) : store.readAll();
      long t1 = System.nanoTime();
      long cpu1 = Meters.processCpuNanos();
      print("load_ms", (t1 - t0) / 1e6);
      print("cpu_ms", (cpu1 - cpu0) / 1e6);
      print("gc_count", Meters.gcCount() - gc0);
      print("gc_ms", Meters.gcMillis() - gcMs0);
      int status = counts(read.contents(), read.problems().size(), expect);
      Object[] held = {read};
      read = null;
      heap(held);
      return status;
    } finally {
      pool.close();
    }
  }

  /**
   * readAll as it was before {@link DirectoryStore#readAll()} mapped in parallel: the same paged
   * search into an {@link EntrySet} on the search's thread, which keeps every raw entry until the
   * read is assembled (for the before/after comparison in the same run).
   */
  private static DirectoryRead entrySetRead(LDAPConnectionPool pool, DirectoryLayout layout)
      throws Exception {
    EntrySet set = new EntrySet(layout);
    LDAPConnection connection = pool.getConnection();
    try {
      PagedSearch.run(
          connection, layout.base(), EntryMapper.ANY_OBJECT, set::put, EntryMapper.ATTRIBUTES);
    } finally {
      pool.releaseConnection(connection);
    }
    return set.read();
  }

  private static int service(String url, String base, Path hosts, int[] expect) throws Exception {
    LDAPConnectionPool pool =
        DirectoryConnector.open(DirectoryConfig.builder(url).maxConnections(2).build());
    DnsResolver resolver =
        DnsResolver.builder()
            .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
            .hostsFiles(List.of(hosts))
            .build();
    Object[] held = {
      TrustService.builder()
          .directory(pool)
          .baseDn(base)
          .resolver(resolver)
          .startTimeout(Duration.ofMinutes(10))
          .build()
    };
    try {
      TrustService service = (TrustService) held[0];
      long gc0 = Meters.gcCount();
      long gcMs0 = Meters.gcMillis();
      long cpu0 = Meters.processCpuNanos();
      long t0 = System.nanoTime();
      service.start();
      long t1 = System.nanoTime();
      long cpu1 = Meters.processCpuNanos();
      TrustSnapshot snapshot = service.snapshot();
      print("load_ms", (t1 - t0) / 1e6);
      print("cpu_ms", (cpu1 - cpu0) / 1e6);
      print("gc_count", Meters.gcCount() - gc0);
      print("gc_ms", Meters.gcMillis() - gcMs0);
      print("kind", service.status().feed());
      print("peers", snapshot.peers().size());
      int status = counts(snapshot.contents(), 0, expect);
      service = null;
      snapshot = null;
      heap(held);
      return status;
    } finally {
      resolver.close();
      pool.close();
    }
  }

  private static int counts(DirectoryContents c, int problems, int[] expect) {
    print("gateways", c.gateways().size());
    print("hunt_groups", c.huntGroups().size());
    print("dial_plans", c.dialPlans().size());
    print("problems", problems);
    int[] got = {c.gateways().size(), c.huntGroups().size(), c.dialPlans().size()};
    if (problems > 0 || (expect != null && !java.util.Arrays.equals(got, expect))) {
      System.err.printf(
          "MISMATCH: %s with %d problems, expected %s%n",
          java.util.Arrays.toString(got), problems, java.util.Arrays.toString(expect));
      return 1;
    }
    return 0;
  }

  /**
   * Heap figures with {@code held[0]} live, then without it (closed first if it is closeable): the
   * caller keeps no other reference.
   */
  private static void heap(Object[] held) throws Exception {
    print("heap_peak_mb", Meters.peakHeap() / Meters.MB);
    long with = Meters.usedAfterGc();
    Reference.reachabilityFence(held[0]);
    print("heap_used_after_gc_mb", with / Meters.MB);
    if (HOLD_SECONDS > 0) {
      print("holding", ProcessHandle.current().pid());
      System.out.flush();
      Thread.sleep(HOLD_SECONDS * 1000);
    }
    close(held[0]); // in another frame: no local of this one keeps it
    held[0] = null;
    long without = Meters.usedAfterGc();
    print("heap_retained_mb", (with - without) / Meters.MB);
    print("heap_max_mb", Meters.maxHeapMb());
  }

  private static void close(Object o) throws Exception {
    if (o instanceof AutoCloseable c) {
      c.close();
    }
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: InitialLoadBench --mode read|service --url LDAP_URL [--base DN] [--hosts FILE]"
            + " [--expect GATEWAYS,HUNT_GROUPS,DIAL_PLANS]");
    System.exit(2);
  }
}
