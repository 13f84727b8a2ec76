package org.umgw.dns;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * A scripted DNS server on 127.0.0.1 (UDP only) for the failures a real server will not produce on
 * demand: SERVFAIL, one query type answered and the other dropped, stray answers with a wrong ID.
 * The script maps each query to the datagrams to send back (none: drop it).
 */
final class FakeDnsServer implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final Function<Message, List<byte[]>> script;
  private final Set<Integer> sourcePorts = ConcurrentHashMap.newKeySet();
  private final List<Message> queries = new CopyOnWriteArrayList<>();

  FakeDnsServer(Function<Message, List<byte[]>> script) throws SocketException {
    this.script = script;
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = new Thread(this::serve, "fake-dns-" + socket.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  /** An answer to {@code query} with this rcode and these answer records. */
  static byte[] answer(Message query, int rcode, Record... answers) {
    Message m = new Message(query.getHeader().getID());
    m.getHeader().setFlag(Flags.QR);
    m.getHeader().setFlag(Flags.AA);
    m.getHeader().setRcode(rcode);
    m.addRecord(query.getQuestion(), Section.QUESTION);
    for (Record r : answers) {
      m.addRecord(r, Section.ANSWER);
    }
    return m.toWire();
  }

  static byte[] rcode(Message query, int rcode) {
    return answer(query, rcode);
  }

  static byte[] withId(byte[] wire, int id) {
    byte[] copy = wire.clone();
    copy[0] = (byte) (id >> 8);
    copy[1] = (byte) id;
    return copy;
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  /** Distinct source ports queries came from. */
  Set<Integer> sourcePorts() {
    return sourcePorts;
  }

  List<Message> queries() {
    return queries;
  }

  private void serve() {
    byte[] buf = new byte[65535];
    while (!socket.isClosed()) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.receive(p);
        sourcePorts.add(p.getPort());
        Message query = new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        queries.add(query);
        for (byte[] out : script.apply(query)) {
          socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
        }
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  @Override
  public void close() {
    socket.close();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static int rcodeOf(byte[] wire) {
    return wire[3] & 0xF;
  }

  static final int SERVFAIL = Rcode.SERVFAIL;
}
