package org.umgw.dns;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * Signs a small test zone with dnsjava (ECDSA P-256, one key with the SEP flag, NSEC chain), so
 * DNSSEC tests need no signing tool installed. Test-only: one key, no key rollover, no NSEC3.
 *
 * <p>It can also leave some owner names unsigned and alter records after signing, to make the bogus
 * answers a validator must refuse.
 */
final class ZoneSigner {
  /** Zone text for nsd and the trust anchor (the DNSKEY in zone-file form) that validates it. */
  record Signed(String zoneText, String trustAnchor) {}

  private final Name zone;
  private final KeyPair key;
  private final DNSKEYRecord dnskey;

  ZoneSigner(Name zone) throws GeneralSecurityException, DNSSEC.DNSSECException {
    this.zone = zone;
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    this.key = g.generateKeyPair();
    this.dnskey =
        new DNSKEYRecord(
            zone,
            DClass.IN,
            3600,
            DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
            DNSKEYRecord.Protocol.DNSSEC,
            DNSSEC.Algorithm.ECDSAP256SHA256,
            key.getPublic());
  }

  DNSKEYRecord dnskey() {
    return dnskey;
  }

  /**
   * Signs {@code records} (absolute names, one SOA at the apex) plus the DNSKEY and an NSEC chain.
   *
   * @param unsigned owner names whose RRsets get no RRSIG (their NSEC is still signed)
   * @param afterSigning replaces records once signed (same RRSIG, other data: a forged answer)
   */
  Signed sign(List<Record> records, Set<Name> unsigned, UnaryOperator<Record> afterSigning)
      throws Exception {
    List<Record> all = new ArrayList<>(records);
    all.add(dnskey);
    long minimum =
        all.stream()
            .filter(r -> r instanceof SOARecord)
            .map(r -> ((SOARecord) r).getMinimum())
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no SOA"));

    // Owner names in canonical DNSSEC order, with their types.
    TreeMap<Name, TreeSet<Integer>> owners = new TreeMap<>();
    for (Record r : all) {
      owners.computeIfAbsent(r.getName(), n -> new TreeSet<>()).add(r.getType());
    }
    List<Name> names = new ArrayList<>(owners.keySet());
    for (int i = 0; i < names.size(); i++) {
      Name owner = names.get(i);
      Name next = names.get((i + 1) % names.size());
      TreeSet<Integer> types = new TreeSet<>(owners.get(owner));
      types.add(Type.NSEC);
      types.add(Type.RRSIG);
      all.add(
          new NSECRecord(
              owner,
              DClass.IN,
              minimum,
              next,
              types.stream().mapToInt(Integer::intValue).toArray()));
    }

    // RRsets by (owner, type).
    Map<String, RRset> rrsets = new TreeMap<>();
    for (Record r : all) {
      rrsets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new RRset()).addRR(r);
    }
    Instant inception = Instant.now().minus(Duration.ofHours(1));
    Instant expiration = Instant.now().plus(Duration.ofDays(30));
    StringBuilder text = new StringBuilder();
    for (RRset set : rrsets.values()) {
      boolean sign = set.getType() == Type.NSEC || !unsigned.contains(set.getName());
      RRSIGRecord sig =
          sign ? DNSSEC.sign(set, dnskey, key.getPrivate(), inception, expiration) : null;
      for (Record r : set.rrs(false)) {
        text.append(afterSigning.apply(r)).append('\n');
      }
      if (sig != null) {
        text.append(sig).append('\n');
      }
    }
    return new Signed(text.toString(), dnskey + "\n");
  }

  Name zone() {
    return zone;
  }
}
