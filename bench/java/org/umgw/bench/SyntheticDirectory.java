package org.umgw.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UriType;

/** Directories of any size for benchmarks: n gateways on distinct IPv4 literals, 100 per plan. */
final class SyntheticDirectory {
  private SyntheticDirectory() {}

  static InetAddress ipv4(int i) {
    try {
      return InetAddress.getByAddress(
          new byte[] {10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) (i + 1)});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static DirectoryContents of(int gateways) {
    List<DialPlan> plans = new ArrayList<>();
    int planCount = Math.max(1, gateways / 100);
    for (int p = 0; p < planCount; p++) {
      plans.add(DialPlan.of("dp" + p, UriType.TelExtn, 5));
    }
    List<Gateway> gws = new ArrayList<>(gateways);
    List<HuntGroup> groups = new ArrayList<>(gateways);
    for (int i = 0; i < gateways; i++) {
      String name = "gw" + i;
      gws.add(Gateway.builder(name, ipv4(i).getHostAddress()).build());
      groups.add(HuntGroup.defaultFor(name, "dp" + (i % planCount)));
    }
    return new DirectoryContents(plans, gws, groups, List.of());
  }
}
