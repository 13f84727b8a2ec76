package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.function.Supplier;

/**
 * Waits until a SIP server answers over UDP: a bound port says nothing about whether the routing
 * script runs, so the harness's start waits for a reply to OPTIONS (any status) before a test sends
 * its first request. Sent from an ephemeral port on the target's own loopback address, so the
 * server's answer is routable whatever it admits.
 */
final class SipReadiness {
  private SipReadiness() {}

  /**
   * Sends OPTIONS every 100 ms until any SIP reply.
   *
   * @param server the server's name, for the failure
   * @param checkAlive fails when the server has exited
   * @param log the server's log so far, for the failure
   */
  static void await(
      String server,
      InetSocketAddress target,
      long deadlineNanos,
      Runnable checkAlive,
      Supplier<String> log) {
    InetAddress local = target.getAddress();
    String host =
        local instanceof Inet6Address
            ? "[" + InetAddresses.toAddrString(local) + "]"
            : local.getHostAddress();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
      s.setSoTimeout(100);
      byte[] buf = new byte[8192];
      for (int i = 1; ; i++) {
        checkAlive.run();
        byte[] bytes = options(host, target.getPort(), s.getLocalPort(), i).getBytes(UTF_8);
        s.send(new DatagramPacket(bytes, bytes.length, target));
        try {
          DatagramPacket reply = new DatagramPacket(buf, buf.length);
          s.receive(reply);
          if (new String(buf, 0, reply.getLength(), UTF_8).startsWith("SIP/2.0 ")) {
            return;
          }
        } catch (SocketTimeoutException notYet) {
          // Not listening yet (or the datagram was lost): send again.
        }
        if (System.nanoTime() > deadlineNanos) {
          throw new IllegalStateException(
              server
                  + " did not answer OPTIONS on "
                  + target
                  + "\n--- "
                  + server
                  + ".log ---\n"
                  + log.get());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot probe " + target, e);
    }
  }

  private static String options(String host, int port, int localPort, int i) {
    return "OPTIONS sip:ping@"
        + host
        + ":"
        + port
        + " SIP/2.0\r\n"
        + "Via: SIP/2.0/UDP "
        + host
        + ":"
        + localPort
        + ";branch=z9hG4bK-umgw-ready-"
        + i
        + "\r\nFrom: <sip:ready@"
        + host
        + ">;tag=r"
        + i
        + "\r\nTo: <sip:ping@"
        + host
        + ">\r\nCall-ID: ready-"
        + i
        + "@umgw\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
  }
}
