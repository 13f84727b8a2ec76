package org.umgw.export;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Child process of {@link ExportCrashTest}: replaces a file with a large content streamed slowly
 * through {@link AtomicFileWriter}, announcing on stdout when it is in the middle, so the parent
 * can kill it there.
 */
public final class SlowWriter {
  private SlowWriter() {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    AtomicFileWriter.write(
        target,
        out -> {
          for (int i = 0; i < 200; i++) {
            out.write(("new line " + i + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (i == 100) {
              System.out.println("MIDDLE");
              System.out.flush();
            }
            try {
              Thread.sleep(5);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return;
            }
          }
        });
    System.out.println("DONE");
  }
}
