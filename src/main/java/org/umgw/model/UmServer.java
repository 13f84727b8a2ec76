package org.umgw.model;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * A UM server; the host of its internal web-services URL is itself a trusted SIP peer.
 *
 * @param description free text, or {@code null}
 */
public record UmServer(String name, URI internalUrl, String description) {

  /**
   * @throws InvalidValueException naming the server and the URL when it has no http(s) host
   */
  public UmServer {
    requireNonNull(name, "name == null");
    requireNonNull(internalUrl, "internalUrl == null");
    ObjectRef ref = ObjectRef.server(name);
    Names.check(ref, name);
    String scheme = internalUrl.getScheme();
    if (scheme == null || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))) {
      throw new InvalidValueException(
          ref, "umInternalUrl", internalUrl.toString(), "expected an http:// or https:// URL");
    }
    if (internalUrl.getHost() == null) {
      throw new InvalidValueException(
          ref, "umInternalUrl", internalUrl.toString(), "the URL names no host");
    }
    try {
      GatewayAddress.parse(internalUrl.getHost());
    } catch (IllegalArgumentException e) {
      throw new InvalidValueException(
          ref, "umInternalUrl", internalUrl.toString(), "host: " + e.getMessage());
    }
  }

  /**
   * @throws InvalidValueException when {@code internalUrl} is not a URL with a host
   */
  public static UmServer of(String name, String internalUrl, String description) {
    try {
      return new UmServer(name, new URI(internalUrl), description);
    } catch (URISyntaxException e) {
      throw new InvalidValueException(
          ObjectRef.server(name), "umInternalUrl", internalUrl, "not a URL: " + e.getReason());
    }
  }

  public ObjectRef ref() {
    return ObjectRef.server(name);
  }

  /** The host of the internal URL as a peer address (IPv6 brackets removed). */
  public GatewayAddress host() {
    return GatewayAddress.parse(internalUrl.getHost());
  }
}
