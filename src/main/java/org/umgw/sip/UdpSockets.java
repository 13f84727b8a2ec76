package org.umgw.sip;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * One generation of the prober's UDP sockets: one per address family the host supports, each
 * registered with one selector. When a socket breaks, {@link UdpReceiver} replaces the whole set
 * (new ephemeral ports), so nothing ever half-works.
 */
final class UdpSockets implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(UdpSockets.class);

  final Selector selector;
  private final DatagramChannel udp4;
  private final DatagramChannel udp6;
  private final InetSocketAddress local4;
  private final InetSocketAddress local6;
  private final String via4;
  private final String via6;

  private UdpSockets(Selector selector, DatagramChannel udp4, DatagramChannel udp6)
      throws IOException {
    this.selector = selector;
    this.udp4 = udp4;
    this.udp6 = udp6;
    local4 = udp4 == null ? null : (InetSocketAddress) udp4.getLocalAddress();
    local6 = udp6 == null ? null : (InetSocketAddress) udp6.getLocalAddress();
    via4 = local4 == null ? null : hostPort(local4);
    via6 = local6 == null ? null : hostPort(local6);
  }

  /**
   * Binds a socket per family on port 0 of the given addresses.
   *
   * @throws IOException when no UDP socket can be bound (IPv6 alone may be missing)
   */
  static UdpSockets open(InetAddress bindV4, InetAddress bindV6) throws IOException {
    Selector selector = Selector.open();
    DatagramChannel udp4 = null;
    DatagramChannel udp6 = null;
    try {
      udp4 = openUdp(selector, StandardProtocolFamily.INET, bindV4);
      udp6 = openUdp(selector, StandardProtocolFamily.INET6, bindV6);
      if (udp4 == null && udp6 == null) {
        throw new IOException("cannot open a UDP socket on " + bindV4 + " or IPv6");
      }
      return new UdpSockets(selector, udp4, udp6);
    } catch (IOException | RuntimeException e) {
      closeQuietly(udp4);
      closeQuietly(udp6);
      selector.close();
      throw e;
    }
  }

  private static DatagramChannel openUdp(Selector selector, ProtocolFamily family, InetAddress bind)
      throws IOException {
    DatagramChannel ch;
    try {
      ch = DatagramChannel.open(family);
    } catch (UnsupportedOperationException | IOException e) {
      return null; // e.g. IPv6 disabled on this host
    }
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      ch.bind(new InetSocketAddress(bind, 0));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      return ch;
    } catch (IOException | RuntimeException e) {
      ch.close();
      if (family == StandardProtocolFamily.INET6) {
        return null;
      }
      throw e;
    }
  }

  /** The socket of a family, or {@code null} when the host has none. */
  DatagramChannel channel(boolean ipv6) {
    return ipv6 ? udp6 : udp4;
  }

  InetSocketAddress local(boolean ipv6) {
    return ipv6 ? local6 : local4;
  }

  /** The Via sent-by of the family's socket when bound to a specific address. */
  String via(boolean ipv6) {
    return ipv6 ? via6 : via4;
  }

  /** Whether the selector and every socket are still open: a closed socket receives nothing. */
  boolean intact() {
    return selector.isOpen() && (udp4 == null || udp4.isOpen()) && (udp6 == null || udp6.isOpen());
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException e) {
      // Nothing is lost by a failed close; said for whoever chases a descriptor leak.
      LOG.debug("closing the OPTIONS selector failed", e);
    }
    closeQuietly(udp4);
    closeQuietly(udp6);
  }

  /** Test seam: closes the sockets, leaving the selector open, as a fault would. */
  void closeSockets() {
    closeQuietly(udp4);
    closeQuietly(udp6);
  }

  private static String hostPort(InetSocketAddress a) {
    return InetAddresses.toUriString(a.getAddress()) + ":" + a.getPort();
  }

  private static void closeQuietly(DatagramChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException e) {
        LOG.debug("closing an OPTIONS socket failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "UDP sockets " + local4 + " " + local6;
  }
}
