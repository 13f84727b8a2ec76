package org.umgw.cli;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.umgw.directory.DirectoryRead;
import org.umgw.dns.NameResolver;
import org.umgw.events.Event;
import org.umgw.events.Events;
import org.umgw.trust.Peer;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code umgw trust-list ...}: the trusted SIP peers built from the directory and DNS. */
@Command(
    name = "trust-list",
    mixinStandardHelpOptions = true,
    description = "The trusted SIP peers: gateways linked to a dial plan, and UM servers.",
    subcommands = {TrustListCommand.Show.class})
final class TrustListCommand {
  private TrustListCommand() {}

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Resolve every gateway and server name and print the trusted peers and the events"
              + " (1175 shared IPs, 1194 unresolvable names, ...).")
  static final class Show extends DirectoryCommand {
    @Mixin DnsOptions dns;

    @Option(names = "--format", defaultValue = "table", description = "table or json.")
    Output.Format format;

    @Override
    public Integer call() {
      DirectoryRead read;
      java.nio.file.Path hosts;
      try (ConnectionOptions.Directory d = connection.open()) {
        read = d.store().readAll();
        hosts = d.embedded() == null ? null : d.embedded().hostsFile();
      }
      Output.warnProblems(err(), read.problems());
      List<Event> events = new CopyOnWriteArrayList<>();
      Events sink = new Events();
      sink.addListener(events::add);
      TrustSnapshot snapshot;
      try (NameResolver resolver = dns.open(hosts);
          TrustedPeers peers =
              new TrustedPeers(
                  resolver, TrustedPeers.Options.defaults(), Clock.systemUTC(), sink)) {
        snapshot = peers.update(read.contents());
      }
      List<Map<String, Object>> rows =
          snapshot.peers().stream().map(TrustListCommand::view).toList();
      if (format == Output.Format.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generatedAt", snapshot.builtAt().toString());
        doc.put("peers", rows);
        doc.put("events", events.stream().map(Event::toMap).toList());
        Output.json(out(), doc);
      } else {
        Output.table(
            out(),
            rows,
            "address",
            "port",
            "transport",
            "status",
            "gateways",
            "servers",
            "fqdns",
            "stale");
        List<String> lines = new ArrayList<>();
        for (Event e : events) {
          lines.add(e.toString());
        }
        out().println();
        out().println(snapshot.peers().size() + " trusted peers; " + events.size() + " events:");
        lines.forEach(out()::println);
      }
      return 0;
    }
  }

  /** The JSON shape of interface.md: address, family, port, transport, names, status, stale. */
  static Map<String, Object> view(Peer p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", p.addressText());
    m.put("family", p.family());
    m.put("port", p.port());
    m.put("transport", p.transport().name());
    m.put("gateways", p.gatewayNames());
    m.put("servers", p.servers());
    m.put("fqdns", p.fqdns());
    m.put("status", p.status().name());
    m.put("stale", p.stale());
    return m;
  }
}
