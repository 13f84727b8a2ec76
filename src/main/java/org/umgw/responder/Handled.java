package org.umgw.responder;

import com.google.common.net.HostAndPort;
import com.google.common.net.InetAddresses;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Locale;
import org.umgw.sip.SipTransport;

/**
 * What the responder did with one request (or one refused TLS handshake): the line it prints.
 *
 * @param method the request's method, or {@code TLS} for a handshake that failed
 * @param code the final response sent, or 0 when none (ACK, failed handshake)
 * @param decision {@code trusted}, {@code accepted}, {@code refused} or {@code ignored}
 * @param reason why, in words (the event's text for a refusal)
 */
public record Handled(
    Instant time,
    SipTransport transport,
    InetSocketAddress source,
    String method,
    String uri,
    int code,
    String decision,
    String reason) {

  /** {@code 2026-12-05T06:30:01Z tls 127.0.0.1:45678 OPTIONS sip:um@host -> 200 trusted: ...}. */
  @Override
  public String toString() {
    return time
        + " "
        + transport.name().toLowerCase(Locale.ROOT)
        + " "
        + HostAndPort.fromParts(InetAddresses.toAddrString(source.getAddress()), source.getPort())
        + " "
        + method
        + (uri == null || uri.isEmpty() ? "" : " " + uri)
        + " -> "
        + (code == 0 ? "-" : Integer.toString(code))
        + " "
        + decision
        + ": "
        + reason;
  }
}
