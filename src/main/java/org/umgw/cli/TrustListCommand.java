package org.umgw.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.umgw.dns.NameResolver;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.export.AtomicFileWriter;
import org.umgw.export.ExportFormat;
import org.umgw.export.ExportOptions;
import org.umgw.export.Renderer;
import org.umgw.export.ShrinkGuard;
import org.umgw.export.TrustList;
import org.umgw.feed.FeedOptions;
import org.umgw.model.UmgwException;
import org.umgw.service.GatewayStatusChange;
import org.umgw.service.TrustService;
import org.umgw.trust.Peer;
import org.umgw.trust.PeerMember;
import org.umgw.trust.TrustedPeers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code umgw trust-list ...}: the trusted SIP peers built from the directory and DNS. */
@Command(
    name = "trust-list",
    mixinStandardHelpOptions = true,
    description = "The trusted SIP peers: gateways linked to a dial plan, and UM servers.",
    subcommands = {
      TrustListCommand.Show.class,
      TrustListCommand.Export.class,
      TrustListCommand.Watch.class,
      TrustListSyncCommand.class
    })
final class TrustListCommand {
  private TrustListCommand() {}

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description =
          "Resolve every gateway and server name and print the trusted peers and the events"
              + " (1175 shared IPs, 1194 unresolvable names, ...).")
  static final class Show extends DirectoryCommand
      implements ConnectionOptions.CreatesDataDirectory {
    @Mixin DnsOptions dns;

    @Option(names = "--format", defaultValue = "table", description = "table or json.")
    Output.Format format;

    @Override
    public Integer call() {
      try (TrustListRun run = TrustListRun.build(connection, dns, err())) {
        return print(run);
      }
    }

    private Integer print(TrustListRun run) {
      List<Map<String, Object>> rows = run.snapshot.peers().stream().map(Renderer::view).toList();
      if (format == Output.Format.json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generatedAt", run.snapshot.builtAt().toString());
        doc.put("peers", rows);
        doc.put("events", run.events.stream().map(Event::toMap).toList());
        Output.json(out(), doc);
      } else {
        // One IP can carry peers that differ: the table names each with its own values.
        List<Map<String, Object>> table = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
          Map<String, Object> row = new LinkedHashMap<>(rows.get(i));
          row.put("members", members(run.snapshot.peers().get(i)));
          table.add(row);
        }
        Output.table(
            out(), table, "address", "port", "transport", "status", "members", "fqdns", "stale");
        out().println();
        out()
            .println(
                run.snapshot.peers().size() + " trusted peers; " + run.events.size() + " events:");
        run.events.forEach(e -> out().println(e));
      }
      return 0;
    }
  }

  /** {@code Name [Status transport/port]} per gateway, {@code Name [server]} per server. */
  static List<String> members(Peer peer) {
    return peer.members().stream()
        .map(
            m ->
                m.kind() == PeerMember.Kind.SERVER
                    ? m.name() + " [server]"
                    : m.name() + " [" + m.status() + " " + m.transport() + "/" + m.port() + "]")
        .toList();
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "The nightly job: write the trust list for a SIP proxy or firewall. A directory that"
              + " breaks a rule is exported under the fail-closed policy (what a violation"
              + " implicates is held back, event 9201 each). Exit 0 written, 1 refused or failed"
              + " (--strict and a rule broken, the directory unreachable, the shrink guard), 2"
              + " usage.")
  static final class Export extends DirectoryCommand {
    @Mixin DnsOptions dns;

    @Mixin ExportFileMixin file;

    @Option(
        names = "--format",
        defaultValue = "text",
        paramLabel = "FORMAT",
        description =
            "json, text, kamailio, freeswitch, asterisk or nftables (default: ${DEFAULT-VALUE}).")
    ExportFormat format;

    @Option(
        names = "--out",
        defaultValue = "-",
        paramLabel = "FILE",
        description =
            "File to replace atomically, or - for stdout (default: ${DEFAULT-VALUE}). It keeps"
                + " the mode, owner and group of the file it replaces.")
    String out;

    @Option(
        names = "--max-shrink",
        defaultValue = "20",
        paramLabel = "PERCENT",
        description =
            "Refuse to replace FILE by a list with more than this many percent fewer addresses"
                + " (default: ${DEFAULT-VALUE}).")
    double maxShrink;

    @Option(names = "--allow-shrink", description = "Replace FILE however much smaller the list.")
    boolean allowShrink;

    @Option(
        names = "--strict",
        description =
            "Refuse (exit 1, nothing written) when the directory breaks any rule, instead of"
                + " exporting it with the offending changes held back.")
    boolean strict;

    @Option(
        names = "--allow-dns-failures",
        description =
            "Export even when some names got no DNS answer (timeout, SERVFAIL); by default the"
                + " export is refused, as those gateways would silently drop out of the list.")
    boolean allowDnsFailures;

    @Option(
        names = "--allow-empty",
        description =
            "Write the list even when it holds no address at all; by default that is refused, as"
                + " a wrong --base-dn or access controls hiding the entries look just like it.")
    boolean allowEmpty;

    @Override
    public Integer call() {
      ExportOptions options = file.exportOptions();
      long start = System.nanoTime();
      try (TrustListRun run = TrustListRun.build(connection, dns, err(), strict)) {
        return write(run, options, start);
      }
    }

    private Integer write(TrustListRun run, ExportOptions options, long start) {
      List<String> failed =
          run.events.stream()
              .filter(e -> Boolean.TRUE.equals(e.details().get(TrustedPeers.LOOKUP_FAILED)))
              .map(e -> String.valueOf(e.details().get("name")))
              .sorted()
              .toList();
      if (!failed.isEmpty() && !allowDnsFailures) {
        run.events.forEach(e -> err().println("umgw: " + e));
        throw new UmgwException(
            failed.size()
                + " name(s) got no DNS answer ("
                + String.join(", ", failed.subList(0, Math.min(5, failed.size())))
                + (failed.size() > 5 ? ", ..." : "")
                + "): their gateways would drop out of the list, so nothing was written; check"
                + " DNS, or pass --allow-dns-failures");
      }
      TrustList list = TrustList.of(run.snapshot, run.events, Instant.now());
      String content = Renderer.render(format, list, options);
      for (Event e : list.events()) {
        err().println("umgw: " + e);
      }
      int addresses = format.allowList() ? list.allowed().size() : list.peers().size();
      if (addresses == 0 && !allowEmpty) {
        throw new UmgwException(emptyListMessage(run, connection.baseDn));
      }
      String where;
      if (out.equals("-")) {
        out().print(content);
        out().flush();
        where = "stdout";
      } else {
        Path target = Path.of(out);
        if (!allowShrink) {
          ShrinkGuard.check(target, format, content, maxShrink);
        }
        AtomicFileWriter.write(target, content.getBytes(StandardCharsets.UTF_8), file.mode());
        where = target.toString();
      }
      long unresolved =
          run.events.stream()
              .filter(e -> e.type() == EventId.PEER_NAME_UNRESOLVED)
              .map(e -> e.details().get("name"))
              .distinct()
              .count();
      err()
          .printf(
              "umgw: exported %d addresses (%d peers, %d of %d names resolved, %d events) as %s"
                  + " to %s in %.1f s%n",
              addresses,
              list.peers().size(),
              run.snapshot.names().size() - unresolved,
              run.snapshot.names().size(),
              list.events().size(),
              format,
              where,
              (System.nanoTime() - start) / 1e9);
      return 0;
    }
  }

  /**
   * Why an empty list is suspicious, with what was read: a wrong base DN and access controls that
   * hide the entries (389-DS answers such searches with success and no entries) both look like an
   * empty directory, and an empty allow-list shuts every gateway out.
   */
  static String emptyListMessage(TrustListRun run, String baseDn) {
    var contents = run.read.contents();
    java.util.Set<String> gateways = new java.util.HashSet<>();
    contents.gateways().forEach(g -> gateways.add(g.name()));
    java.util.Set<String> dialPlans = new java.util.HashSet<>();
    contents.dialPlans().forEach(d -> dialPlans.add(d.name()));
    long linked =
        contents.huntGroups().stream()
            .filter(h -> dialPlans.contains(h.dialPlan()))
            .map(org.umgw.model.HuntGroup::gateway)
            .filter(gateways::contains)
            .distinct()
            .count();
    boolean nothing =
        contents.gateways().isEmpty()
            && contents.servers().isEmpty()
            && run.read.problems().isEmpty();
    return "refusing to write a trust list with no address at all: "
        + (nothing ? "nothing" : "no trusted address")
        + " under "
        + baseDn
        + " ("
        + contents.gateways().size()
        + " gateways, "
        + linked
        + " of them linked to a dial plan, "
        + contents.servers().size()
        + " UM servers"
        + (run.read.problems().isEmpty()
            ? ""
            : ", " + run.read.problems().size() + " entries unreadable")
        + "). A wrong --base-dn? Access controls hiding the entries from the bind DN (some"
        + " servers answer such a search with success and no entries)? No gateway linked to a"
        + " dial plan, every gateway Disabled, or no name resolved? Nothing was written; pass"
        + " --allow-empty if an empty list is really meant";
  }

  @Command(
      name = "watch",
      mixinStandardHelpOptions = true,
      description =
          "Print one line per change of the trusted list as it happens. The directory is followed"
              + " live through the best feed it offers (RFC 4533 content sync, persistent search,"
              + " the changelog, else polling every --poll-interval), the same feed a SIP server"
              + " embedding TrustService uses; names are re-resolved as their TTL runs out. A"
              + " change that breaks a rule is held back where it would widen trust (event 9201);"
              + " revocations always apply; event 9204 when the directory is whole again.")
  static final class Watch extends DirectoryCommand {
    @Mixin DnsOptions dns;

    @Mixin FeedMixin feedOptions;

    @Mixin MetricsMixin metrics;

    @Option(
        names = "--count",
        paramLabel = "N",
        description = "Exit after N changes (default: run until stopped).")
    Integer count;

    @Override
    public Integer call() throws InterruptedException {
      FeedOptions options = feedOptions.options();
      try (ConnectionOptions.Directory d = connection.open();
          NameResolver resolver =
              dns.open(d.embedded() == null ? null : d.embedded().hostsFile())) {
        TrustService service =
            TrustService.builder()
                .directory(d.store().pool())
                .baseDn(d.store().layout().base().toString())
                .resolver(resolver)
                .feedOptions(options)
                .build();
        CountDownLatch remaining = new CountDownLatch(count == null ? 1 : count);
        // Events of the first load are printed after the header line, then as they come.
        List<Event> held = new ArrayList<>();
        boolean[] headerPrinted = {false};
        service.addEventListener(
            e -> {
              if (e.type() == EventId.PEER_CACHE_REFRESHED) {
                return;
              }
              synchronized (held) {
                if (!headerPrinted[0]) {
                  held.add(e);
                  return;
                }
              }
              out().println(e.time() + " " + e);
              out().flush();
            });
        try (MetricsMixin.Running m = metrics.start(service);
            TrustService running = service.start()) {
          out()
              .println(
                  Instant.now()
                      + " watching "
                      + running.snapshot().peers().size()
                      + " trusted peers ("
                      + running.status().feed()
                      + " from "
                      + running.status().server()
                      + ")");
          synchronized (held) {
            held.forEach(e -> out().println(e.time() + " " + e));
            headerPrinted[0] = true;
          }
          out().flush();
          running.addSnapshotListener(
              change -> {
                out().println(line(change.event()));
                // What a SIP server must do with the calls of gateways whose status changed.
                for (GatewayStatusChange c :
                    GatewayStatusChange.between(
                        change.before().contents(), change.after().contents())) {
                  out()
                      .println(
                          change.event().time()
                              + " gateway "
                              + c.gateway()
                              + " "
                              + c.before()
                              + " -> "
                              + (c.after() == null ? "removed" : c.after())
                              + ": "
                              + c.action()
                                  .name()
                                  .toLowerCase(java.util.Locale.ROOT)
                                  .replace('_', ' '));
                }
                out().flush();
                if (count != null) {
                  remaining.countDown();
                }
              });
          remaining.await();
        }
      }
      return 0;
    }

    private static String line(Event refreshed) {
      Map<String, Object> d = refreshed.details();
      return refreshed.time()
          + " peers="
          + d.get("peers")
          + " added="
          + d.get("added")
          + " removed="
          + d.get("removed")
          + (d.get("names") instanceof Map<?, ?> names && !names.isEmpty()
              ? " names=" + names
              : "");
    }
  }
}
