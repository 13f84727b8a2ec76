package org.umgw.bench;

import java.net.InetAddress;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
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
import org.openjdk.jmh.annotations.Warmup;
import org.umgw.trust.Peer;
import org.umgw.trust.TrustSnapshot;

/**
 * {@code TrustSnapshot.lookup} on a 20,000-IP snapshot beside a plain {@code
 * HashSet<InetAddress>.contains} over the same addresses, in the same run. Probes are fresh {@link
 * InetAddress} objects (as a SIP stack makes per packet), half of them trusted.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class LookupBench {
  @Param("20000")
  int peers;

  private static final int PROBES = 4096;

  private TrustSnapshot snapshot;
  private HashSet<InetAddress> baseline;
  private InetAddress[] probes;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    snapshot = TrustSnapshot.build(SyntheticDirectory.of(peers), Map.of(), Instant.now());
    if (snapshot.peers().size() != peers) {
      throw new IllegalStateException("expected " + peers + " peers: " + snapshot.peers().size());
    }
    baseline = new HashSet<>();
    for (Peer p : snapshot.peers()) {
      baseline.add(p.address());
    }
    probes = new InetAddress[PROBES];
    for (int i = 0; i < PROBES; i++) {
      // Even probes hit (spread over all peers), odd ones miss (beyond the last peer).
      int index = i % 2 == 0 ? (int) ((long) i * 7919 % peers) : peers + i;
      probes[i] = SyntheticDirectory.ipv4(index);
    }
  }

  private InetAddress probe() {
    InetAddress a = probes[next];
    next = (next + 1) & (PROBES - 1);
    return a;
  }

  @Benchmark
  public Optional<Peer> snapshotLookup() {
    return snapshot.lookup(probe());
  }

  @Benchmark
  public boolean hashSetContains() {
    return baseline.contains(probe());
  }
}
