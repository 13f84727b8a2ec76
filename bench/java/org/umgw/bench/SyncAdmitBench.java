package org.umgw.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end latency of {@code umgw trust-list sync --kamailio-rpc}: from the moment the real
 * {@code ldapmodify} returns (the change is committed in slapd) to the moment a running Kamailio
 * answers a SIP OPTIONS from the gateway's address with the new verdict (200 once Spare-Gateway is
 * linked to a dial plan, 403 once the link is deleted). Kamailio is asked every 2 ms from
 * 127.0.0.6, so the figure includes the feed, the policy, the file write, the JSON-RPC reload and
 * Kamailio's own reload.
 *
 * <p>Args: --kamailio HOST:PORT --url LDAP_URL --base DN --bind-dn DN --password-file FILE --count
 * N. Prints {@code key=value} lines (p50_ms, p90_ms, p99_ms, max_ms, min_ms).
 */
public final class SyncAdmitBench {
  private static final String SOURCE = "127.0.0.6";

  private SyncAdmitBench() {}

  public static void main(String[] args) throws Exception {
    String kamailio = null;
    String url = null;
    String base = null;
    String bindDn = null;
    Path passwordFile = null;
    int count = 50;
    for (int i = 0; i < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--kamailio" -> kamailio = v;
        case "--url" -> url = v;
        case "--base" -> base = v;
        case "--bind-dn" -> bindDn = v;
        case "--password-file" -> passwordFile = Path.of(v);
        case "--count" -> count = Integer.parseInt(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    int colon = kamailio.lastIndexOf(':');
    InetSocketAddress target =
        new InetSocketAddress(
            InetAddress.getByName(kamailio.substring(0, colon)),
            Integer.parseInt(kamailio.substring(colon + 1)));
    String huntGroup = "cn=Default Hunt Group,cn=Spare-Gateway,ou=gateways," + base;
    List<Double> millis = new ArrayList<>();
    try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(SOURCE, 0))) {
      socket.setSoTimeout(20);
      if (options(socket, target, 0) != 403) {
        throw new IllegalStateException(SOURCE + " is admitted before the first change");
      }
      for (int i = 1; i <= count; i++) {
        boolean link = i % 2 == 1;
        String ldif =
            link
                ? "dn: "
                    + huntGroup
                    + "\nchangetype: add\nobjectClass: top\nobjectClass: umHuntGroup\n"
                    + "cn: Default Hunt Group\numDialPlanLink: cn=Contoso Extensions,ou=dialplans,"
                    + base
                    + "\n"
                : "dn: " + huntGroup + "\nchangetype: delete\n";
        ldapmodify(url, bindDn, passwordFile, ldif);
        long t0 = System.nanoTime();
        int want = link ? 200 : 403;
        long deadline = t0 + 30_000_000_000L;
        while (options(socket, target, i) != want) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("change " + i + ": no " + want + " within 30 s");
          }
          Thread.sleep(2);
        }
        millis.add((System.nanoTime() - t0) / 1e6);
      }
      if (count % 2 == 1) {
        ldapmodify(url, bindDn, passwordFile, "dn: " + huntGroup + "\nchangetype: delete\n");
      }
    }
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    print("changes", Integer.toString(sorted.size()));
    print("p50_ms", fmt(percentile(sorted, 50)));
    print("p90_ms", fmt(percentile(sorted, 90)));
    print("p99_ms", fmt(percentile(sorted, 99)));
    print("max_ms", fmt(sorted.get(sorted.size() - 1)));
    print("min_ms", fmt(sorted.get(0)));
  }

  /** The real ldapmodify, as an administrator runs it; returns when slapd has committed. */
  private static void ldapmodify(String url, String bindDn, Path passwordFile, String ldif)
      throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "ldapmodify", "-x", "-H", url, "-D", bindDn, "-y", passwordFile.toString())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(ldif.getBytes(UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("ldapmodify failed: " + out);
    }
  }

  /** One OPTIONS from SOURCE; the status code, or 0 when no answer came within 20 ms. */
  private static int options(DatagramSocket socket, InetSocketAddress target, int seq)
      throws IOException {
    String callId = "bench-" + seq + "-" + System.nanoTime();
    String msg =
        "OPTIONS sip:ping@"
            + target.getAddress().getHostAddress()
            + ":"
            + target.getPort()
            + " SIP/2.0\r\nVia: SIP/2.0/UDP "
            + SOURCE
            + ":"
            + socket.getLocalPort()
            + ";branch=z9hG4bK-"
            + callId
            + "\r\nFrom: <sip:bench@"
            + SOURCE
            + ">;tag=b\r\nTo: <sip:ping@"
            + target.getAddress().getHostAddress()
            + ">\r\nCall-ID: "
            + callId
            + "\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
    byte[] bytes = msg.getBytes(UTF_8);
    socket.send(new DatagramPacket(bytes, bytes.length, target));
    byte[] buf = new byte[4096];
    while (true) {
      DatagramPacket reply = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(reply);
      } catch (SocketTimeoutException e) {
        return 0;
      }
      String text = new String(buf, 0, reply.getLength(), UTF_8);
      if (text.startsWith("SIP/2.0 ") && text.contains(callId)) {
        return Integer.parseInt(text.substring(8, 11));
      }
      // An answer to an earlier, timed-out probe: read on.
    }
  }

  /** Nearest-rank percentile of a sorted list. */
  private static double percentile(List<Double> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static void print(String key, String value) {
    System.out.println(key + "=" + value);
  }
}
