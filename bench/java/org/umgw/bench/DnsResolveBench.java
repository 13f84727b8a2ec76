package org.umgw.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.umgw.dns.DnsResolver;
import org.umgw.dns.Resolution;
import org.umgw.model.IpAddressFamily;

/**
 * The umgw side of {@code bench/dns-resolve.sh}: resolves every name of a file with {@link
 * DnsResolver} and family Any (A and AAAA queries at once), checks each answer, and prints {@code
 * key=value} lines for the script.
 *
 * <pre>
 * java -cp umgw.jar org.umgw.bench.DnsResolveBench --server 127.0.0.2:53 --names names.txt \
 *     --max-concurrent 256 [--timeout-ms 2000] [--warmup 0] [--repeat 1]
 * </pre>
 *
 * <p>The names are {@code hNNNNN.<zone>}; name N must resolve to exactly {@code 2001:db8::<N+1 in
 * hex>} and {@code 10.<N/65536>.<N/256%256>.<N%256>}, which is what the script's zone holds.
 * Printed: {@code jvm_start_ms} (JVM uptime when main starts: JVM boot and class loading before
 * it), {@code setup_ms} (reading the names, building the resolver), {@code warmup_ms} (untimed
 * passes), {@code resolve_ms} (each counted pass: first resolve call to last answer, in order),
 * {@code resolve_ms_first}, {@code resolve_ms_median}, {@code max_concurrent}, {@code ok}. Exits 1
 * when any name fails or resolves to anything else.
 */
public final class DnsResolveBench {
  private DnsResolveBench() {}

  public static void main(String[] args) throws Exception {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getUptime();
    long t0 = System.nanoTime();
    String server = null;
    Path namesFile = null;
    int maxConcurrent = DnsResolver.DEFAULT_MAX_CONCURRENT;
    long timeoutMs = DnsResolver.DEFAULT_TIMEOUT.toMillis();
    int warmup = 0;
    int repeat = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--server" -> server = args[++i];
        case "--names" -> namesFile = Path.of(args[++i]);
        case "--max-concurrent" -> maxConcurrent = Integer.parseInt(args[++i]);
        case "--timeout-ms" -> timeoutMs = Long.parseLong(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (server == null || namesFile == null) {
      throw new IllegalArgumentException("--server and --names are required");
    }
    List<String> names = readNames(namesFile);
    InetSocketAddress address = DnsResolver.parseServer(server);
    List<Long> resolveMs = new ArrayList<>();
    List<Long> warmupMs = new ArrayList<>();
    int ok;
    try (DnsResolver dns =
        DnsResolver.builder()
            .servers(List.of(address))
            .timeout(Duration.ofMillis(timeoutMs))
            .maxConcurrent(maxConcurrent)
            .build()) {
      long setupMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      System.out.println("jvm_start_ms=" + jvmStart);
      System.out.println("setup_ms=" + setupMs);
      for (int i = 0; i < warmup; i++) {
        long start = System.nanoTime();
        check(names, resolveAll(dns, names));
        warmupMs.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      }
      ok = 0;
      for (int i = 0; i < repeat; i++) {
        long start = System.nanoTime();
        List<Resolution> results = resolveAll(dns, names);
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        resolveMs.add(ms);
        ok = check(names, results);
      }
    }
    System.out.println("names=" + names.size());
    System.out.println("max_concurrent=" + maxConcurrent);
    System.out.println("warmup_ms=" + join(warmupMs));
    System.out.println("resolve_ms=" + join(resolveMs));
    System.out.println("resolve_ms_first=" + resolveMs.get(0));
    System.out.println("resolve_ms_median=" + median(resolveMs));
    System.out.println("ok=" + ok);
  }

  private static List<Resolution> resolveAll(DnsResolver dns, List<String> names) {
    List<CompletableFuture<Resolution>> futures = new ArrayList<>(names.size());
    for (String name : names) {
      futures.add(dns.resolve(name, IpAddressFamily.Any).toCompletableFuture());
    }
    List<Resolution> results = new ArrayList<>(names.size());
    for (CompletableFuture<Resolution> f : futures) {
      results.add(f.join());
    }
    return results;
  }

  /**
   * Returns the number of correct answers; exits 1 on the first wrong one. Compares raw address
   * bytes, so checking costs little next to resolving (the adnshost side checks with perl).
   */
  private static int check(List<String> names, List<Resolution> results) {
    int ok = 0;
    for (int i = 0; i < names.size(); i++) {
      Resolution r = results.get(i);
      String name = names.get(i);
      int n = index(name);
      byte[] v6 = new byte[16];
      v6[0] = 0x20;
      v6[1] = 0x01;
      v6[2] = 0x0d;
      v6[3] = (byte) 0xb8;
      v6[14] = (byte) ((n + 1) >> 8);
      v6[15] = (byte) (n + 1);
      byte[] v4 = {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
      if (!(r instanceof Resolution.Addresses a)
          || a.addresses().size() != 2
          || !Arrays.equals(a.addresses().get(0).getAddress(), v6)
          || !Arrays.equals(a.addresses().get(1).getAddress(), v4)) {
        System.out.println("ok=" + ok);
        System.err.println("wrong answer for " + name + ": " + r);
        System.exit(1);
      }
      ok++;
    }
    return ok;
  }

  /** N of {@code hNNNNN.zone}. */
  private static int index(String name) {
    int dot = name.indexOf('.');
    if (name.charAt(0) != 'h' || dot < 2) {
      throw new IllegalArgumentException("name not of the form hNNNNN.zone: " + name);
    }
    return Integer.parseInt(name, 1, dot, 10);
  }

  private static List<String> readNames(Path file) throws IOException {
    List<String> names = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (!line.isBlank()) {
        names.add(line.strip());
      }
    }
    return names;
  }

  private static String join(List<Long> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
