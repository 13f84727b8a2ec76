package org.umgw.sync;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.UmgwException;

/**
 * Runs a reload command without a shell: {@code nft -f {file}}, {@code fs_cli -x reloadacl}, {@code
 * asterisk -rx "module reload res_pjsip_endpoint_identifier_ip.so"}. The command line is split into
 * words on spaces; a double-quoted part is one word (quotes removed), so no shell metacharacter is
 * ever interpreted. {@code {file}} in any word is replaced by the file's path. Exit 0 within the
 * timeout is success; anything else fails with the command's output.
 */
public final class CommandReloader implements Reloader {
  private static final Logger LOG = LoggerFactory.getLogger(CommandReloader.class);
  private static final int OUTPUT_LIMIT = 4096;

  private final List<String> words;
  private final Duration timeout;

  /**
   * @throws UmgwException naming the command when it is empty or its quotes are unbalanced
   */
  public CommandReloader(String commandLine, Duration timeout) {
    requireNonNull(commandLine, "commandLine == null");
    try {
      this.words = split(commandLine);
    } catch (IllegalArgumentException e) {
      throw new UmgwException("--reload-command \"" + commandLine + "\": " + e.getMessage(), e);
    }
    this.timeout = requireNonNull(timeout, "timeout == null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new UmgwException("reload command timeout must be positive, not " + timeout);
    }
  }

  /**
   * Splits on spaces and tabs; {@code "..."} is one word.
   *
   * @throws IllegalArgumentException saying what is wrong (an open quote, nothing to run)
   */
  public static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    boolean inWord = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
        inWord = true;
      } else if (!quoted && (c == ' ' || c == '\t')) {
        if (inWord) {
          out.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
      } else {
        word.append(c);
        inWord = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a double quote is not closed");
    }
    if (inWord) {
      out.add(word.toString());
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("empty: name the command to run");
    }
    return List.copyOf(out);
  }

  /** The words run for {@code file}. */
  List<String> command(Path file) {
    String path = file.toAbsolutePath().toString();
    return words.stream().map(w -> w.replace("{file}", path)).toList();
  }

  @Override
  public void reload(Path file) throws ReloadException {
    List<String> cmd = command(file);
    Process p;
    try {
      p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
    } catch (IOException e) {
      throw new ReloadException(
          "cannot run reload command " + String.join(" ", cmd) + ": " + e.getMessage(),
          Duration.ZERO,
          e);
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    Thread reader = new Thread(() -> drain(p.getInputStream(), output), "umgw-reload-output");
    reader.setDaemon(true);
    reader.start();
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new ReloadException(
            "reload command "
                + String.join(" ", cmd)
                + " did not finish within "
                + timeout.toMillis()
                + " ms and was killed"
                + tail(output));
      }
      reader.join(1000);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ReloadException("interrupted running " + String.join(" ", cmd), Duration.ZERO, e);
    }
    if (p.exitValue() != 0) {
      throw new ReloadException(
          "reload command " + String.join(" ", cmd) + " exited " + p.exitValue() + tail(output));
    }
  }

  private static void drain(InputStream in, ByteArrayOutputStream into) {
    byte[] buf = new byte[1024];
    try (in) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        synchronized (into) {
          if (into.size() < OUTPUT_LIMIT) {
            into.write(buf, 0, Math.min(n, OUTPUT_LIMIT - into.size()));
          }
        }
      }
    } catch (IOException e) {
      // The process was killed or closed its output: what was read so far is what it said.
      LOG.debug("reload command output ended: {}", e.toString());
    }
  }

  private static String tail(ByteArrayOutputStream output) {
    String text;
    synchronized (output) {
      text = output.toString(StandardCharsets.UTF_8).strip();
    }
    return text.isEmpty() ? " (no output)" : ": " + text;
  }

  @Override
  public String describe() {
    return "command " + String.join(" ", words);
  }
}
