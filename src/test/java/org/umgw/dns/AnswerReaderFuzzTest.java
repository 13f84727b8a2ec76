package org.umgw.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.umgw.model.GatewayAddress;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fuzz target for the DNS answer reader: a wire-format response (as any server on the path, or a
 * spoofer winning the race, can send) parsed by dnsjava as its {@code SimpleResolver} does, read by
 * {@link AnswerReader}, and put through the peer check {@code TrustedPeers} applies before an
 * answer reaches a trust list.
 *
 * <p>Properties: dnsjava refuses bad wire data with an {@link IOException} only; the reader never
 * throws; a found address is one of the answer's records of the asked type and class at the end of
 * the CNAME chain, of that type's family; TTLs are never negative nor above a record used; and an
 * address the peer check admits parses as a gateway address of the same family, so DNS can never
 * put into a trust list what an administrator could not type.
 */
class AnswerReaderFuzzTest {
  private static final long NEGATIVE_DEFAULT = 60;
  private static final Name FALLBACK = Name.fromConstantString("gw.example.test.");

  @FuzzTest(maxDuration = "30s")
  void read(byte[] data) {
    Message response;
    try {
      response = new Message(data);
    } catch (IOException e) {
      return; // WireParseException: the transport reports a malformed answer
    }
    Record question = response.getQuestion();
    Name qname = question != null ? question.getName() : FALLBACK;
    int type = question != null && question.getType() == Type.AAAA ? Type.AAAA : Type.A;
    AnswerReader.Chain chain = new AnswerReader.Chain(qname);

    AnswerReader.Step step = AnswerReader.read(response, qname, type, chain, NEGATIVE_DEFAULT);
    assertNotNull(step);

    List<Record> answer = response.getSection(Section.ANSWER);
    if (step instanceof AnswerReader.Found f) {
      assertFalse(f.addresses().isEmpty());
      assertTrue(f.ttl() >= 0 && f.ttl() <= chain.ttl(), "ttl " + f.ttl());
      for (InetAddress ip : f.addresses()) {
        assertEquals(type == Type.A, ip instanceof Inet4Address, "family of " + ip);
        assertEquals(type == Type.AAAA, ip instanceof Inet6Address, "family of " + ip);
        assertTrue(
            answer.stream()
                .anyMatch(
                    r ->
                        r.getType() == type
                            && r.getDClass() == DClass.IN
                            && r.getTTL() >= f.ttl()
                            && AnswerReader.toAddress(r).equals(ip)),
            ip + " is not a record of the answer");
      }
      admitted(f.addresses(), type);
    } else if (step instanceof AnswerReader.Negative n) {
      assertTrue(n.ttl() >= 0 && n.ttl() <= Math.max(NEGATIVE_DEFAULT, 0xffffffffL), "" + n);
      assertTrue(n.ttl() <= chain.ttl(), n + " outlives a CNAME on the way");
    } else if (step instanceof AnswerReader.Chase c) {
      assertNotEquals(qname, c.target(), "a chase goes somewhere else");
    } else if (step instanceof AnswerReader.Failed f) {
      assertNotNull(f.reason());
      assertTrue(f.reason().length() <= 300, "reason of " + f.reason().length() + " chars");
    }
  }

  /**
   * What {@code DnsResolver} and {@code TrustedPeers} make of found addresses: sorted without
   * duplicates, then only those the peer check admits; each of these must be what an administrator
   * could have typed, of the asked family.
   */
  private static void admitted(List<InetAddress> found, int type) {
    TreeSet<InetAddress> sorted = new TreeSet<>(DnsResolver.BYTE_ORDER);
    sorted.addAll(found);
    List<InetAddress> kept = new ArrayList<>();
    for (InetAddress ip : sorted) {
      try {
        kept.add(GatewayAddress.checkPeerAddress(ip));
      } catch (IllegalArgumentException e) {
        assertNotNull(e.getMessage());
      }
    }
    for (InetAddress ip : kept) {
      GatewayAddress typed = GatewayAddress.parse(InetAddresses.toAddrString(ip));
      assertEquals(
          type == Type.A ? GatewayAddress.Kind.IPV4 : GatewayAddress.Kind.IPV6, typed.kind());
      assertEquals(ip, typed.ip().orElseThrow());
    }
  }
}
