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
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
      };
}
