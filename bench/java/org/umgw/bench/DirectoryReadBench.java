package org.umgw.bench;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchResultListener;
import com.unboundid.ldap.sdk.SearchResultReference;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.DirectoryStore;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.PagedSearch;
import org.umgw.model.DirectoryContents;

/**
 * The umgw side of {@code bench/directory-read.sh}: opens a pool with {@link DirectoryConnector},
 * reads the whole directory with {@link DirectoryStore#readAll()} and prints {@code key=value}
 * lines for the script to parse.
 *
 * <pre>
 * java -cp umgw.jar org.umgw.bench.DirectoryReadBench --url ldap://127.0.0.1:PORT \
 *     --base dc=umgw,dc=example --repeat 1 --expect 10000,10000,100
 * java -cp umgw.jar org.umgw.bench.DirectoryReadBench --url ldap://127.0.0.1:PORT \
 *     --warmup 5 --repeat 5 --raw-repeat 5
 * java -cp umgw.jar org.umgw.bench.DirectoryReadBench --print-attributes
 * </pre>
 *
 * <p>Printed: {@code pool_ms} (opening the pool), {@code warmup_ms} (the {@code --warmup} reads,
 * not counted), {@code read_ms} (each counted readAll, in order), {@code read_ms_median}, {@code
 * read_caller_cpu_ms_median} (CPU time of the calling thread, which maps the entries while
 * UnboundID's reader thread decodes them), the counts, and heap figures: {@code
 * heap_used_after_gc_mb} (everything live after a full GC while the last result is still
 * referenced), {@code heap_retained_mb} (what that result alone keeps: the difference with a second
 * GC after dropping it), {@code heap_peak_mb} (sum of the heap pools' peak usage, garbage included)
 * and the collections during the reads. With {@code --raw-repeat N}, it then times N runs of the
 * LDAP part alone ({@code raw_ms}): the same paged search with UnboundID, entries counted instead
 * of mapped. Exits 1 when a count differs from {@code --expect} or any entry failed to map.
 */
public final class DirectoryReadBench {
  private static final double MB = 1024.0 * 1024.0;

  private static final int PAGE_SIZE = PagedSearch.PAGE_SIZE;

  private DirectoryReadBench() {}

