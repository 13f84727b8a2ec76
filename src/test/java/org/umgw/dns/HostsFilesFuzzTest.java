package org.umgw.dns;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.net.InetAddresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.umgw.model.GatewayAddress;
import org.umgw.model.IpAddressFamily;

/**
 * Fuzz target for the hosts-file reader: files anyone with write access to {@code /etc/hosts} or a
 * {@code --hosts-file} can shape, consulted before DNS for gateways' names.
 *
 * <p>Properties: reading never throws; one bad line never hides the lines after it (a known entry
 * appended after the fuzzed bytes always answers); answers are of the asked family, sorted by byte
 * value without duplicates, the same for any case and a trailing dot, and only addresses written in
 * the file; a file rewritten from the answers answers the same; and an address the peer check
 * admits parses as a gateway address.
 */
class HostsFilesFuzzTest {
  private static final String PROBE_NAME = "zz-probe.invalid";
  private static final InetAddress PROBE = InetAddresses.forString("192.0.2.77");
  private static final int MAX_NAMES = 64;

  private static Path dir;

  private static synchronized Path dir() throws IOException {
    if (dir == null) {
      dir = Files.createTempDirectory("umgw-hosts-fuzz");
    }
    return dir;
  }

  @AfterAll
  static void removeDir() throws IOException {
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
      dir = null;
    }
  }

  @FuzzTest(maxDuration = "30s")
  void read(byte[] data) throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.write(data);
    content.write(("\n" + PROBE.getHostAddress() + " " + PROBE_NAME + "\n").getBytes(UTF_8));
    Path file = Files.write(dir().resolve("hosts"), content.toByteArray());
    HostsFiles hosts = new HostsFiles(List.of(file), () -> 0L);

    assertTrue(
        hosts.lookup(PROBE_NAME, IpAddressFamily.IPv4Only).contains(PROBE),
        "a line after the fuzzed bytes is lost");

    Set<InetAddress> written = literals(data);
    written.add(PROBE);
    Set<String> names = names(data);
    names.add(PROBE_NAME);
    StringBuilder rewrite = new StringBuilder();
    for (String name : names) {
      List<InetAddress> v4 = hosts.lookup(name, IpAddressFamily.IPv4Only);
      List<InetAddress> v6 = hosts.lookup(name, IpAddressFamily.IPv6Only);
      List<InetAddress> any = hosts.lookup(name, IpAddressFamily.Any);
      assertTrue(v4.stream().allMatch(ip -> ip instanceof Inet4Address), name + " " + v4);
      assertTrue(v6.stream().allMatch(ip -> ip instanceof Inet6Address), name + " " + v6);
      assertSortedUnique(v4);
      assertSortedUnique(v6);
      List<InetAddress> both = new ArrayList<>(v6);
      both.addAll(v4);
      assertEquals(both, any, name);
      assertEquals(any, hosts.lookup(name.toUpperCase(Locale.ROOT), IpAddressFamily.Any), name);
      if (!name.endsWith(".")) {
        assertEquals(any, hosts.lookup(name + ".", IpAddressFamily.Any), name);
      }
      for (InetAddress ip : any) {
        assertTrue(written.contains(ip), ip + " for " + name + " is not in the file");
        rewrite.append(InetAddresses.toAddrString(ip)).append(' ').append(name).append('\n');
        admitted(ip);
      }
    }

    // A file rewritten from the answers answers the same for every name.
    Path again = Files.writeString(dir().resolve("hosts.rewritten"), rewrite.toString());
    HostsFiles reread = new HostsFiles(List.of(again), () -> 0L);
    for (String name : names) {
      for (IpAddressFamily family : IpAddressFamily.values()) {
        assertEquals(hosts.lookup(name, family), reread.lookup(name, family), name);
      }
    }
  }

  private static void admitted(InetAddress ip) {
    try {
      GatewayAddress.checkPeerAddress(ip);
    } catch (IllegalArgumentException e) {
      return;
    }
    GatewayAddress typed = GatewayAddress.parse(InetAddresses.toAddrString(ip));
    assertEquals(ip, typed.ip().orElseThrow());
  }

  private static void assertSortedUnique(List<InetAddress> ips) {
    for (int i = 1; i < ips.size(); i++) {
      assertTrue(DnsResolver.BYTE_ORDER.compare(ips.get(i - 1), ips.get(i)) < 0, ips.toString());
    }
  }

  /** Every token of the file that reads as an address (a zone cut off), as the reader reads it. */
  private static Set<InetAddress> literals(byte[] data) {
    Set<InetAddress> out = new HashSet<>();
    for (String token : tokens(data)) {
      int percent = token.indexOf('%');
      String literal = percent >= 0 ? token.substring(0, percent) : token;
      if (InetAddresses.isInetAddress(literal)) {
        out.add(InetAddresses.forString(literal));
      }
    }
    return out;
  }

  /** Candidate names: the tokens of the file (bounded, so one input stays fast). */
  private static Set<String> names(byte[] data) {
    Set<String> out = new LinkedHashSet<>();
    for (String token : tokens(data)) {
      if (out.size() >= MAX_NAMES) {
        break;
      }
      if (!token.isEmpty()) {
        out.add(token);
      }
    }
    return out;
  }

  /** The fields of every line with its comment cut off, as the reader splits them. */
  private static List<String> tokens(byte[] data) {
    List<String> out = new ArrayList<>();
    for (String line : new String(data, UTF_8).split("[\\r\\n]")) {
      int hash = line.indexOf('#');
      String kept = hash >= 0 ? line.substring(0, hash) : line;
      out.addAll(List.of(kept.split("[\\s\\p{Z}\\u001c-\\u001f]+")));
    }
    return out;
  }
}
