package org.umgw.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.umgw.dns.DnsResolver;
import org.umgw.dns.NameResolver;
import picocli.CommandLine.Option;

/** How gateway and server names are resolved: servers, hosts files, timeouts, DNSSEC. */
final class DnsOptions {
  @Option(
      names = "--dns-server",
      paramLabel = "HOST[:PORT]",
      description = "DNS server to ask (repeatable, tried in order; default: the system's).")
  List<String> servers = new ArrayList<>();

  @Option(
      names = "--hosts-file",
      paramLabel = "FILE",
      description =
          "Hosts file consulted before DNS (repeatable; default: /etc/hosts, plus the embedded"
              + " directory's <data dir>/hosts).")
  List<Path> hostsFiles = new ArrayList<>();

  @Option(
      names = "--dns-timeout",
      paramLabel = "MILLIS",
      defaultValue = "2000",
      description = "Timeout of one DNS query attempt (default: ${DEFAULT-VALUE} ms).")
  long timeoutMillis;

  @Option(
      names = "--dns-retries",
      paramLabel = "N",
      defaultValue = "2",
      description = "Retries of a query that timed out (default: ${DEFAULT-VALUE}).")
  int retries;

  @Option(
      names = "--dnssec-trust-anchors",
      paramLabel = "FILE",
      description = "Validate answers with DNSSEC from these trust anchors.")
  Path trustAnchors;

  /** The resolver these options describe; {@code extraHosts} comes from the data directory. */
  NameResolver open(Path extraHosts) {
    List<Path> hosts = new ArrayList<>(hostsFiles);
    if (hosts.isEmpty() && Files.isReadable(Path.of("/etc/hosts"))) {
      hosts.add(Path.of("/etc/hosts"));
    }
    if (extraHosts != null && Files.isReadable(extraHosts)) {
      hosts.add(extraHosts);
    }
    DnsResolver.Builder b =
        DnsResolver.builder()
            .timeout(Duration.ofMillis(timeoutMillis))
            .retries(retries)
            .hostsFiles(hosts);
    if (!servers.isEmpty()) {
      b.servers(servers.stream().map(DnsResolver::parseServer).toList());
    }
    if (trustAnchors != null) {
      b.dnssecTrustAnchors(trustAnchors);
    }
    return b.build();
  }
}
