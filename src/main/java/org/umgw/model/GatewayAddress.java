package org.umgw.model;

import static java.util.Objects.requireNonNull;

import com.google.common.net.InetAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * The SIP address of a gateway: an IPv4 literal, an IPv6 literal (brackets optional) or an FQDN.
 *
 * <pre>{@code
 * GatewayAddress.parse("192.0.2.10");        // IPV4
 * GatewayAddress.parse("[2001:DB8::0:1]");   // IPV6, text() "2001:db8::1"
 * GatewayAddress.parse("SBC1.Contoso.test"); // FQDN, text() "sbc1.contoso.test"
 * }</pre>
 *
 * <p>Literals are kept in canonical form (IPv6 compressed, lower case) and names in lower case, so
 * equal addresses have equal text and uniqueness is a string comparison. Refused: the unspecified
 * addresses {@code 0.0.0.0} and {@code ::}, multicast and broadcast, zone ids, IPv4-mapped IPv6, a
 * trailing dot, and names that are not RFC 1123 host names.
 */
public record GatewayAddress(Kind kind, String text) {
  /** Which form the address takes. */
  public enum Kind {
    IPV4,
    IPV6,
    FQDN
  }

  private static final int MAX_NAME = 253;
  private static final int MAX_LABEL = 63;

  public GatewayAddress {
    requireNonNull(kind, "kind == null");
    requireNonNull(text, "text == null");
  }

