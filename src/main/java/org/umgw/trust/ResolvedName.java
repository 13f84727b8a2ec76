package org.umgw.trust;

import java.net.InetAddress;
import java.util.List;

/**
 * What a name currently resolves to, as the snapshot uses it.
 *
 * @param stale the addresses are the last known ones, kept while lookups fail
 */
public record ResolvedName(List<InetAddress> addresses, boolean stale) {
  public static final ResolvedName NONE = new ResolvedName(List.of(), false);

  public ResolvedName {
    addresses = List.copyOf(addresses);
  }
}
