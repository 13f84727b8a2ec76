package org.umgw.console.pages;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.umgw.health.HealthReport;

/** The latest health round by gateway name, built once per round. */
final class Health {
  private static volatile Health last;

  private final HealthReport report;
  private final Map<String, HealthReport.Gateway> byName = new HashMap<>();

  private Health(HealthReport report) {
    this.report = report;
    if (report != null) {
      for (HealthReport.Gateway g : report.gateways()) {
        byName.put(g.name().toLowerCase(Locale.ROOT), g);
      }
    }
  }

  static Health of(HealthReport report) {
    Health h = last;
    if (h == null || h.report != report) {
      h = new Health(report);
      last = h;
    }
    return h;
  }

  HealthReport.Gateway gateway(String name) {
    return byName.get(name.toLowerCase(Locale.ROOT));
  }

  /** "Up · 200 · 1.2 ms" into {@code h}, or "not probed". */
  void cell(Html h, String gateway) {
    HealthReport.Gateway g = gateway(gateway);
    if (g == null) {
      h.el("span", report == null ? "no round yet" : "not probed", "class", "muted");
      return;
    }
    h.el("span", g.state().name(), "class", "health " + g.state().name().toLowerCase(Locale.ROOT));
    HealthReport.Address best = null;
    for (HealthReport.Address a : g.addresses()) {
      if (best == null || a.rttMillis().isPresent() && best.rttMillis().isEmpty()) {
        best = a;
      }
    }
    if (best != null) {
      h.text(
          best.code().map(c -> " · " + c).orElse(" · no answer")
              + best.rttMillis()
                  .map(ms -> String.format(Locale.ROOT, " · %.1f ms", ms))
                  .orElse(""));
    }
  }
}
