package org.umgw.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryMapper;
import org.umgw.dns.DnsResolver;
import org.umgw.events.Event;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedOptions;
import org.umgw.health.HealthOptions;
import org.umgw.health.HealthReport;
import org.umgw.health.HealthState;
import org.umgw.health.HealthTransition;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;
import org.umgw.sip.ProberOptions;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.Sipp;

/**
 * Probing inside the service: the snapshot in service is what gets probed, a gateway added in the
 * directory is probed from the next round on, and a gateway that stops answering raises 1400
 * through the service's event listeners.
 */
class TrustServiceProbingTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static HealthState stateOf(TrustService s, String gateway) {
    return s.health()
        .flatMap(r -> r.gateway(gateway))
        .map(HealthReport.Gateway::state)
        .orElse(null);
  }

  @Test
  void theServiceProbesTheGatewaysOfItsSnapshot() throws Exception {
    List<Event> events = new CopyOnWriteArrayList<>();
    List<HealthTransition> transitions = new CopyOnWriteArrayList<>();
    try (InMemoryLdap ldap = InMemoryLdap.start();
        Sipp.Uas sbc = Sipp.uas("127.0.0.9", 0, "u1", 200);
        DnsResolver resolver =
            DnsResolver.builder()
                .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
                .hostsFiles(List.of(Path.of("/dev/null")))
                .build()) {
      LDAPConnectionPool pool = ldap.pool();
      EntryMapper m = new EntryMapper(DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE));
      pool.add(m.layout().baseEntry());
      for (var e : m.layout().containerEntries()) {
        pool.add(e);
      }
      pool.add(m.toEntry(DialPlan.of("dp", UriType.TelExtn, 4)));
      pool.add(
          m.toEntry(Gateway.builder("sbc", "127.0.0.9").port(sbc.address().getPort()).build()));
      pool.add(m.toEntry(HuntGroup.defaultFor("sbc", "dp")));
      try (TrustService s =
          TrustService.builder()
              .directory(pool)
              .resolver(resolver)
              .feedOptions(
                  FeedOptions.defaults()
                      .withKind(FeedKind.POLLING)
                      .withPollInterval(Duration.ofMillis(200)))
              .probing(
                  ProberOptions.defaults(),
                  HealthOptions.defaults()
                      .withDeadline(Duration.ofMillis(400))
                      .withInterval(Duration.ofMillis(500))
                      .withHysteresis(2, 1))
              .build()) {
        s.addEventListener(events::add);
        s.start();
        s.addHealthListener(transitions::add);
        await().atMost(WAIT).until(() -> stateOf(s, "sbc") == HealthState.Up);

        // A gateway added in the directory (nothing listens on its port) is probed from the next
        // swap on, and goes Down with event 1400 after two failed rounds.
        pool.add(m.toEntry(Gateway.builder("dead", "127.0.0.10").port(9).build()));
        pool.add(m.toEntry(HuntGroup.defaultFor("dead", "dp")));
        await().atMost(WAIT).until(() -> stateOf(s, "dead") == HealthState.Down);
        assertThat(events)
            .filteredOn(e -> e.id() == 1400)
            .singleElement()
            .satisfies(e -> assertThat(e.message()).contains("dead", "127.0.0.10"));
        assertThat(stateOf(s, "sbc")).isEqualTo(HealthState.Up);

        // The gateway that answered stops: Down, 1400 naming it.
        sbc.close();
        await().atMost(WAIT).until(() -> stateOf(s, "sbc") == HealthState.Down);
        assertThat(events).filteredOn(e -> e.id() == 1400).hasSize(2);
        assertThat(transitions).anySatisfy(t -> assertThat(t.toString()).contains("sbc"));
      }
    }
  }
}
