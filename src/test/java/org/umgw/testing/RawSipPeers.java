package org.umgw.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.umgw.sip.SipMessage;
import org.umgw.sip.SipParseException;

/**
 * Scripted SIP peers for what sipp cannot do: answer from the wrong port, with a wrong branch, with
 * provisional responses only, or over TLS (Debian's sipp is built without OpenSSL). They parse
 * requests and build responses with umgw's own {@link SipMessage}, like issue 8's endpoint.
 */
public final class RawSipPeers {
  private RawSipPeers() {}

  /**
   * One datagram to send back to the request's source: its bytes and whether from the side port.
   */
  public record Reply(byte[] bytes, boolean fromOtherPort) {
    public static Reply of(SipMessage m) {
      return new Reply(m.toBytes(), false);
    }

    public static Reply fromOtherPort(SipMessage m) {
      return new Reply(m.toBytes(), true);
    }
  }

  /**
   * A UDP peer on {@code ip}: every request is recorded and answered by {@code script} (the list of
   * datagrams to send back, possibly empty).
   */
  public static final class Udp implements AutoCloseable {
    private final DatagramSocket socket;
    private final DatagramSocket other;
    private final List<SipMessage> received = new CopyOnWriteArrayList<>();
    private final Thread thread;

    public Udp(String ip, Function<SipMessage, List<Reply>> script) throws IOException {
      InetAddress local = InetAddress.getByName(ip); // a literal: no lookup
      socket = new DatagramSocket(new InetSocketAddress(local, 0));
      other = new DatagramSocket(new InetSocketAddress(local, 0));
      thread =
          new Thread(
              () -> {
                byte[] buf = new byte[65_536];
                while (!socket.isClosed()) {
                  DatagramPacket p = new DatagramPacket(buf, buf.length);
                  try {
                    socket.receive(p);
                    SipMessage m =
                        SipMessage.parse(
                            p.getData(), 0, p.getLength(), SipMessage.DEFAULT_MAX_SIZE);
                    received.add(m);
                    for (Reply r : script.apply(m)) {
                      DatagramPacket out =
                          new DatagramPacket(r.bytes(), r.bytes().length, p.getSocketAddress());
                      (r.fromOtherPort() ? other : socket).send(out);
                    }
                  } catch (SocketException e) {
                    return; // closed
                  } catch (IOException | SipParseException e) {
                    // a test peer ignores what it cannot read
                  }
                }
              },
              "raw-sip-udp");
      thread.setDaemon(true);
      thread.start();
    }

    public InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Every request received so far, retransmissions included. */
    public List<SipMessage> received() {
      return List.copyOf(received);
    }

    @Override
    public void close() throws InterruptedException {
      socket.close();
      other.close();
      thread.join(2000);
    }
  }

  /**
   * A TLS SIP peer on 127.0.0.1 with the certificate of {@code cert}; it answers every OPTIONS with
   * {@code code} on the same connection.
   */
  public static final class Tls implements AutoCloseable {
    private final SSLServerSocket server;
    private final Thread thread;
    private final AtomicInteger answered = new AtomicInteger();

    public Tls(TestCertificate cert, int code, String reason) throws Exception {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(cert.keyStore())) {
        ks.load(in, cert.pin());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, cert.pin());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      server =
          (SSLServerSocket)
              ctx.getServerSocketFactory()
                  .createServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
      thread =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try (Socket s = server.accept()) {
                    s.setSoTimeout(5000);
                    serve(s, code, reason);
                  } catch (IOException e) {
                    // a failed handshake or a closed server: next connection
                  }
                }
              },
              "raw-sip-tls");
      thread.setDaemon(true);
      thread.start();
    }

    private void serve(Socket s, int code, String reason) throws IOException {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] buf = new byte[SipMessage.DEFAULT_MAX_SIZE + 1];
      int have = 0;
      while (true) {
        int n = in.read(buf, have, buf.length - have);
        if (n < 0) {
          return;
        }
        have += n;
        try {
          int len = SipMessage.frameLength(buf, 0, have, SipMessage.DEFAULT_MAX_SIZE);
          if (len < 0) {
            continue;
          }
          SipMessage req = SipMessage.parse(buf, 0, len, SipMessage.DEFAULT_MAX_SIZE);
          answered.incrementAndGet(); // before the write: the prober may read the count at once
          out.write(SipMessage.response(req, code, reason).toBytes());
          out.flush();
          return;
        } catch (SipParseException e) {
          throw new UncheckedIOException(new IOException(e));
        }
      }
    }

    public InetSocketAddress address() {
      return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public int answered() {
      return answered.get();
    }

    @Override
    public void close() throws Exception {
      server.close();
      thread.join(2000);
    }
  }
}
