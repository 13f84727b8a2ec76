package org.umgw.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.sip.ProbeResult;
import org.umgw.sip.ProbeTarget;
import org.umgw.sip.SipTransport;

/** Event 9504: once per short-lived certificate, again for a renewal that is short too. */
class CertificateExpiryTest {
  private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
  private static final ProbeTarget TARGET =
      ProbeTarget.of(new InetSocketAddress("127.0.0.1", 5061), SipTransport.TLS, "gw.example.test");

  private final CertificateExpiry watch = new CertificateExpiry(Duration.ofDays(21));

  private List<Event> round(Instant notAfter, Instant now) {
    ProbeResult r = new ProbeResult.Answered(200, "OK", Duration.ofMillis(3), notAfter);
    return watch.check("GW", List.of(TARGET), List.of(r), now).stream().toList();
  }

  @Test
  void underThreshold_raisesOnce_thenAgainForAShortRenewal() {
    Instant soon = NOW.plus(Duration.ofDays(10));

    List<Event> first = round(soon, NOW);
    assertThat(first)
        .singleElement()
        .extracting(Event::type)
        .isEqualTo(EventId.GATEWAY_CERTIFICATE_EXPIRING);
    assertThat(first.get(0).message())
        .isEqualTo(
            "The TLS certificate of UM IP gateway GW at tls 127.0.0.1:5061 (gw.example.test)"
                + " expires at 2026-12-11T00:00:00Z (10 days left, warning below 21)");
    assertThat(round(soon, NOW.plus(Duration.ofHours(1)))).isEmpty();
    assertThat(round(NOW.plus(Duration.ofDays(15)), NOW.plus(Duration.ofDays(2)))).hasSize(1);
  }

  @Test
  void aboveThreshold_orNoCertificate_raisesNothing() {
    assertThat(round(NOW.plus(Duration.ofDays(22)), NOW)).isEmpty();
    ProbeResult plain = new ProbeResult.Answered(200, "OK", Duration.ofMillis(3));
    assertThat(watch.check("GW", List.of(TARGET), List.of(plain), NOW)).isEmpty();
  }

  @Test
  void renewedLongEnough_thenShortAgain_raisesAgain() {
    Instant soon = NOW.plus(Duration.ofDays(5));
    assertThat(round(soon, NOW)).hasSize(1);
    assertThat(round(NOW.plus(Duration.ofDays(90)), NOW)).isEmpty();
    assertThat(round(soon, NOW)).hasSize(1);
  }
}
