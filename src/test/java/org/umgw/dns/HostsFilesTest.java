package org.umgw.dns;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.model.IpAddressFamily;

/** {@link HostsFiles}: /etc/hosts syntax, every line counts, several files, re-reading. */
class HostsFilesTest {
  @TempDir Path dir;
  final AtomicLong nanos = new AtomicLong();

  @Test
  void everyLineAndFileCounts_familiesSortedByByteValue() throws Exception {
    Path a =
        Files.writeString(
            dir.resolve("a"),
            """
        10.0.0.2   gw.example.test   gw   # trailing comment
        9.0.0.1    GW.EXAMPLE.TEST.
        fe80::1%eth0  gw.example.test
        """);
    Path b = Files.writeString(dir.resolve("b"), "\n   \n10.0.0.2 gw.example.test\n::1 gw\n");
    HostsFiles hosts = new HostsFiles(List.of(a, b), nanos::get);

    assertThat(texts(hosts.lookup("gw.example.test", IpAddressFamily.Any)))
        .containsExactly("fe80:0:0:0:0:0:0:1", "9.0.0.1", "10.0.0.2");
    assertThat(texts(hosts.lookup("Gw.Example.Test.", IpAddressFamily.IPv4Only)))
        .containsExactly("9.0.0.1", "10.0.0.2");
    assertThat(texts(hosts.lookup("gw", IpAddressFamily.IPv6Only)))
        .containsExactly("0:0:0:0:0:0:0:1");
    assertThat(texts(hosts.lookup("gw", IpAddressFamily.IPv4Only))).containsExactly("10.0.0.2");
    assertThat(hosts.lookup("other.example.test", IpAddressFamily.Any)).isEmpty();
  }

  @Test
  void malformedLinesAndMissingFiles_areSkipped() throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "300.1.1.1 bad\njustaname\n192.0.2.1 good\n");
    HostsFiles hosts = new HostsFiles(List.of(dir.resolve("missing"), a), nanos::get);

    assertThat(hosts.lookup("bad", IpAddressFamily.Any)).isEmpty();
    assertThat(hosts.lookup("justaname", IpAddressFamily.Any)).isEmpty();
    assertThat(texts(hosts.lookup("good", IpAddressFamily.Any))).containsExactly("192.0.2.1");
  }

  /** Found by HostsFilesFuzzTest: one byte that is not UTF-8 made the whole file count as empty. */
  @Test
  void lineThatIsNotUtf8_spoilsOnlyItself() throws Exception {
    byte[] latin1 = "# Zürich office\n192.0.2.1 g\u00fc\n192.0.2.2 good\n".getBytes(ISO_8859_1);
    Path a = Files.write(dir.resolve("a"), latin1);
    HostsFiles hosts = new HostsFiles(List.of(a), nanos::get);

    assertThat(texts(hosts.lookup("good", IpAddressFamily.Any))).containsExactly("192.0.2.2");
    assertThat(hosts.lookup("g\u00fc", IpAddressFamily.Any)).isEmpty();
  }

  @Test
  void changedFile_isReread_atMostOncePerRecheckInterval() throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "192.0.2.1 gw\n");
    HostsFiles hosts = new HostsFiles(List.of(a), nanos::get);
    assertThat(texts(hosts.lookup("gw", IpAddressFamily.Any))).containsExactly("192.0.2.1");

    Files.writeString(a, "192.0.2.2 gw\n192.0.2.3 gw\n");
    nanos.addAndGet(HostsFiles.RECHECK_NANOS - 1);
    assertThat(texts(hosts.lookup("gw", IpAddressFamily.Any))).containsExactly("192.0.2.1");

    nanos.addAndGet(1);
    assertThat(texts(hosts.lookup("gw", IpAddressFamily.Any)))
        .containsExactly("192.0.2.2", "192.0.2.3");
  }

  static List<String> texts(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).toList();
  }
}
