package org.umgw.testing;

/**
 * One entry of Kamailio's permissions module as it loaded it ({@link Kamailio#addresses()}), which
 * is what an export test asserts on: {@code address} is as Kamailio prints it (IPv6 compressed,
 * lower case; the name for {@link Table#DOMAIN}); {@code mask} is 32 or 128 for {@link
 * Table#ADDRESS} and 0 for {@link Table#DOMAIN}; {@code tag} is null when none was given.
 */
public record KamailioEntry(
    Table table, int group, String address, int mask, int port, String tag) {

  /** Which of the permissions module's in-memory tables an entry was loaded into. */
  public enum Table {
    /** Single IPv4 (mask 32) or IPv6 (mask 128) addresses: {@code permissions.addressDump}. */
    ADDRESS,
    /** Address with a shorter mask: {@code permissions.subnetDump}. */
    SUBNET,
    /**
     * Anything that is not an IP address (host names, {@code ip/32} in one field, ...), compared as
     * a string, never resolved, so never matching a source IP: {@code permissions.domainDump}.
     */
    DOMAIN
  }
}
