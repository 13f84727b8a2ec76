package org.umgw.bench;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.dns.NameResolver;
import org.umgw.dns.Resolution;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UriType;
import org.umgw.policy.IncrementalPolicy;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;

/**
 * The work a service does per directory change (issue 16), on a provider's directory: n gateways,
 * each with one hunt group, spread over n/100 dial plans (1,000 at 100,000). One change is one
 * gateway's status toggled (Enabled / NoNewCalls), taken the way the service takes a delivery the
 * feed tracked: applied to the persistent contents, decided by {@link IncrementalPolicy} on its
 * neighbourhood, and applied to {@link TrustedPeers} (its loop thread included), which publishes
 * the next snapshot. Compare 1,000 with 100,000 gateways: the cost per change should not grow with
 * the directory. {@code fullBuild} is the full rebuild (initial load, full refresh) for scale.
 *
 * <p>Heap: {@code main} prints the heap retained by the directory, the policy's and the snapshot
 * index's state, and the time of the initial full build.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgs = {"-Xmx3g"})
@State(Scope.Thread)
public class IncrementalBench {
  @Param({"1000", "100000"})
  int gateways;

  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);

  private Gateway[] current;
  private DirectoryRead read;
  private DirectoryContents served;
  private IncrementalPolicy policy;
  private TrustedPeers peers;
  private int next;

  /** No name to resolve in this directory (IP literals); refuses loudly if asked. */
  static final class NoDns implements NameResolver {
    @Override
    public CompletionStage<Resolution> resolve(String name, IpAddressFamily family) {
      return CompletableFuture.failedFuture(new IllegalStateException("no DNS in this bench"));
    }

    @Override
    public void close() {}
  }

  static InetAddress ipv4(int i) {
    try {
      return InetAddress.getByAddress(
          new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) (i + 1)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** n gateways on distinct IPv4 literals, one hunt group each, 100 gateways per dial plan. */
  static DirectoryContents directory(int n) {
    int planCount = Math.max(1, n / 100);
    List<DialPlan> plans = new ArrayList<>(planCount);
    for (int p = 0; p < planCount; p++) {
      plans.add(DialPlan.of(String.format("dp%05d", p), UriType.TelExtn, 5));
    }
    plans.sort(java.util.Comparator.comparing(DialPlan::name));
    List<Gateway> gws = new ArrayList<>(n);
    List<HuntGroup> groups = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String name = String.format("gw%06d", i);
      gws.add(Gateway.builder(name, ipv4(i).getHostAddress()).build());
      groups.add(HuntGroup.defaultFor(name, String.format("dp%05d", i % planCount)));
    }
    return new DirectoryContents(plans, gws, groups, List.of());
  }

  @Setup(Level.Trial)
  public void setUp() {
    DirectoryContents contents = directory(gateways);
    current = contents.gateways().toArray(new Gateway[0]);
    read = new DirectoryRead(contents, List.of());
    policy = new IncrementalPolicy(LAYOUT);
    served = policy.decide(read, null, null).decision().served();
    peers =
        new TrustedPeers(new NoDns(), TrustedPeers.Options.defaults(), Clock.systemUTC(), e -> {});
    peers.update(served);
    if (peers.snapshot().peers().size() != gateways) {
      throw new IllegalStateException("peers: " + peers.snapshot().peers().size());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    peers.close();
  }

  /** One gateway's status toggled, from the feed's delta to the published snapshot. */
  @Benchmark
  public TrustSnapshot changeOneGateway() {
    int i = next;
    next = (next + 7919) % gateways;
    Gateway before = current[i];
    Gateway after =
        before.withStatus(
            before.status() == GatewayStatus.Enabled
                ? GatewayStatus.NoNewCalls
                : GatewayStatus.Enabled);
    current[i] = after;
    ContentsDelta delta =
        new ContentsDelta(
            List.of(), List.of(new ContentsDelta.Change<>(before, after)), List.of(), List.of());
    read = new DirectoryRead(read.contents().apply(delta), List.of());
    IncrementalPolicy.Outcome o = policy.decide(read, delta, served);
    if (!o.incremental()) {
      throw new IllegalStateException("the change went the full way");
    }
    served = o.decision().served();
    return peers.apply(served, o.servedDelta());
  }

  /** The full build of the same directory's snapshot (initial load, full refresh). */
  @Benchmark
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 3)
  public TrustSnapshot fullBuild() {
    return TrustSnapshot.build(served, Map.of(), Instant.now());
  }

  private static long used() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Heap retained after the initial load of n gateways (default 100,000): the directory, then the
   * policy's index and the trusted peers (snapshot and its incremental index) on top.
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    long base = used();
    DirectoryContents contents = directory(n);
    DirectoryRead read = new DirectoryRead(contents, List.of());
    long withContents = used();
    long t0 = System.nanoTime();
    IncrementalPolicy policy = new IncrementalPolicy(LAYOUT);
    DirectoryContents served = policy.decide(read, null, null).decision().served();
    long policyMs = (System.nanoTime() - t0) / 1_000_000;
    long withPolicy = used();
    t0 = System.nanoTime();
    try (TrustedPeers peers =
        new TrustedPeers(
            new NoDns(), TrustedPeers.Options.defaults(), Clock.systemUTC(), e -> {})) {
      peers.update(served);
      long peersMs = (System.nanoTime() - t0) / 1_000_000;
      long withPeers = used();
      System.out.printf(
          "gateways=%d huntGroups=%d dialPlans=%d directoryMB=%.1f policyIndexMB=%.1f"
              + " peersMB=%.1f totalMB=%.1f policyMs=%d snapshotMs=%d%n",
          n,
          contents.huntGroups().size(),
          contents.dialPlans().size(),
          (withContents - base) / 1048576.0,
          (withPolicy - withContents) / 1048576.0,
          (withPeers - withPolicy) / 1048576.0,
          (withPeers - base) / 1048576.0,
          policyMs,
          peersMs);
      if (peers.snapshot().peers().size() != n) {
        throw new IllegalStateException("peers " + peers.snapshot().peers().size());
      }
    }
    if (read.contents().gateways().isEmpty() || policy.last() == null) {
      throw new IllegalStateException();
    }
  }
}
