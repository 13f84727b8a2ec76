package org.umgw.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.testing.ConsumerChecks.ToolResult;
import org.umgw.testing.KamailioEntry.Table;

/**
 * Proves the {@link Kamailio} and {@link Sipp} harnesses, and pins what Kamailio 5.6 makes of a
 * permissions address file: a listed source gets 200, an unlisted one 403, a reload flips them, an
 * empty list loads and denies everyone, and lines Kamailio cannot read as IP entries are silently
 * loaded as something else.
 */
class KamailioSmokeTest {

  @TempDir Path dir;

  @Test
  void listedSourceGets200_unlistedGets403_andReloadFlipsThem() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2 32 0 gw1\n");
    try (Kamailio k = Kamailio.start(file)) {
      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(200);
      assertThat(Sipp.options("127.0.0.3", k.address())).isEqualTo(403);
      assertThat(k.addresses())
          .containsExactly(new KamailioEntry(Table.ADDRESS, 1, "127.0.0.2", 32, 0, "gw1"));

      Files.writeString(file, "1 127.0.0.3 32 0 gw1\n");
      k.reloadAddresses();

      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(403);
      assertThat(Sipp.options("127.0.0.3", k.address())).isEqualTo(200);
      Sipp.Reply reply = Sipp.optionsReply("127.0.0.3", k.address(), Duration.ofSeconds(5));
      assertThat(reply.statusLine()).isEqualTo("SIP/2.0 200 OK");
      assertThat(reply.message()).contains("Server: kamailio");
    }
  }

  @Test
  void emptyFile_andCommentsOnly_loadAnEmptyList_thatDeniesEveryone() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "");
    try (Kamailio k = Kamailio.start(file)) {
      assertThat(k.addresses()).isEmpty();
      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(403);

      Files.writeString(file, "# umgw trust list: no peers\n\n");
      k.reloadAddresses();
      assertThat(k.addresses()).isEmpty();
      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(403);
    }
  }

  @Test
  void fileFormat_whatKamailioLoadsFromEachLine() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(
        file,
        String.join(
            "\n",
            "# comment line",
            "1 127.0.0.2 32 0 gw1   # trailing comment",
            "1 192.0.2.10", // mask and port optional, no tag
            "1\t192.0.2.11\t32\t0\tgw-tab\r", // tabs and CRLF
            "1 192.0.2.12 32 5060 gw-port",
            "1 2001:DB8::1 128 0 gw6", // IPv6 is printed compressed, lower case
            "2 198.51.100.0 24 0 net", // shorter mask: subnet table
            "1 192.0.2.13/32 0 0 slash", // one field: NOT an IP entry
            "1 gw.example.test 32 0 fqdn", // host name: string match only, never resolved
            "1 192.0.2.14 32 0 tag,with=punct;ok",
            ""));
    try (Kamailio k = Kamailio.start(file)) {
      assertThat(k.addresses())
          .containsExactlyInAnyOrder(
              new KamailioEntry(Table.ADDRESS, 1, "127.0.0.2", 32, 0, "gw1"),
              new KamailioEntry(Table.ADDRESS, 1, "192.0.2.10", 32, 0, null),
              new KamailioEntry(Table.ADDRESS, 1, "192.0.2.11", 32, 0, "gw-tab"),
              new KamailioEntry(Table.ADDRESS, 1, "192.0.2.12", 32, 5060, "gw-port"),
              new KamailioEntry(Table.ADDRESS, 1, "2001:db8::1", 128, 0, "gw6"),
              new KamailioEntry(Table.SUBNET, 2, "198.51.100.0", 24, 0, "net"),
              new KamailioEntry(Table.DOMAIN, 1, "192.0.2.13/32", 0, 0, "slash"),
              new KamailioEntry(Table.DOMAIN, 1, "gw.example.test", 0, 0, "fqdn"),
              new KamailioEntry(Table.ADDRESS, 1, "192.0.2.14", 32, 0, "tag,with=punct;ok"));
      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(200);
    }
  }

  @Test
  void refusedReload_throws_andKeepsTheOldList() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2 32 0 gw1\n");
    try (Kamailio k = Kamailio.start(file)) {
      Files.writeString(file, "1 127.0.0.3 33 0 bad-mask\n");
      assertThatThrownBy(k::reloadAddresses)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Reload failed");
      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(200);
      assertThat(k.addresses()).extracting(KamailioEntry::address).containsExactly("127.0.0.2");
    }
  }

  @Test
  void missingOrRefusedFile_stopsKamailioAtStart() throws Exception {
    assertThatThrownBy(() -> Kamailio.start(dir.resolve("absent.list")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("kamailio exited")
        .hasMessageContaining("can't open list file");

    Path bad = dir.resolve("bad.list");
    Files.writeString(bad, "1 127.0.0.2 33\n");
    assertThatThrownBy(() -> Kamailio.start(bad))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reload of address table failed");
  }

  @Test
  void group_onlyTheConfiguredGroupIsAdmitted() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2 32 0 one\n7 127.0.0.3 32 0 seven\n");
    try (Kamailio k = Kamailio.start(file, 7)) {
      assertThat(k.group()).isEqualTo(7);
      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(403);
      assertThat(Sipp.options("127.0.0.3", k.address())).isEqualTo(200);
    }
  }

  @Test
  void ipv6_loopbackSixIsAdmittedByA128Entry() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 ::1 128 0 gw6\n");
    try (Kamailio k = Kamailio.builder().addressFile(file).ipv6(true).start()) {
      assertThat(Sipp.options("::1", k.ipv6Address().orElseThrow())).isEqualTo(200);
      assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(403);
    }
  }

  @Test
  void reloadDelta_rateLimitedReloadIsReportedAsFailure() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2\n");
    try (Kamailio k = Kamailio.builder().addressFile(file).reloadDelta(60).start()) {
      k.reloadAddresses();
      Files.writeString(file, "1 127.0.0.3\n");
      assertThatThrownBy(k::reloadAddresses).isInstanceOf(IllegalStateException.class);
      assertThat(k.addresses()).extracting(KamailioEntry::address).containsExactly("127.0.0.2");
    }
  }

  @Test
  void configCheck_acceptsOurConfig_andRejectsABrokenOne() throws Exception {
    Path file = dir.resolve("address.list");
    Files.writeString(file, "1 127.0.0.2\n");
    try (Kamailio k = Kamailio.start(file)) {
      ToolResult ok = k.checkConfig();
      assertThat(ok.exitCode()).as(ok.output()).isZero();

      Path broken = dir.resolve("broken.cfg");
      Files.writeString(broken, Files.readString(k.config()) + "\nrequest_route {\n");
      ToolResult bad = Kamailio.check(broken);
      assertThat(bad.exitCode()).as(bad.output()).isNotZero();
    }
  }

  @Test
  void sipp_noAnswer_throwsWithSippsOutput() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
      InetSocketAddress target = new InetSocketAddress("127.0.0.1", silent.getLocalPort());
      assertThatThrownBy(() -> Sipp.optionsReply("127.0.0.2", target, Duration.ofSeconds(1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("sipp got no final response");
    }
  }

  @Test
  void sipp_refusesNonLoopbackAddresses() {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", 5060);
    assertThatThrownBy(() -> Sipp.options("192.0.2.1", target))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("loopback");
    assertThatThrownBy(
            () ->
                Sipp.options("127.0.0.2", InetSocketAddress.createUnresolved("example.test", 5060)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