  public static void main(String[] args) {
    String url = null;
    String base = DirectoryLayout.DEFAULT_BASE;
    int repeat = 1;
    int[] expect = null;
    int rawRepeat = 0;
    int warmup = 0;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--base" -> base = args[++i];
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        case "--raw-repeat" -> rawRepeat = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--expect" ->
            expect = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--print-attributes" -> {
          System.out.println(String.join(" ", EntryMapper.ATTRIBUTES));
          return;
        }
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (url == null
        || repeat < 1
        || rawRepeat < 0
        || warmup < 0
        || (expect != null && expect.length != 3)) {
      usage("--url is required, --repeat at least 1, --expect GATEWAYS,HUNT_GROUPS,DIAL_PLANS");
    }
    System.exit(run(url, base, warmup, repeat, rawRepeat, expect));
  }

  private static int run(
      String url, String base, int warmup, int repeat, int rawRepeat, int[] expect) {
    long start = System.nanoTime();
    LDAPConnectionPool pool =
        DirectoryConnector.open(DirectoryConfig.builder(url).maxConnections(1).build());
    print("pool_ms", ms(System.nanoTime() - start));
    int status = 0;
    try {
      DirectoryStore store = new DirectoryStore(pool, DirectoryLayout.of(base));
      long gcCount0 = gcCount();
      long gcMillis0 = gcMillis();
      List<Double> warmupTimes = new ArrayList<>();
      List<Double> times = new ArrayList<>();
      List<Double> cpuTimes = new ArrayList<>();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      DirectoryRead read = null;
      for (int i = 0; i < warmup + repeat; i++) {
        read = null; // let the previous result go before the next read, as a refresh would
        long cpu = threads.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        read = store.readAll();
        (i < warmup ? warmupTimes : times).add(ms(System.nanoTime() - t));
        if (i >= warmup) {
          cpuTimes.add(ms(threads.getCurrentThreadCpuTime() - cpu));
        }
        status |= check(read, expect);
      }
      if (warmup > 0) {
        print("warmup_ms", join(warmupTimes));
      }
      print("gc_count_during_reads", gcCount() - gcCount0);
      print("gc_ms_during_reads", gcMillis() - gcMillis0);
      print("read_ms", join(times));
      print("read_ms_median", median(times));
      // The calling thread maps the entries; UnboundID's reader thread decodes them.
      print("read_caller_cpu_ms_median", median(cpuTimes));
      DirectoryContents c = read.contents();
      print("gateways", c.gateways().size());
      print("hunt_groups", c.huntGroups().size());
      print("dial_plans", c.dialPlans().size());
      print("servers", c.servers().size());
      print("problems", read.problems().size());
      if (!read.problems().isEmpty()) {
        System.err.println("first problem: " + read.problems().get(0));
      }

      print("heap_peak_mb", peakHeap() / MB);
      long measureStart = System.nanoTime();
      long withResult = usedAfterGc();
      Reference.reachabilityFence(read); // the result is live during that GC
      print("heap_used_after_gc_mb", withResult / MB);
      read = null;
      c = null;
      long withoutResult = usedAfterGc();
      print("heap_retained_mb", (withResult - withoutResult) / MB);
      print("heap_measure_ms", ms(System.nanoTime() - measureStart));
      print("heap_max_mb", Runtime.getRuntime().maxMemory() / MB);

      if (rawRepeat > 0) {
        List<Double> raw = new ArrayList<>();
        for (int i = 0; i < rawRepeat; i++) {
          long t = System.nanoTime();
          int n = rawRead(pool, base);
          raw.add(ms(System.nanoTime() - t));
          if (expect != null && n != expect[0] + expect[1] + expect[2]) {
            System.err.printf("MISMATCH: the raw search returned %d entries%n", n);
            status = 1;
          }
        }
        print("raw_ms", join(raw));
        print("raw_ms_median", median(raw));
      }
    } catch (LDAPException e) {
      System.err.println("raw search failed: " + e);
      status = 1;
    } finally {
      pool.close();
    }
    return status;
  }

  /**
   * The LDAP part of readAll alone: the same paged search (filter, attributes, page size of
   * LdapOps, one pooled connection), entries decoded by UnboundID and counted, not mapped.
   */
  private static int rawRead(LDAPConnectionPool pool, String base) throws LDAPException {
    Filter filter = EntryMapper.ANY_OBJECT;
    Counter counter = new Counter();
    LDAPConnection connection = pool.getConnection();
    try {
      ASN1OctetString cookie = null;
      do {
        SearchRequest request =
            new SearchRequest(counter, base, SearchScope.SUB, filter, EntryMapper.ATTRIBUTES);
        request.addControl(new SimplePagedResultsControl(PAGE_SIZE, cookie, false));
        SearchResult result = connection.search(request);
        SimplePagedResultsControl response = SimplePagedResultsControl.get(result);
        cookie = response == null ? null : response.getCookie();
      } while (cookie != null && cookie.getValueLength() > 0);
    } finally {
      pool.releaseConnection(connection);
    }
    return counter.entries;
  }

  private static final class Counter implements SearchResultListener {
    private static final long serialVersionUID = 1L;
    private int entries;

    @Override
    public void searchEntryReturned(SearchResultEntry entry) {
      entries++;
    }

    @Override
    public void searchReferenceReturned(SearchResultReference reference) {}
  }

  private static int check(DirectoryRead read, int[] expect) {
    DirectoryContents c = read.contents();
    int[] got = {c.gateways().size(), c.huntGroups().size(), c.dialPlans().size()};
    if (!read.problems().isEmpty() || (expect != null && !Arrays.equals(got, expect))) {
      System.err.printf(
          "MISMATCH: read %s gateways/hunt groups/dial plans with %d problems, expected %s%n",
          Arrays.toString(got), read.problems().size(), Arrays.toString(expect));
      return 1;
    }
    return 0;
  }

  /** Heap in use after two full collections (the second catches what finalization released). */
  private static long usedAfterGc() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    System.gc();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long peakHeap() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private static long gcMillis() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionTime());
    }
    return n;
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String join(List<Double> values) {
    List<String> out = new ArrayList<>();
    for (double v : values) {
      out.add(format(v));
    }
    return String.join(",", out);
  }

  private static void print(String key, Object value) {
    System.out.println(key + "=" + (value instanceof Double d ? format(d) : value));
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static void usage(String problem) {
    System.err.println(problem);
    System.err.println(
        "usage: DirectoryReadBench --url LDAP_URL [--base DN] [--repeat N]"
            + " [--warmup N] [--raw-repeat N] [--expect GATEWAYS,HUNT_GROUPS,DIAL_PLANS] | --print-attributes");
    System.exit(2);
  }
}
