package org.umgw.examples;

import static java.util.Objects.requireNonNull;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.dns.DnsResolver;
import org.umgw.service.TrustService;
import org.umgw.sip.SipMessage;
import org.umgw.sip.SipParseException;
import org.umgw.trust.Admission;
import org.umgw.trust.Peer;

/**
 * A minimal SIP endpoint over UDP built on {@link TrustService}: it answers OPTIONS and INVITE from
 * trusted peers and refuses everyone else with 403, raising event 1021 ("No valid UM IP gateway was
 * found with address X"), as Exchange's UM service did.
 *
 * <pre>{@code
 * try (TrustService trust = TrustService.builder()...build().start();
 *     DemoSipEndpoint sip = DemoSipEndpoint.start(trust, new InetSocketAddress("0.0.0.0", 5060))) {
 *   Thread.currentThread().join();
 * }
 * }</pre>
 *
 * <p>What it answers, per request (the source is the datagram's source address):
 *
 * <ul>
 *   <li>OPTIONS: 200 with Allow/Accept from a trusted peer that the allow-lists admit ({@link
 *       Peer#allowListed()}); 403 + 1021 from anyone else, 403 + 1442 from an IP whose only peers
 *       are Disabled gateways.
 *   <li>INVITE: {@link TrustService#admit} with the Request-URI user as the pilot. Accepted: 100
 *       Trying, then 200 with a hold SDP and {@code X-UMGW-Gateway}, {@code X-UMGW-Hunt-Group},
 *       {@code X-UMGW-Dial-Plan} headers naming where the call was routed. Refused: 403 for an
 *       untrusted source (1021) or a gateway that is not Enabled (1442); 404 when no hunt group of
 *       the gateway matches the pilot (9104). The refusal's event goes to the service's listeners.
 *   <li>ACK: nothing. BYE, CANCEL: 200 from a trusted peer, else 403. Anything else: 405 from a
 *       trusted peer, else 403.
 * </ul>
 *
 * <p>A datagram that does not parse (or is a response, or exceeds 8 KiB) is dropped and counted.
 * One thread receives and answers; admission reads the service's snapshot and never blocks.
 */
