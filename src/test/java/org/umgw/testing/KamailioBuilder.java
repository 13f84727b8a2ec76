package org.umgw.testing;

import java.nio.file.Path;
import java.time.Duration;

/**
 * {@link Kamailio}'s start-up settings, every setter returning {@code this}: which variant (plain
 * UDP, plus IPv6, TLS or JSON-RPC over HTTP) and how its permissions module behaves.
 */
public final class KamailioBuilder {
  Path addressFile;
  KamailioTls tls;
  int group = 1;
  boolean ipv6;
  int reloadDelta;
  boolean jsonRpc;
  Duration startTimeout = Duration.ofSeconds(20);

  KamailioBuilder() {}

  /** The permissions address file Kamailio loads (required; it must exist at start). */
  public KamailioBuilder addressFile(Path addressFile) {
    this.addressFile = addressFile;
    return this;
  }

  /** The group {@code allow_source_address()} checks (default 1). */
  public KamailioBuilder group(int group) {
    if (group < 0) {
      throw new IllegalArgumentException("group must be >= 0: " + group);
    }
    this.group = group;
    return this;
  }

  /** Also listens on [::1] with the same port. */
  public KamailioBuilder ipv6(boolean ipv6) {
    this.ipv6 = ipv6;
    return this;
  }

  /** Also listens for SIP over TLS on 127.0.0.1 ({@link Kamailio#tlsAddress()}). */
  public KamailioBuilder tls(KamailioTls tls) {
    this.tls = tls;
    return this;
  }

  /** The permissions {@code reload_delta} in seconds (default here 0: no rate limit). */
  public KamailioBuilder reloadDelta(int seconds) {
    if (seconds < 0) {
      throw new IllegalArgumentException("reload_delta must be >= 0: " + seconds);
    }
    this.reloadDelta = seconds;
    return this;
  }

  /**
   * Also serves JSON-RPC over HTTP ({@code jsonrpcs} over {@code xhttp}) on 127.0.0.1 and a free
   * TCP port, at {@link Kamailio#jsonRpcUrl()}: the way {@code umgw trust-list sync --kamailio-rpc}
   * reloads the address file. SIP stays on UDP only.
   */
  public KamailioBuilder jsonRpc(boolean jsonRpc) {
    this.jsonRpc = jsonRpc;
    return this;
  }

  /** How long to wait for Kamailio to answer SIP and RPC after start (default 20 s). */
  public KamailioBuilder startTimeout(Duration startTimeout) {
    this.startTimeout = startTimeout;
    return this;
  }

  public Kamailio start() {
    if (addressFile == null) {
      throw new IllegalArgumentException("addressFile is required");
    }
    return Kamailio.start(this);
  }
}
