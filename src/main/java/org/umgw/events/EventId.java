package org.umgw.events;

/**
 * The events umgw raises. Exchange's IDs are kept for the events Exchange had; the 9xxx IDs are
 * umgw's own, for behaviour Exchange lacked.
 */
public enum EventId {
  /** Two or more names or gateways resolve to one IP address. */
  DUPLICATE_PEER_IP(1175, Event.Level.Warning),
  /** A peer's host name gives no address (NXDOMAIN, no data, or DNSSEC validation failed). */
  PEER_NAME_UNRESOLVED(1194, Event.Level.Error),
  /** A gateway stopped answering SIP OPTIONS. */
  PEERS_UNHEALTHY(1400, Event.Level.Error),
  /** A gateway answers SIP OPTIONS again. */
  PEERS_HEALTHY(1401, Event.Level.Information),
  /** A request came from an address that is not a trusted peer. */
  UNTRUSTED_SOURCE(1021, Event.Level.Warning),
  /** A request came from a gateway whose status is not Enabled. */
  GATEWAY_NOT_ENABLED(1442, Event.Level.Warning),
  /** The trusted-peer list changed (directory change or DNS re-resolution). */
  PEER_CACHE_REFRESHED(1424, Event.Level.Information),
  /** A name's DNS lookup failed (SERVFAIL, timeout): its last known addresses are kept, stale. */
  PEER_ADDRESSES_STALE(9101, Event.Level.Warning),
  /** A name's stale addresses outlived the maximum staleness and were dropped. */
  PEER_STALE_ADDRESSES_DROPPED(9102, Event.Level.Error),
  /** A name resolves again after having been stale or unresolvable. */
  PEER_NAME_RESOLVED_AGAIN(9103, Event.Level.Information),
  /** A call from a trusted gateway matched none of its hunt groups. */
  NO_HUNT_GROUP(9104, Event.Level.Warning),
  /**
   * A DNS or hosts-file answer for a peer's name is an address no gateway may have (unspecified,
   * multicast, broadcast, IPv4-mapped): it is left out of the trusted peers.
   */
  PEER_ADDRESS_REFUSED(9105, Event.Level.Warning),
  /**
   * The directory breaks a rule or holds an entry that does not map: what would widen trust is held
   * back (the event names the object, the rule or attribute, the value and what is served instead).
   */
  DIRECTORY_REJECTED(9201, Event.Level.Error),
  /** The directory cannot be reached: the last good trust list stays in service. */
  DIRECTORY_UNREACHABLE(9202, Event.Level.Warning),
  /** The directory is followed again (after start-up from the on-disk copy or an outage). */
  DIRECTORY_RECONNECTED(9203, Event.Level.Information),
  /**
   * The all-clear: after a broken rule, an unreadable entry or an outage, the directory is whole
   * again (every rule kept, every entry readable, followed live) and nothing is held back.
   */
  DIRECTORY_WHOLE(9204, Event.Level.Information),

  /**
   * The OPTIONS prober cannot receive answers (its receiver failed): health results are unknown
   * until it recovers, and no gateway is reported Down for it.
   */
  PROBER_FAILED(9401, Event.Level.Error),
  /** The OPTIONS prober receives answers again after {@link #PROBER_FAILED}. */
  PROBER_RECOVERED(9402, Event.Level.Information),

  /**
   * A TLS peer's certificate names no trusted UM IP gateway (no DNS SAN, or the CN when there is no
   * SAN, matches a gateway's FQDN): the call is refused whatever its source address.
   */
  TLS_CERTIFICATE_NAMES_NO_GATEWAY(9501, Event.Level.Warning),
  /**
   * A TLS peer's certificate names a gateway, but the call comes from an address that is not one of
   * that gateway's resolved addresses (another host, or another gateway's IP): refused.
   */
  TLS_CERTIFICATE_NOT_FROM_GATEWAY(9502, Event.Level.Warning),
  /** A TLS peer presented no certificate, or one that has expired or is not valid yet: refused. */
  TLS_CERTIFICATE_INVALID(9503, Event.Level.Warning),
  /** A TLS gateway's certificate expires within the warning threshold (default 21 days). */
  GATEWAY_CERTIFICATE_EXPIRING(9504, Event.Level.Warning),
  /** {@code trust-list sync} replaced its file: the format's content changed. */
  SYNC_FILE_WRITTEN(9601, Event.Level.Information),
  /**
   * {@code trust-list sync} could not tell the consumer to reload (RPC refused or unanswered,
   * command failed or timed out): the file is complete on disk and the reload is retried with
   * backoff.
   */
  SYNC_RELOAD_FAILED(9602, Event.Level.Error),
  /** The consumer reloaded the file again after {@link #SYNC_RELOAD_FAILED}. */
  SYNC_RELOAD_RECOVERED(9603, Event.Level.Information),
  /**
   * {@code trust-list sync} refused to replace its file (shrink guard, empty list, write error):
   * the previous file stays in place and in use.
   */
  SYNC_WRITE_REFUSED(9604, Event.Level.Error),
  /** The consumer reloaded the file {@code trust-list sync} wrote. */
  SYNC_RELOADED(9605, Event.Level.Information),
  /** {@code umgw console} refused a login: the directory refused the bind, or no such user. */
  CONSOLE_LOGIN_REFUSED(9801, Event.Level.Warning),
  /** {@code umgw console} changed the directory as the logged-in user. */
  CONSOLE_EDIT(9802, Event.Level.Information),
  /** {@code umgw console} could not make an edit: a rule, or the directory's access control. */
  CONSOLE_EDIT_REFUSED(9803, Event.Level.Warning);

  private final int id;
  private final Event.Level level;

  EventId(int id, Event.Level level) {
    this.id = id;
    this.level = level;
  }

  public int id() {
    return id;
  }

  public Event.Level level() {
    return level;
  }
}
