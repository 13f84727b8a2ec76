package org.umgw.console.pages;

import java.util.List;
import java.util.Locale;
import org.umgw.console.live.LiveState;

/**
 * A gateway's recent probe rounds as a small inline SVG bar chart (one bar per round, its height
 * the round-trip time, its class the health state; a round without an answer is a full-height Down
 * bar), with a text summary for screen readers and for anyone who would rather read figures.
 */
final class ProbeChart {
  private static final int W = 360;
  private static final int H = 80;

  private ProbeChart() {}

  static void render(Html h, List<LiveState.Sample> samples) {
    if (samples.isEmpty()) {
      h.el("p", "No probe round yet.", "class", "muted");
      return;
    }
    double max = 0;
    double sum = 0;
    int answered = 0;
    for (LiveState.Sample s : samples) {
      if (s.rttMillis() != null) {
        max = Math.max(max, s.rttMillis());
        sum += s.rttMillis();
        answered++;
      }
    }
    String summary =
        samples.size()
            + " rounds, "
            + answered
            + " answered"
            + (answered == 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; round trip average %.1f ms, highest %.1f ms",
                    sum / answered,
                    max));
    double scale = max <= 0 ? 1 : max;
    double bar = (double) W / Math.max(samples.size(), 30);
    h.open("figure", "class", "chart");
    h.open(
        "svg",
        "xmlns",
        "http://www.w3.org/2000/svg",
        "viewBox",
        "0 0 " + W + " " + H,
        "width",
        String.valueOf(W),
        "height",
        String.valueOf(H),
        "role",
        "img",
        "aria-label",
        "Probe history: " + summary);
    h.empty(
        "line",
        "x1",
        "0",
        "y1",
        String.valueOf(H - 0.5),
        "x2",
        String.valueOf(W),
        "y2",
        String.valueOf(H - 0.5),
        "class",
        "axis");
    h.close("line");
    for (int i = 0; i < samples.size(); i++) {
      LiveState.Sample s = samples.get(i);
      double height = s.rttMillis() == null ? H - 2 : Math.max(2, (H - 4) * s.rttMillis() / scale);
      String state = s.state().name().toLowerCase(Locale.ROOT);
      h.open(
          "rect",
          "x",
          fmt(i * bar + 1),
          "y",
          fmt(H - height - 1),
          "width",
          fmt(Math.max(1, bar - 2)),
          "height",
          fmt(height),
          "class",
          "bar " + state);
      h.el(
          "title",
          s.time()
              + ": "
              + s.state()
              + (s.code() == null ? ", no answer" : ", " + s.code())
              + (s.rttMillis() == null
                  ? ""
                  : String.format(Locale.ROOT, ", %.1f ms", s.rttMillis())));
      h.close("rect");
    }
    h.close("svg");
    h.el("figcaption", summary);
    h.close("figure");
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
