package org.umgw.model;

import java.util.List;

/** Every valid object of one directory read, in directory order. */
public record DirectoryContents(
    List<DialPlan> dialPlans,
    List<Gateway> gateways,
    List<HuntGroup> huntGroups,
    List<UmServer> servers) {

  public DirectoryContents {
    dialPlans = List.copyOf(dialPlans);
    gateways = List.copyOf(gateways);
    huntGroups = List.copyOf(huntGroups);
    servers = List.copyOf(servers);
  }

  public static DirectoryContents empty() {
    return new DirectoryContents(List.of(), List.of(), List.of(), List.of());
  }
}
