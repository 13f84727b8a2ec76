package org.umgw.model;

/**
 * The address families a gateway accepts; {@link #Any} prefers IPv6 and falls back to IPv4.
 *
 * <p>Constant names are the exact LDAP values of {@code umIPAddressFamily}.
 */
public enum IpAddressFamily {
  IPv4Only,
  IPv6Only,
  Any;

  public static IpAddressFamily parse(String text, ObjectRef object) {
    return Enums.parse(IpAddressFamily.class, text, object, "umIPAddressFamily");
  }

  public boolean acceptsIpv4() {
    return this != IPv6Only;
  }

  public boolean acceptsIpv6() {
    return this != IPv4Only;
  }
}
