package org.umgw.trust;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.tls.CertificateNames;

/**
 * Admission of a call that came over mutual TLS, by certificate identity (SIPSecured and Secured
 * dial plans): a TLS peer is the gateway its certificate names, not whatever gateway owns its IP.
 *
 * <ol>
 *   <li>The leaf certificate must be within its validity at the clock's instant (9503).
 *   <li>The gateway is one whose FQDN a DNS subject alternative name matches (the CN only when the
 *       certificate has no DNS SAN; wildcards per RFC 6125); none: 9501.
 *   <li>The source must be one of that gateway's resolved addresses (the gateway is among the
 *       source's peer); otherwise 9502, naming the certificate's names, the source and whom the
 *       source belongs to.
 *   <li>Then the usual route: an Enabled gateway (1442), a hunt group of a TLS dial plan for the
 *       pilot (9104).
 * </ol>
 *
 * <p>The chain is trusted as the TLS layer verified it (its trust store decides which CAs issue
 * gateway certificates); this class decides which gateway it is.
 */
final class CertificateAdmission {
  private CertificateAdmission() {}

  static Admission admit(
      TrustSnapshot snapshot,
      InetAddress source,
      String pilot,
      X509Certificate[] chain,
      Clock clock) {
    String ip = InetAddresses.toAddrString(source);
    Instant now = clock.instant();
    if (chain == null || chain.length == 0) {
      return refused(
          Admission.Reason.CERTIFICATE_INVALID,
          Event.of(
              EventId.TLS_CERTIFICATE_INVALID,
              now,
              "A TLS call from " + ip + " was refused: the peer presented no certificate",
              "address",
              ip));
    }
    X509Certificate leaf = chain[0];
    CertificateNames names = CertificateNames.of(leaf);
    String invalid = validity(leaf, now);
    if (invalid != null) {
      return refused(
          Admission.Reason.CERTIFICATE_INVALID,
          Event.of(
              EventId.TLS_CERTIFICATE_INVALID,
              now,
              "A TLS call from " + ip + " was refused: its certificate (" + names + ") " + invalid,
              "address",
              ip,
              "names",
              names.safeIdentities(),
              "notAfter",
              leaf.getNotAfter().toInstant().toString()));
    }
    List<Gateway> named = snapshot.gatewaysNamed(names);
    if (named.isEmpty()) {
      return refused(
          Admission.Reason.CERTIFICATE_NAMES_NO_GATEWAY,
          Event.of(
              EventId.TLS_CERTIFICATE_NAMES_NO_GATEWAY,
              now,
              "A TLS call from "
                  + ip
                  + " was refused: its certificate names "
                  + names
                  + ", which is no trusted UM IP gateway's FQDN",
              "address",
              ip,
              "names",
              names.safeIdentities()));
    }
    Optional<Peer> peer = snapshot.lookup(source);
    List<Gateway> here = new ArrayList<>();
    for (Gateway g : named) {
      if (peer.isPresent() && peer.get().gateways().contains(g)) {
        here.add(g);
      }
    }
    if (here.isEmpty()) {
      String owner =
          peer.map(
                  p ->
                      p.gatewayNames().isEmpty()
                          ? "a UM server"
                          : "UM IP gateway " + String.join(", ", p.gatewayNames()))
              .orElse("no trusted peer");
      List<String> gateways = named.stream().map(Gateway::name).toList();
      return refused(
          Admission.Reason.CERTIFICATE_NOT_FROM_GATEWAY,
          Event.of(
              EventId.TLS_CERTIFICATE_NOT_FROM_GATEWAY,
              now,
              "A TLS call from "
                  + ip
                  + " was refused: its certificate names "
                  + names
                  + " (UM IP gateway "
                  + String.join(", ", gateways)
                  + "), but "
                  + ip
                  + " is not an address of "
                  + (gateways.size() == 1 ? "that gateway" : "those gateways")
                  + "; it belongs to "
                  + owner,
              "address",
              ip,
              "names",
              names.safeIdentities(),
              "gateways",
              gateways));
    }
    boolean anyEnabled = false;
    for (Gateway g : here) {
      if (g.status() != GatewayStatus.Enabled) {
        continue;
      }
      anyEnabled = true;
      Admission.Accepted a = snapshot.route(g.name(), pilot, true);
      if (a != null) {
        return a;
      }
    }
    List<String> gateways = here.stream().map(g -> g.name() + " (" + g.status() + ")").toList();
    String key = pilot == null ? "" : pilot;
    if (!anyEnabled) {
      return refused(
          Admission.Reason.GATEWAY_NOT_ENABLED,
          Event.of(
              EventId.GATEWAY_NOT_ENABLED,
              now,
              "A TLS call from "
                  + ip
                  + " was refused: UM IP gateway "
                  + String.join(", ", gateways)
                  + ", named by its certificate, is not Enabled",
              "address",
              ip,
              "gateways",
              here.stream().map(Gateway::name).toList()));
    }
    return refused(
        Admission.Reason.NO_HUNT_GROUP,
        Event.of(
            EventId.NO_HUNT_GROUP,
            now,
            "A call from "
                + ip
                + " to pilot \""
                + key
                + "\" over TLS matched no hunt group of UM IP gateway "
                + String.join(", ", gateways)
                + " (named by its certificate)",
            "address",
            ip,
            "pilot",
            key,
            "tls",
            true));
  }

  private static Admission.Refused refused(Admission.Reason reason, Event event) {
    return new Admission.Refused(reason, event);
  }

  /** Null when valid at {@code now}, else why not in words. */
  private static String validity(X509Certificate c, Instant now) {
    try {
      c.checkValidity(Date.from(now));
      return null;
    } catch (CertificateExpiredException e) {
      return "expired at " + c.getNotAfter().toInstant();
    } catch (CertificateNotYetValidException e) {
      return "is not valid before " + c.getNotBefore().toInstant();
    }
  }
}
