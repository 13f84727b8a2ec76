package org.umgw.cli;

import java.io.PrintStream;

/**
 * A one-line progress bar on stderr while names resolve, drawn only when stderr is a terminal:
 * nothing reaches a pipe or a log file.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private long lastDraw;
  private boolean drawn;

  private ProgressBar(PrintStream out) {
    this.out = out;
  }

  /** A bar on stderr when the process has a terminal, else one that draws nothing. */
  static ProgressBar forStderr() {
    return new ProgressBar(System.console() != null ? System.err : null);
  }

  synchronized void update(int done, int total) {
    if (out == null || total < 50) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    int filled = (int) ((long) WIDTH * done / total);
    out.print(
        "\rresolving names ["
            + "#".repeat(filled)
            + "-".repeat(WIDTH - filled)
            + "] "
            + done
            + "/"
            + total);
    out.flush();
    drawn = true;
  }

  synchronized void done() {
    if (drawn) {
      out.print("\r\033[K");
      out.flush();
    }
  }
}
