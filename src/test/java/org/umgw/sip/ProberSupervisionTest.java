package org.umgw.sip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.health.HealthMonitor;
import org.umgw.health.HealthOptions;
import org.umgw.health.HealthState;
import org.umgw.health.HealthTransition;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.testing.Sipp;
import org.umgw.trust.TrustSnapshot;

/**
 * Finding 8 of issue 18: the prober's UDP receiver could die silently, after which every gateway
 * went Down with 1400. A healthy sipp gateway must stay Up whatever happens to the receiver.
 */
class ProberSupervisionTest {
  private static final HealthOptions FAST =
      HealthOptions.defaults()
          .withDeadline(Duration.ofMillis(600))
          .withInterval(Duration.ofSeconds(1))
          .withHysteresis(2, 1);

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<HealthTransition> transitions = new CopyOnWriteArrayList<>();
  private OptionsProber prober;
  private HealthMonitor monitor;
  private Sipp.Uas sipp;

  @BeforeEach
  void open() throws Exception {
    prober = OptionsProber.open(OptionsProberTest.loopbackOptions());
    sipp = Sipp.uas("127.0.0.1", 0, "u1", 200);
    monitor = new HealthMonitor(prober, FAST, events::add);
    monitor.addListener(transitions::add);
    DialPlan dp = DialPlan.of("Plan", UriType.TelExtn, 4);
    Gateway gw = Gateway.builder("gw1", "127.0.0.1").port(sipp.address().getPort()).build();
    monitor.setSnapshot(
        TrustSnapshot.build(
            new DirectoryContents(
                List.of(dp), List.of(gw), List.of(HuntGroup.defaultFor("gw1", "Plan")), List.of()),
            java.util.Map.of(),
            Instant.now()));
  }

  @AfterEach
  void close() {
    monitor.close();
    prober.close();
    sipp.close();
  }

  private HealthState round() {
    return monitor.runRound().gateway("gw1").orElseThrow().state();
  }

  private List<Integer> ids() {
    return events.stream().map(Event::id).toList();
  }

  private void assertNeverDown() {
    assertThat(ids()).as("events").doesNotContain(EventId.PEERS_UNHEALTHY.id());
    assertThat(transitions).noneMatch(t -> t.to() == HealthState.Down);
  }

  /**
   * A stray interrupt of the receiver thread is no failure: the sockets stay open (they are
   * non-blocking, so NIO does not close them), nothing is reported, and the loop must not spin (a
   * selector returns at once while the thread's interrupt flag is set, as the loop before
   * supervision did for ever).
   */
  @Test
  void receiverThreadInterrupted_isIgnored_noSpinning_gatewayStaysUp() throws Exception {
    assertThat(round()).isEqualTo(HealthState.Up);
    List<Thread> receivers =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("umgw-sip-udp"))
            .toList();
    receivers.forEach(Thread::interrupt);
    for (int i = 0; i < 4; i++) {
      round();
    }
    assertNeverDown();
    assertThat(round()).isEqualTo(HealthState.Up);
    assertThat(ids()).doesNotContain(EventId.PROBER_FAILED.id());
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuBefore = receivers.stream().mapToLong(t -> mx.getThreadCpuTime(t.getId())).sum();
    Thread.sleep(1_000);
    long cpuAfter = receivers.stream().mapToLong(t -> mx.getThreadCpuTime(t.getId())).sum();
    assertThat(Duration.ofNanos(cpuAfter - cpuBefore))
        .as("CPU time of the idle receiver over one second")
        .isLessThan(Duration.ofMillis(300));
  }

  @Test
  void receiverKilledByAnError_gatewayStaysUp_proberReports9401Once_then9402() throws Exception {
    receiverFault_isSupervised(new OutOfMemoryError("injected into the UDP receiver"));
  }

  @Test
  void receiverLoopEndedByAnIoException_isSupervisedAlike() throws Exception {
    receiverFault_isSupervised(new java.io.IOException("injected select failure"));
  }

  @Test
  void receiverLoopEndedByARuntimeException_isSupervisedAlike() throws Exception {
    receiverFault_isSupervised(new IllegalStateException("injected bug"));
  }

  private void receiverFault_isSupervised(Throwable fault) throws Exception {
    assertThat(round()).isEqualTo(HealthState.Up);
    prober.injectReceiverFault(fault);
    for (int i = 0; i < 4; i++) {
      round();
    }
    assertNeverDown();
    assertThat(ids()).containsOnlyOnce(EventId.PROBER_FAILED.id());
    Event failed =
        events.stream().filter(e -> e.type() == EventId.PROBER_FAILED).findFirst().orElseThrow();
    assertThat(failed.message()).contains(fault.getMessage());
    assertThat(ids()).doesNotContain(EventId.PROBER_RECOVERED.id());

    prober.injectReceiverFault(null);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ids().contains(EventId.PROBER_RECOVERED.id()));
    assertThat(round()).isEqualTo(HealthState.Up);
    assertNeverDown();
    assertThat(ids()).containsOnlyOnce(EventId.PROBER_FAILED.id());
    assertThat(ids()).containsOnlyOnce(EventId.PROBER_RECOVERED.id());
  }

  @Test
  void udpSocketClosedUnderTheReceiver_isReopened_gatewayStaysUp() throws Exception {
    assertThat(round()).isEqualTo(HealthState.Up);
    prober.closeUdpSocketsForTest();
    for (int i = 0; i < 4; i++) {
      round();
    }
    assertNeverDown();
    assertThat(ids()).containsOnlyOnce(EventId.PROBER_FAILED.id());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ids().contains(EventId.PROBER_RECOVERED.id()));
    assertThat(round()).isEqualTo(HealthState.Up);
    assertNeverDown();
  }
}
