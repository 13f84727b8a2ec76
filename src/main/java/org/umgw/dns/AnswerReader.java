package org.umgw.dns;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.umgw.model.UmgwException;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * Reads one DNS response for an A or AAAA question: the address records at the end of the CNAME
 * chain that starts at the question name, with the smallest TTL of every record used; or the
 * negative answer with its RFC 2308 TTL; or the chain's last target when the answer stops at a
 * CNAME whose target the server did not include (out of its zone), to be asked for next.
 */
final class AnswerReader {
  /** CNAMEs followed for one name, over all its queries (glibc follows about as many). */
  static final int MAX_CNAMES = 8;

  /** Validator reasons quote whole RRsets with signatures; a Failure reason stays readable. */
  static final int MAX_REASON = 200;

  private AnswerReader() {}

  /** What one response says. */
  sealed interface Step {}

  /** Addresses found; ttl covers them and every CNAME on the way. */
  record Found(List<InetAddress> addresses, long ttl) implements Step {}

  /** NXDOMAIN or NODATA; ttl is the negative TTL, capped by the CNAMEs on the way. */
  record Negative(Resolution.NoAddress.Kind kind, long ttl) implements Step {}

  /** The answer ended at a CNAME target it had no data for: query the target next. */
  record Chase(Name target) implements Step {}

  /** No usable answer. */
  record Failed(String reason, boolean bogus) implements Step {}

  /** Where the lookup of one name stands across its queries (CNAMEs followed, smallest TTL). */
  static final class Chain {
    private final Set<Name> seen = new HashSet<>();
    private int cnames;
    private long ttl = Long.MAX_VALUE;

    Chain(Name start) {
      seen.add(start);
    }

    long ttl() {
      return ttl;
    }

    void cap(long recordTtl) {
      ttl = Math.min(ttl, recordTtl);
    }
  }

  /**
   * Reads {@code response} to a question for {@code qname}/{@code type}, updating {@code chain}.
   *
   * @param negativeDefault negative TTL in seconds when the authority section has no SOA
   */
  static Step read(Message response, Name qname, int type, Chain chain, long negativeDefault) {
    int opcode = response.getHeader().getOpcode();
    if (opcode != Opcode.QUERY) {
      // dnsjava reads an UPDATE's sections with their own rules (empty RDATA allowed).
      return new Failed("malformed answer (opcode " + Opcode.string(opcode) + ")", false);
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.SERVFAIL) {
      // Upstream SERVFAIL never gets here (RetryingResolver turns it into an exception), so
      // this is the DNSSEC validator's verdict.
      return new Failed(bogusReason(response), true);
    }
    if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
      return new Failed(Rcode.string(rcode), false);
    }
    List<Record> answer = response.getSection(Section.ANSWER);
    Name current = qname;
    while (true) {
      CNAMERecord cname = findCname(answer, current);
      if (cname == null) {
        break;
      }
      Name target = cname.getTarget();
      chain.cap(cname.getTTL());
      if (++chain.cnames > MAX_CNAMES) {
        return new Failed("CNAME chain longer than " + MAX_CNAMES + " at " + current, false);
      }
      if (!chain.seen.add(target)) {
        return new Failed("CNAME loop at " + target, false);
      }
      current = target;
    }

    List<InetAddress> addresses = new ArrayList<>();
    int length = type == Type.AAAA ? 16 : 4;
    for (Record r : answer) {
      if (r.getType() == type && r.getDClass() == DClass.IN && r.getName().equals(current)) {
        int got = r.rdataToWireCanonical().length;
        if (got != length) {
          // Never from the wire in a QUERY response; kept for answers built in memory.
          return new Failed(
              "malformed answer (" + Type.string(type) + " record of " + got + " bytes)", false);
        }
        addresses.add(toAddress(r));
        chain.cap(r.getTTL());
      }
    }
    if (!addresses.isEmpty()) {
      return new Found(addresses, chain.ttl);
    }

    SOARecord soa = findSoa(response);
    if (rcode == Rcode.NXDOMAIN) {
      return new Negative(
          Resolution.NoAddress.Kind.NXDOMAIN, negativeTtl(soa, chain, negativeDefault));
    }
    if (soa != null) {
      return new Negative(
          Resolution.NoAddress.Kind.NODATA, negativeTtl(soa, chain, negativeDefault));
    }
    if (!current.equals(qname)) {
      // E.g. an authoritative server whose CNAME points into another zone.
      return new Chase(current);
    }
    if (!response.getHeader().getFlag(Flags.AA)
        && !response.getSectionRRsets(Section.AUTHORITY).isEmpty()
        && response.getSection(Section.AUTHORITY).stream().anyMatch(r -> r.getType() == Type.NS)) {
      return new Failed("referral without an answer (the server does not recurse)", false);
    }
    // NOERROR, nothing for the name and no SOA: some forwarders answer NODATA like this.
    return new Negative(Resolution.NoAddress.Kind.NODATA, Math.min(negativeDefault, chain.ttl));
  }

  private static CNAMERecord findCname(List<Record> answer, Name owner) {
    for (Record r : answer) {
      if (r instanceof CNAMERecord c && r.getName().equals(owner)) {
        return c;
      }
    }
    return null;
  }

  private static SOARecord findSoa(Message response) {
    for (Record r : response.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        return soa;
      }
    }
    return null;
  }

  /** RFC 2308 section 5: the smaller of the SOA record's TTL and its MINIMUM field. */
  private static long negativeTtl(SOARecord soa, Chain chain, long negativeDefault) {
    long ttl = soa == null ? negativeDefault : Math.min(soa.getTTL(), soa.getMinimum());
    return Math.min(ttl, chain.ttl);
  }

  /**
   * The address of an A or AAAA record, without the owner name dnsjava would attach, and always an
   * {@link Inet6Address} for AAAA (even an IPv4-mapped one), so families never mix.
   */
  static InetAddress toAddress(Record r) {
    byte[] bytes = r.rdataToWireCanonical();
    try {
      return bytes.length == 16
          ? Inet6Address.getByAddress(null, bytes, -1)
          : InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new UmgwException("bad address in " + r, e);
    }
  }

  /**
   * The reason dnsjava's {@link ValidatingResolver} gives for a bogus answer: a TXT record of class
   * {@link ValidatingResolver#VALIDATION_REASON_QCLASS} in the additional section, else the text of
   * an extended DNS error (RFC 8914).
   */
  static String bogusReason(Message response) {
    for (Record r : response.getSection(Section.ADDITIONAL)) {
      if (r instanceof TXTRecord txt
          && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
        return "DNSSEC validation failed: " + shorten(String.join("", txt.getStrings()));
      }
    }
    OPTRecord opt = response.getOPT();
    if (opt != null) {
      String ede =
          opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR).stream()
              .map(o -> (ExtendedErrorCodeOption) o)
              .map(o -> o.getText() != null ? o.getText() : "extended error " + o.getErrorCode())
              .collect(Collectors.joining("; "));
      if (!ede.isEmpty()) {
        return "DNSSEC validation failed: " + shorten(ede);
      }
    }
    return "DNSSEC validation failed";
  }

  private static String shorten(String reason) {
    return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON - 3) + "...";
  }
}
