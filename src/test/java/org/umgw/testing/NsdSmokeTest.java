package org.umgw.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Proves the {@link Nsd} harness: nsd serves the zones given over UDP and TCP, rewrites are served
 * once {@link Nsd#zone} returns, zones can be added at run time, bad zones are refused with
 * nsd-checkzone's message, and stop/start keeps the port.
 */
class NsdSmokeTest {

  private static String zone(int serial, String... records) {
    return "$ORIGIN example.test.\n$TTL 300\n"
        + "@ 3600 IN SOA ns hostmaster "
        + serial
        + " 3600 600 86400 30\n@ NS ns\nns A 127.0.0.1\n"
        + String.join("\n", records)
        + "\n";
  }

  @Test
  void start_servesZoneOverUdpAndTcp() throws Exception {
    try (Nsd nsd = Nsd.start(Map.of("example.test", zone(1, "www A 192.0.2.1")))) {
      assertThat(a(nsd.query("www.example.test", Type.A))).containsExactly("192.0.2.1");

      SimpleResolver tcp = new SimpleResolver(nsd.address());
      tcp.setTCP(true);
      Message m =
          tcp.send(
              Message.newQuery(
                  Record.newRecord(Name.fromString("www.example.test."), Type.A, DClass.IN)));
      assertThat(a(m)).containsExactly("192.0.2.1");

      assertThat(nsd.query("nope.example.test", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
      assertThat(nsd.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void zone_rewrite_isServedWhenItReturns() throws Exception {
    try (Nsd nsd = Nsd.start(Map.of("example.test", zone(1, "www A 192.0.2.1")))) {
      nsd.zone("example.test", zone(2, "www A 192.0.2.2", "new A 192.0.2.3"));

      assertThat(nsd.servedSerial("example.test")).isEqualTo(2);
      assertThat(a(nsd.query("www.example.test", Type.A))).containsExactly("192.0.2.2");
      assertThat(a(nsd.query("new.example.test", Type.A))).containsExactly("192.0.2.3");
    }
  }

  @Test
  void zone_sameSerial_isRefused() {
    try (Nsd nsd = Nsd.start(Map.of("example.test", zone(7, "www A 192.0.2.1")))) {
      assertThatThrownBy(() -> nsd.zone("example.test", zone(7, "www A 192.0.2.9")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("serial of example.test must change");
    }
  }

  @Test
  void zone_newZone_isAddedAtRunTime_andSurvivesRestart() throws Exception {
    try (Nsd nsd = Nsd.start(Map.of("example.test", zone(1)))) {
      nsd.zone(
          "other.test",
          "$ORIGIN other.test.\n@ 300 IN SOA ns.example.test. h.example.test. 1 3600 600 86400 30\n@ 300 NS ns.example.test.\nwww 300 A 198.51.100.7\n");
      assertThat(a(nsd.query("www.other.test", Type.A))).containsExactly("198.51.100.7");

      nsd.stop();
      nsd.start();
      assertThat(a(nsd.query("www.other.test", Type.A))).containsExactly("198.51.100.7");
    }
  }

  @Test
  void badZone_isRefusedWithCheckzoneMessage() {
    assertThatThrownBy(() -> Nsd.start(Map.of("example.test", zone(1, "www A not-an-address"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nsd-checkzone rejects zone example.test")
        .hasMessageContaining("not-an-address");
  }

  @Test
  void stopThenStart_keepsPort() throws Exception {
    try (Nsd nsd = Nsd.start(Map.of("example.test", zone(1, "www A 192.0.2.1")))) {
      int port = nsd.port();
      long pid = nsd.pid();

      nsd.stop();
      assertThat(nsd.isRunning()).isFalse();
      assertThatThrownBy(() -> nsd.query("www.example.test", Type.A))
          .isInstanceOf(IOException.class);

      nsd.start();
      assertThat(nsd.port()).isEqualTo(port);
      assertThat(nsd.pid()).isNotEqualTo(pid);
      assertThat(a(nsd.query("www.example.test", Type.A))).containsExactly("192.0.2.1");
    }
  }

  @Test
  void ipv6_listensOnLoopbackSix() throws Exception {
    try (Nsd nsd =
        Nsd.builder().zone("example.test.", zone(1, "www AAAA 2001:db8::1")).ipv6(true).start()) {
      InetSocketAddress six = nsd.ipv6Address().orElseThrow();
      assertThat(six.getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
      Message m =
          new SimpleResolver(six)
              .send(
                  Message.newQuery(
                      Record.newRecord(
                          Name.fromString("www.example.test."), Type.AAAA, DClass.IN)));
      assertThat(m.getSection(Section.ANSWER)).hasSize(1);
    }
  }

  private static List<String> a(Message m) {
    return m.getSection(Section.ANSWER).stream()
        .filter(r -> r instanceof ARecord)
        .map(r -> ((ARecord) r).getAddress().getHostAddress())
        .toList();
  }
}
