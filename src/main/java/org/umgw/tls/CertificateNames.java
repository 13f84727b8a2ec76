package org.umgw.tls;

import static java.util.Objects.requireNonNull;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.umgw.events.Untrusted;

/**
 * The DNS names a TLS peer's certificate identifies it by, and RFC 6125 matching of those names
 * against a gateway's FQDN: the DNS subject alternative names, or, only when the certificate has
 * none, the subject's most specific common name (RFC 6125 6.4.4).
 *
 * <pre>{@code
 * CertificateNames names = CertificateNames.of(chain[0]);
 * boolean isGw1 = names.matches("gw1.example.test");
 * }</pre>
 *
 * @param dnsNames the DNS subject alternative names, as written in the certificate
 * @param commonName the subject's last CN, or null
 */
public record CertificateNames(List<String> dnsNames, String commonName) {
  private static final int DNS_NAME = 2; // GeneralName dNSName (RFC 5280 4.2.1.6)

  public CertificateNames {
    dnsNames = List.copyOf(requireNonNull(dnsNames, "dnsNames == null"));
  }

  /** The names of {@code certificate}; an unreadable SAN extension gives no DNS names. */
  public static CertificateNames of(X509Certificate certificate) {
    requireNonNull(certificate, "certificate == null");
    List<String> dns = new ArrayList<>();
    Collection<List<?>> sans;
    try {
      sans = certificate.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      sans = null; // a certificate we cannot read names nothing: it is refused, not guessed at
    }
    if (sans != null) {
      for (List<?> san : sans) {
        if (san.size() >= 2 && Integer.valueOf(DNS_NAME).equals(san.get(0))) {
          dns.add(String.valueOf(san.get(1)));
        }
      }
    }
    return new CertificateNames(dns, commonName(certificate.getSubjectX500Principal()));
  }

  /** The identifiers that count: the DNS SANs, or the CN when there is no DNS SAN. */
  public List<String> identities() {
    if (!dnsNames.isEmpty() || commonName == null) {
      return dnsNames;
    }
    return List.of(commonName);
  }

  /** One of {@link #identities()} matches {@code fqdn}. */
  public boolean matches(String fqdn) {
    for (String id : identities()) {
      if (matches(id, fqdn)) {
        return true;
      }
    }
    return false;
  }

  /**
   * RFC 6125 6.4.3 matching of one presented identifier against a reference FQDN, ignoring case and
   * a trailing dot. A wildcard is honoured only as the whole left-most label of a name with at
   * least two labels after it ({@code *.example.test}, not {@code *.test}, {@code f*.example.test}
   * or {@code www.*.test}), and stands for exactly one non-empty label.
   */
  public static boolean matches(String presented, String fqdn) {
    if (presented == null || fqdn == null) {
      return false;
    }
    String p = normalize(presented);
    String r = normalize(fqdn);
    if (p.isEmpty() || r.isEmpty()) {
      return false;
    }
    if (!p.contains("*")) {
      return p.equals(r);
    }
    if (!p.startsWith("*.") || p.indexOf('*', 1) >= 0) {
      return false;
    }
    String suffix = p.substring(1); // ".example.test"
    if (suffix.substring(1).indexOf('.') < 0) {
      return false; // "*.test": too broad
    }
    if (!r.endsWith(suffix)) {
      return false;
    }
    String label = r.substring(0, r.length() - suffix.length());
    return !label.isEmpty() && label.indexOf('.') < 0;
  }

  /** "gw1.example.test, *.pool.example.test" (or "CN=name" when the CN counts), for messages. */
  @Override
  public String toString() {
    if (dnsNames.isEmpty()) {
      return commonName == null ? "(no DNS name)" : "CN " + Untrusted.text(commonName);
    }
    return Untrusted.text(String.join(", ", dnsNames), 4 * Untrusted.MAX_LENGTH);
  }

  /**
   * {@link #identities()} made safe for an event: the caller chose them, so each is cut and escaped
   * ({@link Untrusted}), and at most 16 are kept.
   */
  public List<String> safeIdentities() {
    return identities().stream().limit(16).map(Untrusted::text).toList();
  }

  private static String normalize(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private static String commonName(X500Principal subject) {
    try {
      LdapName dn = new LdapName(subject.getName(X500Principal.RFC2253));
      String cn = null;
      // RFC 2253 lists the most specific RDN first; LdapName indexes from the least specific.
      for (Rdn rdn : dn.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = String.valueOf(rdn.getValue());
        }
      }
      return cn;
    } catch (InvalidNameException e) {
      return null; // an unparseable subject has no usable CN
    }
  }
}
