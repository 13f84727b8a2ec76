package org.umgw.trust;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Comparator;

/** Ordering of IP addresses as the trust list prints them: IPv4 first, each numerically. */
final class Addresses {
  private Addresses() {}

  static final Comparator<InetAddress> ORDER =
      (a, b) -> {
        boolean a4 = a instanceof Inet4Address;
        boolean b4 = b instanceof Inet4Address;
        if (a4 != b4) {
          return a4 ? -1 : 1;
        }
        if (a4) {
          // An IPv4 address's hash code is its 32 bits: compared without copying them (the
          // incremental snapshot binary-searches its sorted peers with this).
          return Integer.compareUnsigned(a.hashCode(), b.hashCode());
        }
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
      };
}
