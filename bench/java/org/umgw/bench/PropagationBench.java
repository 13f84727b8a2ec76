package org.umgw.bench;

import static org.umgw.bench.Meters.fmt;
import static org.umgw.bench.Meters.fmt2;
import static org.umgw.bench.Meters.print;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.dns.DnsResolver;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.DirectoryFeeds;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.service.TrustService;

/**
 * The umgw side of {@code bench/propagation.sh}: follows a directory with a {@link DirectoryFeed},
 * or with one or more {@link TrustService}s, and on a second connection modifies one gateway's
 * description N times, one after another; for each, the time from the modify response to the
 * delivery (or, for services, the snapshot swap) that holds the new value.
 *
 * <pre>
 * java -cp umgw.jar org.umgw.bench.PropagationBench --url ldap://127.0.0.1:PORT \
 *     --base dc=umgw,dc=example --bind-dn cn=admin,dc=umgw,dc=example --password-file pw \
 *     --gateway Contoso-SBC1 --count 100 --warmup 10 --pause-ms 75 --coalesce-ms 30 \
 *     [--snapshot-hosts HOSTS [--followers 20]] [--slapd-pid PID]
 * </pre>
 *
 * <p>With {@code --snapshot-hosts FILE} it measures to the {@code TrustService} snapshot (the feed,
 * the rule check, the snapshot build and swap a SIP server reads); names resolve from FILE only
 * (DNS goes to 127.0.0.1:9, where nothing answers). {@code --followers N} starts N services in this
 * JVM, each with its own pool, feed (one persistent search each on the server) and resolver, and
 * waits for all N snapshots after each change.
 *
 * <p>Prints {@code key=value} lines: {@code kind}, {@code target}, {@code initial_ms} (start to the
 * first delivery or snapshot; for N followers, all N started one after another), heap after the
 * initial load ({@code heap_initial_used_mb}: live after full GCs with everything held; {@code
 * heap_initial_peak_mb}: the pools' peak, garbage included), {@code latency_ms} (each, to the last
 * follower), {@code p50_ms} .. {@code max_ms}, {@code all_p50_ms} .. over every follower's
 * snapshot, and CPU per measured change: {@code cpu_ms_per_change} (this JVM's process CPU time
 * minus the writer thread's, divided by the changes: every follower, GC and JIT included) and
 * {@code slapd_cpu_ms_per_change} (from /proc with {@code --slapd-pid}). The {@code --warmup}
 * changes before the measured ones count in neither. Exits 1 when a change is not delivered within
 * {@code --timeout-s} (30 s).
 */
public final class PropagationBench {
  private PropagationBench() {}

  private record Delivery(int follower, String description, long nanos) {}

  private static final class Options {
    String url;
    String base = DirectoryLayout.DEFAULT_BASE;
    String bindDn;
    Path passwordFile;
    String gateway = "Contoso-SBC1";
    int count = 100;
    int warmup = 0;
    long pauseMs = 75;
    long coalesceMs = 30;
    FeedKind kind;
    Path hosts;
    int followers = 1;
    long slapdPid = -1;
    long timeoutSeconds = 30;
  }

  public static void main(String[] args) throws Exception {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> o.url = args[++i];
        case "--base" -> o.base = args[++i];
        case "--bind-dn" -> o.bindDn = args[++i];
        case "--password-file" -> o.passwordFile = Path.of(args[++i]);
        case "--gateway" -> o.gateway = args[++i];
        case "--count" -> o.count = Integer.parseInt(args[++i]);
        case "--warmup" -> o.warmup = Integer.parseInt(args[++i]);
        case "--pause-ms" -> o.pauseMs = Long.parseLong(args[++i]);
        case "--coalesce-ms" -> o.coalesceMs = Long.parseLong(args[++i]);
        case "--kind" -> o.kind = FeedKind.valueOf(args[++i]);
        case "--snapshot-hosts" -> o.hosts = Path.of(args[++i]);
        case "--followers" -> o.followers = Integer.parseInt(args[++i]);
        case "--slapd-pid" -> o.slapdPid = Long.parseLong(args[++i]);
        case "--timeout-s" -> o.timeoutSeconds = Long.parseLong(args[++i]);
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    if (o.url == null || o.bindDn == null || o.passwordFile == null || o.count < 1) {
      System.err.println("--url, --bind-dn and --password-file are required; --count at least 1");
      System.exit(2);
    }
    if (o.followers < 1 || (o.followers > 1 && o.hosts == null)) {
      System.err.println("--followers N (at least 1) needs --snapshot-hosts");
      System.exit(2);
    }
    System.exit(run(o));
  }

  private static LDAPConnectionPool pool(Options o) {
    return DirectoryConnector.open(
        DirectoryConfig.builder(o.url).bind(o.bindDn, o.passwordFile).maxConnections(2).build());
  }

