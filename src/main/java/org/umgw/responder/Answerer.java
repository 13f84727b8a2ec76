package org.umgw.responder;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.umgw.service.TrustService;
import org.umgw.sip.SipMessage;
import org.umgw.sip.SipTransport;
import org.umgw.tls.CertificateNames;
import org.umgw.trust.Admission;
import org.umgw.trust.Peer;

/**
 * Decides and builds the answers to one request, the way a UM server would treat it, from the
 * {@link TrustService}'s snapshot. Over UDP and TCP the source IP decides; over TLS the peer's
 * certificate does ({@link TrustService#admit(InetAddress, String, X509Certificate[])}): the
 * gateway is the one it names and the source must be one of that gateway's addresses.
 *
 * <ul>
 *   <li>OPTIONS: 200 from a trusted peer; 403 otherwise, raising 1021 (untrusted IP), 1442 (only
 *       Disabled gateways there) or, over TLS, 9501/9502/9503 (the certificate names no gateway,
 *       names one the source is not, or is missing or expired).
 *   <li>INVITE: admission with the Request-URI user as pilot; accepted: 100, then 200 with {@code
 *       X-UMGW-Gateway}, {@code X-UMGW-Hunt-Group} and {@code X-UMGW-Dial-Plan}; refused: 404 when
 *       no hunt group matches the pilot, else 403.
 *   <li>ACK: nothing. BYE, CANCEL: 200 when trusted. Anything else: 405 when trusted. Untrusted:
 *       403.
 * </ul>
 */
final class Answerer {
  private static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS";
  private static final Set<Admission.Reason> IDENTITY_REFUSALS =
      Set.of(
          Admission.Reason.UNTRUSTED_SOURCE,
          Admission.Reason.GATEWAY_NOT_ENABLED,
          Admission.Reason.CERTIFICATE_NAMES_NO_GATEWAY,
          Admission.Reason.CERTIFICATE_NOT_FROM_GATEWAY,
          Admission.Reason.CERTIFICATE_INVALID);

  /** The responses to send, in order, and the line to print. */
  record Reply(List<SipMessage> responses, Handled handled) {}

  private final TrustService trust;
  private final Clock clock;

  Answerer(TrustService trust, Clock clock) {
    this.trust = requireNonNull(trust, "trust == null");
    this.clock = requireNonNull(clock, "clock == null");
  }

  /**
   * @param chain over TLS the peer's verified certificates (leaf first); null otherwise
   */
  Reply answer(
      SipMessage request,
      InetSocketAddress from,
      SipTransport transport,
      X509Certificate[] chain,
      String contact) {
    String method = request.method().orElseThrow();
    String uri = request.requestUri().orElse("");
    InetAddress source = from.getAddress();
    boolean tls = transport == SipTransport.TLS;
    if (method.equals("ACK")) {
      return new Reply(
          List.of(), handled(transport, from, method, uri, 0, "ignored", "ACK gets no response"));
    }
    if (method.equals("INVITE")) {
      return invite(request, from, transport, chain, contact, uri);
    }
    Optional<String> refusal = tls ? refusedTls(source, chain) : refusedPlain(source);
    if (refusal.isPresent()) {
      return new Reply(
          List.of(SipMessage.response(request, 403, "Forbidden")),
          handled(transport, from, method, uri, 403, "refused", refusal.get()));
    }
    String who = tls ? "certificate " + names(chain) + ", " + peerText(source) : peerText(source);
    SipMessage response =
        switch (method) {
          case "OPTIONS" ->
              SipMessage.response(request, 200, "OK")
                  .withHeader("Allow", ALLOW)
                  .withHeader("Accept", "application/sdp")
                  .withHeader("Server", "umgw sip-responder");
          case "BYE", "CANCEL" -> SipMessage.response(request, 200, "OK");
          default ->
              SipMessage.response(request, 405, "Method Not Allowed").withHeader("Allow", ALLOW);
        };
    return new Reply(
        List.of(response),
        handled(transport, from, method, uri, response.statusCode(), "trusted", who));
  }

