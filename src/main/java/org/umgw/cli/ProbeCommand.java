package org.umgw.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.umgw.dns.NameResolver;
import org.umgw.events.Event;
import org.umgw.events.EventId;
import org.umgw.health.HealthMonitor;
import org.umgw.health.HealthOptions;
import org.umgw.health.HealthReport;
import org.umgw.health.HealthState;
import org.umgw.health.HealthTransition;
import org.umgw.model.UmgwException;
import org.umgw.service.TrustService;
import org.umgw.sip.OptionsProber;
import org.umgw.sip.ProbeResult;
import org.umgw.sip.ProberOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code umgw probe ...}: SIP OPTIONS health of every gateway, once or continuously. */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    description =
        "Send SIP OPTIONS to every resolved address of every gateway that is a trusted peer (has"
            + " a hunt group linking it to a dial plan) and is not Disabled, and print its state: Up (accepted answer), Degraded (answered with another code), Down"
            + " (no answer or transport error). --once: one round, then each gateway's state, code"
            + " and round-trip time (--down-after and --up-after default to 1 there, so the round"
            + " decides), and each gateway not probed with why: only trusted peers are probed, so a"
            + " gateway without a hunt group (or Disabled, or whose name resolves to nothing) is"
            + " listed as not probed. Otherwise rounds every --interval, printing one line per gateway state"
            + " change and events 1400 (down) / 1401 (up again). Exit 0 when the round(s) ran,"
            + " whatever the states; 1 when the directory cannot be read; 2"
            + " usage.")
final class ProbeCommand extends DirectoryCommand {
  enum Format {
    text,
    json
  }

  @Mixin DnsOptions dns;

  @Option(
      names = "--once",
      description =
          "One round, print the states, exit. Gateways not probed are named with why (no hunt"
              + " group: not a trusted peer; Disabled; no address).")
  boolean once;

  @Option(
      names = "--format",
      defaultValue = "text",
      paramLabel = "FORMAT",
      description = "text or json (default: ${DEFAULT-VALUE}; continuous json: one object a line).")
  Format format;

  @Mixin ProbeOptions probe;

  @Mixin FeedMixin feedOptions;

  @Mixin MetricsMixin metrics;

  @Option(
      names = "--count",
      paramLabel = "N",
      description = "Without --once: exit after N state changes (default: run until stopped).")
  Integer count;

  @Override
  public Integer call() throws InterruptedException {
    HealthOptions options = probe.healthOptions(once);
    ProberOptions proberOptions = probe.proberOptions();
    if (!once) {
      return watch(proberOptions, options);
    }
    metrics.refuseWith("--once");
    try (TrustListRun run = TrustListRun.build(connection, dns, err());
        OptionsProber prober = open(proberOptions);
        HealthMonitor monitor = new HealthMonitor(prober, options, run.sink)) {
      run.events.forEach(e -> err().println("umgw: " + e));
      List<Event> health = new java.util.concurrent.CopyOnWriteArrayList<>();
      run.sink.addListener(
          e -> {
            if (e.type() == EventId.PEERS_UNHEALTHY
                || e.type() == EventId.PEERS_HEALTHY
                || e.type() == EventId.GATEWAY_CERTIFICATE_EXPIRING) {
              health.add(e);
            }
          });
      monitor.setSnapshot(run.snapshot);
      HealthReport report = monitor.runRound();
      printReport(
          report, health, NotProbed.of(run.read.contents(), run.snapshot.contents(), report));
      return 0;
    }
  }

  /**
   * Keeps probing through {@link TrustService}, so the gateways probed follow the directory live
   * (the same feed as {@code trust-list watch}) and DNS; prints gateway transitions and 1400/1401.
   */
  private Integer watch(ProberOptions proberOptions, HealthOptions options)
      throws InterruptedException {
    PrintWriter out = out();
    CountDownLatch remaining = new CountDownLatch(count == null ? 1 : count);
    try (ConnectionOptions.Directory d = connection.open();
        NameResolver resolver = dns.open(d.embedded() == null ? null : d.embedded().hostsFile())) {
      TrustService service =
          TrustService.builder()
              .directory(d.store().pool())
              .baseDn(d.store().layout().base().toString())
              .resolver(resolver)
              .feedOptions(feedOptions.options())
              .probing(proberOptions, options)
              .build();
      service.addHealthListener(
          t -> {
            if (!t.isGateway()) {
              return;
            }
            synchronized (out) {
              if (format == Format.json) {
                Output.jsonLine(out, view(t));
              } else {
                out.println(t.time() + " " + t);
              }
              out.flush();
            }
            if (count != null) {
              remaining.countDown();
            }
          });
      service.addEventListener(
          e -> {
            if (e.type() != EventId.PEERS_UNHEALTHY && e.type() != EventId.PEERS_HEALTHY) {
              err().println("umgw: " + e);
              err().flush();
              return;
            }
            synchronized (out) {
              if (format == Format.json) {
                Output.jsonLine(out, e.toMap());
              } else {
                out.println(e.time() + " " + e);
              }
              out.flush();
            }
          });
      try (MetricsMixin.Running m = metrics.start(service);
          TrustService running = service.start()) {
        remaining.await();
      }
    }
    return 0;
  }

  private void printReport(HealthReport report, List<Event> events, List<NotProbed> notProbed) {
    PrintWriter out = out();
    if (format == Format.json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("time", report.time().toString());
      doc.put("gateways", report.gateways().stream().map(HealthReport.Gateway::toMap).toList());
      doc.put("notProbed", notProbed.stream().map(NotProbed::toMap).toList());
      doc.put("events", events.stream().map(Event::toMap).toList());
      Output.json(out, doc);
      return;
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (HealthReport.Gateway g : report.gateways()) {
      for (HealthReport.Address a : g.addresses()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("gateway", g.name());
        row.put("state", g.state().name());
        row.put("address", a.address());
        row.put("port", a.port());
        row.put("transport", a.transport().name().toLowerCase(Locale.ROOT));
        row.put("address state", a.state().name());
        row.put("code", a.code().orElse(null));
        row.put(
            "rtt ms", a.rttMillis().map(ms -> String.format(Locale.ROOT, "%.1f", ms)).orElse(null));
        row.put(
            "detail",
            a.last() instanceof ProbeResult.Answered ans ? ans.reason() : a.last().toString());
        rows.add(row);
      }
    }
    Output.table(
        out,
        rows,
        "gateway",
        "state",
        "address",
        "port",
        "transport",
        "address state",
        "code",
        "rtt ms",
        "detail");
    out.println();
    Map<HealthState, Integer> counts = new LinkedHashMap<>();
    for (HealthState s : HealthState.values()) {
      counts.put(s, 0);
    }
    report.gateways().forEach(g -> counts.merge(g.state(), 1, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((s, n) -> parts.add(n + " " + s));
    out.println(report.gateways().size() + " gateways: " + String.join(", ", parts));
    notProbed.forEach(out::println);
    events.forEach(out::println);
  }

  private static Map<String, Object> view(HealthTransition t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", t.time().toString());
    m.put("gateway", t.gateway());
    m.put("from", t.from().name());
    m.put("to", t.to().name());
    m.put("detail", t.detail());
    return m;
  }

  private static OptionsProber open(ProberOptions o) {
    try {
      return OptionsProber.open(o);
    } catch (IOException e) {
      throw new UmgwException("cannot open the SIP probe sockets: " + e.getMessage(), e);
    }
  }
}
