package org.umgw.sip;

/**
 * Why a TLS handshake with a gateway failed, in the terms an administrator acts on. Mutual TLS
 * (SIPSecured and Secured dial plans) fails in either direction: the gateway refuses us, or we
 * refuse its certificate.
 */
public enum TlsFailure {
  /** The gateway requires a client certificate and the prober has none (--tls-client-cert). */
  CLIENT_CERTIFICATE_REQUIRED("the gateway requires a client certificate and none is configured"),
  /** The gateway rejected the prober's client certificate (untrusted by it, expired, ...). */
  CLIENT_CERTIFICATE_REFUSED("the gateway refused our client certificate"),
  /** The gateway's certificate does not name the gateway's FQDN (SAN, or CN without SAN). */
  NAME_MISMATCH("the gateway's certificate does not name the gateway"),
  /** The gateway's certificate does not chain to a CA of the trust store. */
  UNTRUSTED_ISSUER("the gateway's certificate is not issued by a trusted CA"),
  /** The gateway's certificate (or one of its chain) has expired. */
  EXPIRED("the gateway's certificate has expired"),
  /** The gateway's certificate is not valid yet (clock skew or a certificate dated ahead). */
  NOT_YET_VALID("the gateway's certificate is not valid yet"),
  /** Anything else: no common protocol version or cipher, the connection closed mid-handshake. */
  HANDSHAKE("the TLS handshake failed");

  private final String words;

  TlsFailure(String words) {
    this.words = words;
  }

  /** The reason in words, e.g. "the gateway's certificate does not name the gateway". */
  public String words() {
    return words;
  }
}
