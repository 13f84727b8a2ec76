package org.umgw.bench;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.dns.DnsResolver;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.DirectoryFeeds;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.feed.FeedUpdate;
import org.umgw.model.Gateway;
import org.umgw.service.TrustService;

/**
 * The umgw side of {@code bench/propagation.sh}: follows a directory with a {@link DirectoryFeed}
 * and, on a second connection, modifies one gateway's description N times, one after another; for
 * each, the time from the modify response to the delivery that holds the new value.
 *
 * <pre>
 * java -cp umgw.jar org.umgw.bench.PropagationBench --url ldap://127.0.0.1:PORT \
 *     --base dc=umgw,dc=example --bind-dn cn=admin,dc=umgw,dc=example --password-file pw \
 *     --gateway Contoso-SBC1 --count 100 --pause-ms 75 --coalesce-ms 30
 * </pre>
 *
 * <p>Prints {@code key=value} lines: {@code kind}, {@code initial_ms} (open to first delivery),
 * {@code latency_ms} (each, in order), {@code p50_ms}, {@code p90_ms}, {@code p99_ms}, {@code
 * max_ms}, {@code min_ms}, {@code deliveries}. Exits 1 when a change is not delivered within 10 s.
 */
public final class PropagationBench {
  private PropagationBench() {}

  private record Delivery(DirectoryRead read, FeedUpdate update, long nanos) {}

  /**
   * With {@code --snapshot-hosts FILE}, the bench measures to the {@link TrustService} snapshot
   * (the feed, the rule check, and the swap a SIP server reads) instead of to the feed's delivery;
   * names resolve from FILE only (DNS goes to 127.0.0.1:9, where nothing answers).
   */
  private static Path SNAPSHOT_HOSTS;

  public static void main(String[] args) throws Exception {
    String url = null;
    String base = DirectoryLayout.DEFAULT_BASE;
    String bindDn = null;
    Path passwordFile = null;
    String gateway = "Contoso-SBC1";
    int count = 100;
    long pauseMs = 75;
    long coalesceMs = 30;
    FeedKind kind = null;
    Path hosts = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--url" -> url = args[++i];
        case "--base" -> base = args[++i];
        case "--bind-dn" -> bindDn = args[++i];
        case "--password-file" -> passwordFile = Path.of(args[++i]);
        case "--gateway" -> gateway = args[++i];
        case "--count" -> count = Integer.parseInt(args[++i]);
        case "--pause-ms" -> pauseMs = Long.parseLong(args[++i]);
        case "--coalesce-ms" -> coalesceMs = Long.parseLong(args[++i]);
        case "--kind" -> kind = FeedKind.valueOf(args[++i]);
        case "--snapshot-hosts" -> hosts = Path.of(args[++i]);
        default -> {
          System.err.println("unknown argument " + args[i]);
          System.exit(2);
        }
      }
    }
    if (url == null || bindDn == null || passwordFile == null || count < 1) {
      System.err.println("--url, --bind-dn and --password-file are required; --count at least 1");
      System.exit(2);
    }
    SNAPSHOT_HOSTS = hosts;
    System.exit(run(url, base, bindDn, passwordFile, gateway, count, pauseMs, coalesceMs, kind));
  }

  private static int run(
      String url,
      String base,
      String bindDn,
      Path passwordFile,
      String gateway,
      int count,
      long pauseMs,
      long coalesceMs,
      FeedKind kind)
      throws Exception {
    LDAPConnectionPool pool =
        DirectoryConnector.open(
            DirectoryConfig.builder(url).bind(bindDn, passwordFile).maxConnections(2).build());
    DirectoryLayout layout = DirectoryLayout.of(base);
    LinkedBlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
    FeedOptions options =
        FeedOptions.defaults().withCoalesceWindow(Duration.ofMillis(coalesceMs)).withKind(kind);
    LDAPURL ldapUrl = new LDAPURL(url);
    String password = Files.readAllLines(passwordFile).get(0);
    String gatewayDn = layout.gateway(gateway).toString();
    List<Double> latencies = new ArrayList<>();
    long opened = System.nanoTime();
    try (DirectoryFeed feed = DirectoryFeeds.open(pool, layout, options);
        LDAPConnection writer =
            new LDAPConnection(ldapUrl.getHost(), ldapUrl.getPort(), bindDn, password)) {
      TrustService service = null;
      DnsResolver resolver = null;
      if (SNAPSHOT_HOSTS != null) {
        feed.close();
        resolver =
            DnsResolver.builder()
                .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
                .hostsFiles(List.of(SNAPSHOT_HOSTS))
                .build();
        service =
            TrustService.builder()
                .directory(pool)
                .baseDn(base)
                .resolver(resolver)
                .feedOptions(options)
                .build();
        TrustService s = service;
        service.addSnapshotListener(
            change ->
                deliveries.add(
                    new Delivery(
                        new DirectoryRead(change.after().contents(), List.of()),
                        new FeedUpdate(
                            s.status().feed(), "snapshot", java.time.Instant.now(), false, 0),
                        System.nanoTime())));
        service.start();
        deliveries.add(
            new Delivery(
                new DirectoryRead(service.snapshot().contents(), List.of()),
                new FeedUpdate(
                    service.status().feed(), "snapshot", java.time.Instant.now(), true, 0),
                System.nanoTime()));
      } else {
        feed.start((read, update) -> deliveries.add(new Delivery(read, update, System.nanoTime())));
      }
      Delivery initial = deliveries.poll(30, TimeUnit.SECONDS);
      if (initial == null) {
        System.err.println("no initial delivery within 30 s");
        return 1;
      }
      print("kind", initial.update().kind());
      print("target", SNAPSHOT_HOSTS == null ? "feed delivery" : "TrustService snapshot");
      print("initial_ms", fmt((initial.nanos() - opened) / 1e6));
      int delivered = 1;
      for (int i = 1; i <= count; i++) {
        String value = "propagation " + i;
        writer.modify(gatewayDn, new Modification(ModificationType.REPLACE, "description", value));
        long responded = System.nanoTime();
        while (true) {
          Delivery d = deliveries.poll(10, TimeUnit.SECONDS);
          if (d == null) {
            System.err.println("modification " + i + " not delivered within 10 s");
            return 1;
          }
          delivered++;
          if (value.equals(description(d.read(), gateway))) {
            latencies.add((d.nanos() - responded) / 1e6);
            break;
          }
        }
        Thread.sleep(pauseMs);
      }
      print("deliveries", delivered);
      if (service != null) {
        service.close();
        resolver.close();
      }
    } finally {
      pool.close();
    }
    print("latency_ms", String.join(",", latencies.stream().map(PropagationBench::fmt).toList()));
    List<Double> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    print("min_ms", fmt(sorted.get(0)));
    print("p50_ms", fmt(percentile(sorted, 50)));
    print("p90_ms", fmt(percentile(sorted, 90)));
    print("p99_ms", fmt(percentile(sorted, 99)));
    print("max_ms", fmt(sorted.get(sorted.size() - 1)));
    return 0;
  }

  private static String description(DirectoryRead read, String gateway) {
    for (Gateway g : read.contents().gateways()) {
      if (g.name().equals(gateway)) {
        return g.description();
      }
    }
    return null;
  }

  /** Nearest-rank percentile of a sorted list. */
  private static double percentile(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static String fmt(double ms) {
    return String.format(Locale.ROOT, "%.1f", ms);
  }

  private static void print(String key, Object value) {
    System.out.println(key + "=" + value);
  }
}