  private static int run(Options o) throws Exception {
    DirectoryLayout layout = DirectoryLayout.of(o.base);
    LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    FeedOptions feedOptions =
        FeedOptions.defaults().withCoalesceWindow(Duration.ofMillis(o.coalesceMs)).withKind(o.kind);
    List<AutoCloseable> open = new ArrayList<>();
    String kind;
    long opened = System.nanoTime();
    try {
      if (o.hosts == null) {
        LDAPConnectionPool pool = pool(o);
        open.add(pool::close);
        DirectoryFeed feed = DirectoryFeeds.open(pool, layout, feedOptions);
        open.add(0, feed);
        LinkedBlockingQueue<String> kinds = new LinkedBlockingQueue<>();
        feed.start(
            (read, update) -> {
              kinds.add(update.kind().toString());
              deliveries.add(
                  new Delivery(0, description(read.contents(), o.gateway), System.nanoTime()));
            });
        kind = kinds.poll(300, TimeUnit.SECONDS);
      } else {
        List<TrustService> services = new ArrayList<>();
        for (int f = 0; f < o.followers; f++) {
          LDAPConnectionPool pool = pool(o);
          open.add(0, pool::close);
          DnsResolver resolver =
              DnsResolver.builder()
                  .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
                  .hostsFiles(List.of(o.hosts))
                  .build();
          open.add(0, resolver);
          TrustService service =
              TrustService.builder()
                  .directory(pool)
                  .baseDn(o.base)
                  .resolver(resolver)
                  .feedOptions(feedOptions)
                  .startTimeout(Duration.ofMinutes(10))
                  .build();
          open.add(0, service);
          int follower = f;
          service.addSnapshotListener(
              change ->
                  deliveries.add(
                      new Delivery(
                          follower,
                          description(change.after().contents(), o.gateway),
                          System.nanoTime())));
          service.start();
          services.add(service);
        }
        long now = System.nanoTime();
        for (int f = 0; f < o.followers; f++) {
          deliveries.add(
              new Delivery(f, description(services.get(f).snapshot().contents(), o.gateway), now));
        }
        kind = String.valueOf(services.get(0).status().feed());
      }
      if (kind == null) {
        System.err.println("no initial delivery within 300 s");
        return 1;
      }
      print("kind", kind);
      print("target", o.hosts == null ? "feed delivery" : "TrustService snapshot");
      print("followers", o.followers);
      print("initial_ms", fmt((System.nanoTime() - opened) / 1e6));
      print("heap_initial_peak_mb", Meters.peakHeap() / Meters.MB);
      print("heap_initial_used_mb", Meters.usedAfterGc() / Meters.MB);
      print("heap_max_mb", Meters.maxHeapMb());
      deliveries.clear();
      Meters.resetPeaks();
      return measure(o, layout, deliveries);
    } finally {
      for (AutoCloseable c : open) {
        c.close();
      }
    }
  }

  private static int measure(
      Options o, DirectoryLayout layout, LinkedBlockingQueue<Delivery> deliveries)
      throws Exception {
    LDAPURL ldapUrl = new LDAPURL(o.url);
    String password = Files.readAllLines(o.passwordFile).get(0);
    String gatewayDn = layout.gateway(o.gateway).toString();
    List<Double> toLast = new ArrayList<>();
    List<Double> toEach = new ArrayList<>();
    long cpu0 = 0;
    long writerCpu0 = 0;
    double slapd0 = 0;
    long gc0 = 0;
    try (LDAPConnection writer =
        new LDAPConnection(ldapUrl.getHost(), ldapUrl.getPort(), o.bindDn, password)) {
      for (int i = 1 - o.warmup; i <= o.count; i++) {
        if (i == 1) {
          cpu0 = Meters.processCpuNanos();
          writerCpu0 = Meters.threadCpuNanos();
          slapd0 = o.slapdPid > 0 ? Meters.otherProcessCpuMs(o.slapdPid) : 0;
          gc0 = Meters.gcCount();
        }
        String value = "propagation " + i + " " + System.nanoTime();
        writer.modify(gatewayDn, new Modification(ModificationType.REPLACE, "description", value));
        long responded = System.nanoTime();
        boolean[] seen = new boolean[o.followers];
        int remaining = o.followers;
        long last = responded;
        while (remaining > 0) {
          Delivery d = deliveries.poll(o.timeoutSeconds, TimeUnit.SECONDS);
          if (d == null) {
            System.err.printf(
                "modification %d not delivered within %d s (--timeout-s)%n", i, o.timeoutSeconds);
            return 1;
          }
          if (value.equals(d.description()) && !seen[d.follower()]) {
            seen[d.follower()] = true;
            remaining--;
            last = Math.max(last, d.nanos());
            if (i >= 1) {
              toEach.add((d.nanos() - responded) / 1e6);
            }
          }
        }
        if (i >= 1) {
          toLast.add((last - responded) / 1e6);
        }
        Thread.sleep(o.pauseMs);
      }
    }
    double cpuMs =
        ((Meters.processCpuNanos() - cpu0) - (Meters.threadCpuNanos() - writerCpu0)) / 1e6;
    print("measured_changes", o.count);
    print("warmup_changes", o.warmup);
    print("cpu_ms_per_change", fmt2(cpuMs / o.count));
    print("cpu_ms_per_change_per_follower", fmt2(cpuMs / o.count / o.followers));
    if (o.slapdPid > 0) {
      double slapdMs = Meters.otherProcessCpuMs(o.slapdPid) - slapd0;
      print("slapd_cpu_ms_per_change", fmt2(slapdMs / o.count));
    }
    print("gc_during_changes", Meters.gcCount() - gc0);
    print("heap_changes_peak_mb", Meters.peakHeap() / Meters.MB);
    print("latency_ms", String.join(",", toLast.stream().map(Meters::fmt).toList()));
    Meters.printPercentiles("", toLast);
    Meters.printPercentiles("all_", toEach);
    return 0;
  }

  /** The gateway's description; the gateways come sorted by name, so a binary search. */
  private static String description(DirectoryContents contents, String gateway) {
    // Not Collections.binarySearch: contents that follow a live directory hold persistent lists,
    // which it walks with an iterator (O(n)), in the listener's thread, so inside the latency.
    return contents.gateway(gateway).map(Gateway::description).orElse(null);
  }
}