  private Reply invite(
      SipMessage request,
      InetSocketAddress from,
      SipTransport transport,
      X509Certificate[] chain,
      String contact,
      String uri) {
    String pilot = SipMessage.requestUser(uri);
    // The service delivers a refusal's event to its listeners itself.
    Admission a =
        transport == SipTransport.TLS
            ? trust.admit(from.getAddress(), pilot, chain)
            : trust.admit(from.getAddress(), pilot, false);
    if (a instanceof Admission.Accepted ok) {
      String sdp =
          "v=0\r\no=umgw 1 1 IN IP4 0.0.0.0\r\ns=umgw\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
              + "m=audio 9 RTP/AVP 0\r\na=inactive\r\n";
      List<SipMessage> out = new ArrayList<>();
      out.add(SipMessage.response(request, 100, "Trying"));
      out.add(
          SipMessage.response(request, 200, "OK")
              .withHeader("Contact", "<sip:umgw@" + contact + ">")
              .withHeader("X-UMGW-Gateway", ok.gateway().name())
              .withHeader("X-UMGW-Hunt-Group", ok.huntGroup().name())
              .withHeader("X-UMGW-Dial-Plan", ok.dialPlan().name())
              .withHeader("Content-Type", "application/sdp")
              .withBody(sdp.getBytes(StandardCharsets.US_ASCII)));
      String why =
          "UM IP gateway "
              + ok.gateway().name()
              + ", hunt group "
              + ok.huntGroup().name()
              + ", dial plan "
              + ok.dialPlan().name()
              + " ("
              + ok.dialPlan().voipSecurity()
              + ")"
              + (transport == SipTransport.TLS ? ", certificate " + names(chain) : "");
      return new Reply(out, handled(transport, from, "INVITE", uri, 200, "accepted", why));
    }
    Admission.Refused no = (Admission.Refused) a;
    int code = no.reason() == Admission.Reason.NO_HUNT_GROUP ? 404 : 403;
    return new Reply(
        List.of(SipMessage.response(request, code, code == 404 ? "Not Found" : "Forbidden")),
        handled(transport, from, "INVITE", uri, code, "refused", eventText(no)));
  }

  /** Over UDP/TCP: trusted when the allow-lists admit the IP; else the event (1021 or 1442). */
  private Optional<String> refusedPlain(InetAddress source) {
    if (trust.lookup(source).filter(Peer::allowListed).isPresent()) {
      return Optional.empty();
    }
    Admission a = trust.snapshot().admit(source, "", false, clock);
    if (a instanceof Admission.Refused no) {
      trust.raise(no.event());
      return Optional.of(eventText(no));
    }
    return Optional.empty();
  }

  /**
   * Over TLS: trusted when the certificate names a gateway of the source IP that is Enabled; a
   * missing hunt group does not matter for OPTIONS, which is no call.
   */
  private Optional<String> refusedTls(InetAddress source, X509Certificate[] chain) {
    Admission a = trust.snapshot().admit(source, "", chain, clock);
    if (a instanceof Admission.Refused no && IDENTITY_REFUSALS.contains(no.reason())) {
      trust.raise(no.event());
      return Optional.of(eventText(no));
    }
    return Optional.empty();
  }

  private String peerText(InetAddress source) {
    return trust
        .lookup(source)
        .map(
            p ->
                p.gatewayNames().isEmpty()
                    ? "UM server " + String.join(", ", p.servers())
                    : "UM IP gateway " + String.join(", ", p.gatewayNames()))
        .orElse("trusted peer");
  }

  private static String names(X509Certificate[] chain) {
    return chain == null || chain.length == 0 ? "(none)" : CertificateNames.of(chain[0]).toString();
  }

  private static String eventText(Admission.Refused no) {
    return "event " + no.event().type().id() + ": " + no.event().message();
  }

  private Handled handled(
      SipTransport t,
      InetSocketAddress from,
      String method,
      String uri,
      int code,
      String decision,
      String reason) {
    return new Handled(clock.instant(), t, from, method, uri, code, decision, reason);
  }
}
