package org.umgw.responder;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.sip.SipMessage;
import org.umgw.sip.SipParseException;
import org.umgw.sip.SipTransport;

/** Answers SIP over UDP on one socket, one thread; responses go back to the datagram's source. */
final class UdpListener implements SipResponder.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(UdpListener.class);
  private static final int RECEIVE_BUFFER = 65_536;

  private final DatagramChannel channel;
  private final SipResponder.Handler handler;
  private final Thread thread;
  private final InetSocketAddress local;

  UdpListener(Listen listen, SipResponder.Handler handler) {
    this.handler = handler;
    try {
      channel =
          DatagramChannel.open(
              listen.address().getAddress() instanceof Inet6Address
                  ? StandardProtocolFamily.INET6
                  : StandardProtocolFamily.INET);
      channel.bind(listen.address());
      local = (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen for SIP on " + listen + ": " + e, e);
    }
    thread = new Thread(this::serve, "umgw-responder-udp-" + local.getPort());
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public Listen listen() {
    return new Listen(SipTransport.UDP, local);
  }

  @Override
  public void close() {
    try {
      channel.close();
      thread.join(5_000);
    } catch (IOException e) {
      LOG.debug("closing the UDP socket {}: {}", local, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve() {
    ByteBuffer buf = ByteBuffer.allocate(RECEIVE_BUFFER);
    String contact =
        HostAndPort.fromParts(InetAddresses.toAddrString(local.getAddress()), local.getPort())
            .toString();
    while (channel.isOpen()) {
      InetSocketAddress from;
      try {
        buf.clear();
        from = (InetSocketAddress) channel.receive(buf);
      } catch (ClosedChannelException closed) {
        return;
      } catch (IOException e) {
        LOG.warn("SIP receive on udp {} failed: {}", local, e.toString());
        continue;
      }
      buf.flip();
      try {
        SipMessage request =
            SipMessage.parse(buf.array(), 0, buf.limit(), SipMessage.DEFAULT_MAX_SIZE);
        if (!request.isRequest()) {
          LOG.debug("dropped a response from {}", from);
          continue;
        }
        for (SipMessage response : handler.answer(request, from, SipTransport.UDP, null, contact)) {
          channel.send(ByteBuffer.wrap(response.toBytes()), from);
        }
      } catch (SipParseException e) {
        LOG.debug("dropped a datagram from {}: {}", from, e.getMessage());
      } catch (IOException e) {
        LOG.warn("cannot answer {}: {}", from, e.toString());
      } catch (RuntimeException e) {
        LOG.warn("request from {} failed", from, e);
      }
    }
  }
}