  /**
   * Parses what a user or the directory gives as a gateway address.
   *
   * @throws IllegalArgumentException with the reason when {@code text} is not a valid address
   */
  public static GatewayAddress parse(String text) {
    requireNonNull(text, "text == null");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("an address is required");
    }
    for (int i = 0; i < text.length(); i++) {
      if (Character.isWhitespace(text.charAt(i)) || Character.isISOControl(text.charAt(i))) {
        throw new IllegalArgumentException("white space or control character in the address");
      }
    }
    String bare = text;
    boolean bracketed = text.startsWith("[") || text.endsWith("]");
    if (bracketed) {
      if (!(text.startsWith("[") && text.endsWith("]")) || text.length() < 3) {
        throw new IllegalArgumentException("unbalanced brackets");
      }
      bare = text.substring(1, text.length() - 1);
      if (bare.indexOf(':') < 0) {
        throw new IllegalArgumentException("brackets enclose only IPv6 literals");
      }
    }
    if (bare.indexOf('%') >= 0) {
      throw new IllegalArgumentException("a zone id (%...) is not allowed in a gateway address");
    }
    if (bare.indexOf(':') >= 0) {
      return ipv6(bare);
    }
    if (looksNumeric(bare)) {
      return ipv4(bare);
    }
    return fqdn(bare);
  }

  private static GatewayAddress ipv6(String bare) {
    InetAddress ip = literal(bare, "not a valid IPv6 address");
    if (ip instanceof Inet4Address) {
      throw new IllegalArgumentException(
          "IPv4-mapped IPv6 address: write the IPv4 address " + ip.getHostAddress());
    }
    checkPeerAddress(ip);
    return new GatewayAddress(Kind.IPV6, InetAddresses.toAddrString(ip));
  }

  private static GatewayAddress ipv4(String bare) {
    InetAddress ip = literal(bare, "not a valid IPv4 address (expected four numbers 0-255)");
    checkPeerAddress(ip);
    return new GatewayAddress(Kind.IPV4, InetAddresses.toAddrString(ip));
  }

  /**
   * Checks that {@code ip} can be a peer's address, however it was learnt: written as a literal, or
   * answered by DNS or a hosts file for a gateway's name. Refused: the unspecified addresses,
   * multicast, the IPv4 broadcast address, an IPv4-mapped IPv6 address (a peer sends from its IPv4
   * address) and a scoped IPv6 address. One check for literals and answers, so DNS can never put
   * into a trust list what an administrator could not type.
   *
   * @return {@code ip}
   * @throws IllegalArgumentException with the reason when {@code ip} cannot be a peer's address
   */
  public static InetAddress checkPeerAddress(InetAddress ip) {
    requireNonNull(ip, "ip == null");
    if (ip instanceof Inet6Address v6) {
      if (ip.isAnyLocalAddress()) {
        throw new IllegalArgumentException(
            "the unspecified address :: cannot be a gateway address");
      }
      if (ip.isMulticastAddress()) {
        throw new IllegalArgumentException("a multicast address cannot be a gateway address");
      }
      if (isIpv4Mapped(v6.getAddress())) {
        throw new IllegalArgumentException(
            "an IPv4-mapped IPv6 address cannot be a gateway address");
      }
      if (v6.getScopeId() != 0 || v6.getScopedInterface() != null) {
        throw new IllegalArgumentException("a zone id (%...) is not allowed in a gateway address");
      }
      return ip;
    }
    if (ip.isAnyLocalAddress()) {
      throw new IllegalArgumentException(
          "the unspecified address 0.0.0.0 cannot be a gateway address");
    }
    if (ip.isMulticastAddress() || isBroadcast(ip.getAddress())) {
      throw new IllegalArgumentException(
          "a multicast or broadcast address cannot be a gateway address");
    }
    return ip;
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
  }

  private static boolean isBroadcast(byte[] b) {
    for (byte x : b) {
      if (x != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress literal(String bare, String error) {
    try {
      return InetAddresses.forString(bare);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(error);
    }
  }

  /** A last label of digits only is a mistyped IPv4 literal, never a host name (RFC 1123 2.1). */
  private static boolean looksNumeric(String bare) {
    int lastDot = bare.lastIndexOf('.');
    String last = bare.substring(lastDot + 1);
    return !last.isEmpty() && last.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static GatewayAddress fqdn(String bare) {
    if (bare.endsWith(".")) {
      throw new IllegalArgumentException("a trailing '.' is not allowed");
    }
    if (bare.length() > MAX_NAME) {
      throw new IllegalArgumentException(
          "a host name is at most " + MAX_NAME + " characters (" + bare.length() + ")");
    }
    for (String label : bare.split("\\.", -1)) {
      checkLabel(label);
    }
    return new GatewayAddress(Kind.FQDN, bare.toLowerCase(Locale.ROOT));
  }

  private static void checkLabel(String label) {
    if (label.isEmpty()) {
      throw new IllegalArgumentException("empty label (two dots in a row or a leading dot)");
    }
    if (label.length() > MAX_LABEL) {
      throw new IllegalArgumentException(
          "label \"" + label + "\" is longer than " + MAX_LABEL + " characters");
    }
    if (label.startsWith("-") || label.endsWith("-")) {
      throw new IllegalArgumentException("label \"" + label + "\" starts or ends with a hyphen");
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok && c != '-') {
        String hint = c > 0x7f ? " (write an internationalised name in its xn-- form)" : "";
        throw new IllegalArgumentException(
            "the character '" + c + "' is not allowed in a host name" + hint);
      }
    }
  }

  public boolean isIpLiteral() {
    return kind != Kind.FQDN;
  }

  public boolean isFqdn() {
    return kind == Kind.FQDN;
  }

  /** The literal's address, or empty for an FQDN. Never consults DNS. */
  public Optional<InetAddress> ip() {
    return isIpLiteral() ? Optional.of(InetAddresses.forString(text)) : Optional.empty();
  }

  /** The family an IP literal implies; an FQDN implies none. */
  public Optional<IpAddressFamily> impliedFamily() {
    return switch (kind) {
      case IPV4 -> Optional.of(IpAddressFamily.IPv4Only);
      case IPV6 -> Optional.of(IpAddressFamily.IPv6Only);
      case FQDN -> Optional.empty();
    };
  }

  /** {@code true} when {@code family} admits this literal; always true for an FQDN. */
  public boolean agreesWith(IpAddressFamily family) {
    return switch (kind) {
      case IPV4 -> family.acceptsIpv4();
      case IPV6 -> family.acceptsIpv6();
      case FQDN -> true;
    };
  }

  /** The address as in a SIP URI: IPv6 literals in brackets. */
  public String uriHost() {
    return kind == Kind.IPV6 ? "[" + text + "]" : text;
  }

  @Override
  public String toString() {
    return text;
  }
}
