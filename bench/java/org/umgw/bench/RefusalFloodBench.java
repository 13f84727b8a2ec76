package org.umgw.bench;

import java.net.InetAddress;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.umgw.dns.NameResolver;
import org.umgw.dns.Resolution;
import org.umgw.events.Events;
import org.umgw.model.IpAddressFamily;
import org.umgw.trust.Admission;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;

/**
 * Admission under a flood of refusals (issue 12): a SIP scanner sending from 10,000 sources while
 * trusted gateways call. Compares, in one run:
 *
 * <ul>
 *   <li>{@code quiet}: a trusted admit with nothing else going on (the reference);
 *   <li>{@code flood:trusted}: the same trusted admit while another thread admits refused calls
 *       from 10,000 rotating sources through {@link TrustedPeers#admit} (events aggregated by the
 *       refusal log, logged through SLF4J on its own thread);
 *   <li>{@code floodRefused}: the cost of one refused admit with the aggregation, beside {@code
 *       syncLogRefused}, the old behaviour: every refusal logged synchronously by the caller.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Group)
public class RefusalFloodBench {
  private static final int GATEWAYS = 1000;
  private static final int SOURCES = 10_000;

  private TrustedPeers peers;
  private Events events;
  private InetAddress trusted;
  private InetAddress[] scanners;
  private final LongAdder delivered = new LongAdder();

  /** Per thread: where in the rotation of scanner sources this thread is. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  private static final NameResolver NO_DNS =
      new NameResolver() {
        @Override
        public CompletionStage<Resolution> resolve(String name, IpAddressFamily family) {
          return CompletableFuture.failedStage(new IllegalStateException("no names here"));
        }

        @Override
        public void close() {}
      };

  @Setup(Level.Trial)
  public void setUp() {
    events = new Events();
    events.addListener(e -> delivered.increment());
    peers = new TrustedPeers(NO_DNS, TrustedPeers.Options.defaults(), Clock.systemUTC(), events);
    TrustSnapshot s = peers.update(SyntheticDirectory.of(GATEWAYS));
    if (s.peers().size() != GATEWAYS) {
      throw new IllegalStateException("expected " + GATEWAYS + " peers: " + s.peers().size());
    }
    trusted = SyntheticDirectory.ipv4(GATEWAYS / 2);
    scanners = new InetAddress[SOURCES];
    for (int i = 0; i < SOURCES; i++) {
      scanners[i] = SyntheticDirectory.ipv4(GATEWAYS + 1 + i);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    peers.close();
    System.err.printf(
        "refusal bench: %d events logged for %d refusals through TrustedPeers.admit"
            + " (+ the syncLog group's, one line each)%n",
        delivered.sum(), peers.refusals(org.umgw.events.EventId.UNTRUSTED_SOURCE));
  }

  private InetAddress scanner(Cursor c) {
    InetAddress a = scanners[c.next];
    c.next = c.next + 1 == SOURCES ? 0 : c.next + 1;
    return a;
  }

  @Benchmark
  @Group("quiet")
  public Admission quietTrusted() {
    return peers.admit(trusted, "", false);
  }

  @Benchmark
  @Group("flood")
  @GroupThreads(1)
  public Admission floodTrusted() {
    return peers.admit(trusted, "", false);
  }

  @Benchmark
  @Group("flood")
  @GroupThreads(1)
  public Admission floodRefused(Cursor c) {
    return peers.admit(scanner(c), "", false);
  }

  /** The old behaviour: the caller logs every refusal itself, synchronously. */
  @Benchmark
  @Group("syncLog")
  public Admission syncLogRefused(Cursor c) {
    Admission a = peers.snapshot().admit(scanner(c), "", false, Clock.systemUTC());
    if (a instanceof Admission.Refused r) {
      events.onEvent(r.event());
    }
    return a;
  }
}