public final class DemoSipEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DemoSipEndpoint.class);
  private static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS";
  private static final int RECEIVE_BUFFER = 65_536;

  private final TrustService trust;
  private final DatagramChannel channel;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong answered = new AtomicLong();

  private DemoSipEndpoint(TrustService trust, DatagramChannel channel) {
    this.trust = trust;
    this.channel = channel;
    this.thread = new Thread(this::serve, "umgw-demo-sip");
    thread.setDaemon(true);
  }

  /**
   * Binds {@code listen} (UDP) and starts answering.
   *
   * @throws UncheckedIOException naming the address when it cannot be bound
   */
  public static DemoSipEndpoint start(TrustService trust, InetSocketAddress listen) {
    requireNonNull(trust, "trust == null");
    requireNonNull(listen, "listen == null");
    try {
      DatagramChannel ch =
          DatagramChannel.open(
              listen.getAddress() instanceof java.net.Inet6Address
                  ? StandardProtocolFamily.INET6
                  : StandardProtocolFamily.INET);
      ch.bind(listen);
      DemoSipEndpoint e = new DemoSipEndpoint(trust, ch);
      e.thread.start();
      return e;
    } catch (IOException ex) {
      throw new UncheckedIOException("cannot listen for SIP on " + listen + ": " + ex, ex);
    }
  }

  /** The bound address (the port is the real one when 0 was asked). */
  public InetSocketAddress address() {
    try {
      return (InetSocketAddress) channel.getLocalAddress();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Requests answered so far. */
  public long answered() {
    return answered.get();
  }

  /** Datagrams dropped as malformed, oversized or not requests. */
  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    try {
      channel.close();
      thread.join(5_000);
    } catch (IOException e) {
      LOG.debug("closing the SIP socket: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve() {
    ByteBuffer buf = ByteBuffer.allocate(RECEIVE_BUFFER);
    while (channel.isOpen()) {
      SocketAddress from;
      try {
        buf.clear();
        from = channel.receive(buf);
      } catch (ClosedChannelException closed) {
        return;
      } catch (IOException e) {
        LOG.warn("SIP receive failed: {}", e.toString());
        continue;
      }
      buf.flip();
      try {
        SipMessage request =
            SipMessage.parse(buf.array(), 0, buf.limit(), SipMessage.DEFAULT_MAX_SIZE);
        if (!request.isRequest()) {
          dropped.incrementAndGet();
          continue;
        }
        for (SipMessage response : answer(request, ((InetSocketAddress) from).getAddress())) {
          channel.send(ByteBuffer.wrap(response.toBytes()), from);
        }
        answered.incrementAndGet();
      } catch (SipParseException e) {
        dropped.incrementAndGet();
        LOG.debug("dropped a datagram from {}: {}", from, e.getMessage());
      } catch (IOException e) {
        LOG.warn("cannot answer {}: {}", from, e.toString());
      } catch (RuntimeException e) {
        dropped.incrementAndGet();
        LOG.warn("request from {} failed: {}", from, e.toString());
      }
    }
  }

  /** The responses to one request, in order; empty for ACK. */
  List<SipMessage> answer(SipMessage request, InetAddress source) {
    String method = request.method().orElseThrow();
    if (method.equals("ACK")) {
      return List.of();
    }
    if (!method.equals("INVITE")) {
      // As the allow-lists: an IP whose only peers are Disabled gateways is refused (1442).
      if (trust.lookup(source).filter(Peer::allowListed).isEmpty()) {
        return List.of(refuse(request, source));
      }
      return List.of(
          switch (method) {
            case "OPTIONS" ->
                SipMessage.response(request, 200, "OK")
                    .withHeader("Allow", ALLOW)
                    .withHeader("Accept", "application/sdp")
                    .withHeader("Server", "umgw-demo");
            case "BYE", "CANCEL" -> SipMessage.response(request, 200, "OK");
            default ->
                SipMessage.response(request, 405, "Method Not Allowed").withHeader("Allow", ALLOW);
          });
    }
    Admission a =
        trust.admit(source, SipMessage.requestUser(request.requestUri().orElse("")), false);
    if (a instanceof Admission.Accepted ok) {
      String sdp =
          "v=0\r\no=umgw 1 1 IN IP4 0.0.0.0\r\ns=umgw\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
              + "m=audio 9 RTP/AVP 0\r\na=inactive\r\n";
      List<SipMessage> out = new ArrayList<>();
      out.add(SipMessage.response(request, 100, "Trying"));
      out.add(
          SipMessage.response(request, 200, "OK")
              .withHeader("Contact", "<sip:umgw@" + hostOf(address()) + ">")
              .withHeader("X-UMGW-Gateway", ok.gateway().name())
              .withHeader("X-UMGW-Hunt-Group", ok.huntGroup().name())
              .withHeader("X-UMGW-Dial-Plan", ok.dialPlan().name())
              .withHeader("Content-Type", "application/sdp")
              .withBody(sdp.getBytes(StandardCharsets.US_ASCII)));
      return out;
    }
    // Refused: admit() has already logged the event and told the listeners.
    Admission.Refused no = (Admission.Refused) a;
    return List.of(
        no.reason() == Admission.Reason.NO_HUNT_GROUP
            ? SipMessage.response(request, 404, "Not Found")
            : SipMessage.response(request, 403, "Forbidden"));
  }

  /** 403 and event 1021 (or 1442), exactly as an INVITE from the same source would get. */
  private SipMessage refuse(SipMessage request, InetAddress source) {
    trust.admit(source, "", false); // raises the refusal's event (logged, listeners told)
    return SipMessage.response(request, 403, "Forbidden");
  }

  private static String hostOf(InetSocketAddress a) {
    return HostAndPort.fromParts(InetAddresses.toAddrString(a.getAddress()), a.getPort())
        .toString();
  }

  /**
   * Runs the endpoint against a directory: {@code DemoSipEndpoint --ldap-url URL[,URL] [--base-dn
   * DN] [--listen HOST:PORT] [--dns-server HOST:PORT] [--hosts-file FILE]}.
   */
  public static void main(String[] args) throws Exception {
    String urls = null;
    String baseDn = org.umgw.directory.DirectoryLayout.DEFAULT_BASE;
    String listen = "127.0.0.1:5060";
    List<InetSocketAddress> dns = new ArrayList<>();
    List<Path> hosts = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String v = i + 1 < args.length ? args[i + 1] : null;
      switch (args[i]) {
        case "--ldap-url" -> urls = v;
        case "--base-dn" -> baseDn = v;
        case "--listen" -> listen = v;
        case "--dns-server" -> dns.add(DnsResolver.parseServer(v));
        case "--hosts-file" -> hosts.add(Path.of(v));
        default -> {
          System.err.println("unknown argument: " + args[i]);
          System.exit(2);
        }
      }
      i++;
    }
    if (urls == null) {
      System.err.println(
          "usage: DemoSipEndpoint --ldap-url URL[,URL] [--base-dn DN] [--listen HOST:PORT]"
              + " [--dns-server HOST:PORT] [--hosts-file FILE]");
      System.exit(2);
    }
    HostAndPort hp = HostAndPort.fromString(listen).withDefaultPort(5060);
    DnsResolver.Builder resolver = DnsResolver.builder();
    if (!dns.isEmpty()) {
      resolver.servers(dns);
    }
    if (!hosts.isEmpty()) {
      resolver.hostsFiles(hosts);
    }
    try (DnsResolver r = resolver.build();
        TrustService trust =
            TrustService.builder()
                .directory(DirectoryConfig.builder(urls).build())
                .baseDn(baseDn)
                .resolver(r)
                .build()
                .start();
        DemoSipEndpoint sip =
            start(
                trust,
                new InetSocketAddress(InetAddresses.forString(hp.getHost()), hp.getPort()))) {
      System.err.println("answering SIP on udp " + sip.address());
      Thread.currentThread().join();
    }
  }
}
