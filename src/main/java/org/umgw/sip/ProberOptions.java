package org.umgw.sip;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.time.Duration;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * Settings of an {@link OptionsProber}.
 *
 * <pre>{@code
 * ProberOptions o = ProberOptions.defaults().withTlsTrust(DirectoryConnector.trustManager(pem, null));
 * }</pre>
 *
 * @param maxMessageSize larger responses are dropped (UDP) or end the probe (TCP/TLS)
 * @param maxConcurrent probes in flight at once; further probes wait in a queue and their deadline
 *     starts when they leave it
 * @param streamThreads the most threads that run TCP and TLS probes at once (blocking sockets,
 *     started as probes arrive and ended after 30 s idle): the bound on concurrent stream probes
 * @param t1 RFC 3261 T1, the first UDP retransmission interval (500 ms)
 * @param t2 RFC 3261 T2, the cap of the doubling interval and the interval after a 1xx (4 s)
 * @param tlsTrust the certificates TLS peers are checked against
 * @param bindV4 local address of the shared IPv4 socket (the wildcard by default)
 * @param bindV6 local address of the shared IPv6 socket (the wildcard by default)
 * @param tlsClientKey the certificate and key presented to TLS gateways that ask for one (mutual
 *     TLS, SIPSecured and Secured dial plans), e.g. {@link org.umgw.tls.TlsFiles#keyManager};
 *     {@code null}: none
 */
public record ProberOptions(
    int maxMessageSize,
    int maxConcurrent,
    int streamThreads,
    Duration t1,
    Duration t2,
    X509TrustManager tlsTrust,
    InetAddress bindV4,
    InetAddress bindV6,
    X509KeyManager tlsClientKey) {

  /** Without a client certificate. */
  public ProberOptions(
      int maxMessageSize,
      int maxConcurrent,
      int streamThreads,
      Duration t1,
      Duration t2,
      X509TrustManager tlsTrust,
      InetAddress bindV4,
      InetAddress bindV6) {
    this(maxMessageSize, maxConcurrent, streamThreads, t1, t2, tlsTrust, bindV4, bindV6, null);
  }

  public ProberOptions {
    if (maxMessageSize < 512 || maxMessageSize > 65_535) {
      throw new IllegalArgumentException("maxMessageSize is 512..65535: " + maxMessageSize);
    }
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be positive: " + maxConcurrent);
    }
    if (streamThreads < 1 || streamThreads > 1024) {
      throw new IllegalArgumentException("streamThreads is 1..1024: " + streamThreads);
    }
    requireNonNull(t1, "t1 == null");
    requireNonNull(t2, "t2 == null");
    if (t1.isNegative() || t1.isZero() || t2.compareTo(t1) < 0) {
      throw new IllegalArgumentException("need 0 < t1 <= t2: t1 " + t1 + ", t2 " + t2);
    }
    requireNonNull(tlsTrust, "tlsTrust == null");
    requireNonNull(bindV4, "bindV4 == null");
    requireNonNull(bindV6, "bindV6 == null");
  }

  /**
   * 8 KiB messages, 4,096 probes in flight, up to 256 stream threads (so a round with a hundred
   * silent TLS gateways still ends within one deadline), T1 500 ms, T2 4 s, JVM trust.
   */
  public static ProberOptions defaults() {
    try {
      return new ProberOptions(
          SipMessage.DEFAULT_MAX_SIZE,
          4096,
          256,
          Duration.ofMillis(500),
          Duration.ofSeconds(4),
          com.unboundid.util.ssl.JVMDefaultTrustManager.getInstance(),
          InetAddress.getByAddress(new byte[4]),
          InetAddress.getByAddress(new byte[16]));
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e); // raw addresses of the right length never fail
    }
  }

  public ProberOptions withTlsTrust(X509TrustManager trust) {
    return new ProberOptions(
        maxMessageSize, maxConcurrent, streamThreads, t1, t2, trust, bindV4, bindV6, tlsClientKey);
  }

  public ProberOptions withBind(InetAddress v4, InetAddress v6) {
    return new ProberOptions(
        maxMessageSize, maxConcurrent, streamThreads, t1, t2, tlsTrust, v4, v6, tlsClientKey);
  }

  public ProberOptions withMaxConcurrent(int max) {
    return new ProberOptions(
        maxMessageSize, max, streamThreads, t1, t2, tlsTrust, bindV4, bindV6, tlsClientKey);
  }

  public ProberOptions withStreamThreads(int n) {
    return new ProberOptions(
        maxMessageSize, maxConcurrent, n, t1, t2, tlsTrust, bindV4, bindV6, tlsClientKey);
  }

  public ProberOptions withTimers(Duration newT1, Duration newT2) {
    return new ProberOptions(
        maxMessageSize,
        maxConcurrent,
        streamThreads,
        newT1,
        newT2,
        tlsTrust,
        bindV4,
        bindV6,
        tlsClientKey);
  }

  /**
   * Presents this certificate to TLS gateways that ask for one (mutual TLS); {@code null}: none.
   */
  public ProberOptions withTlsClientKey(X509KeyManager key) {
    return new ProberOptions(
        maxMessageSize, maxConcurrent, streamThreads, t1, t2, tlsTrust, bindV4, bindV6, key);
  }
}
