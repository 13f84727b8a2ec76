package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * The process side of a test server harness (slapd, nsd, kamailio), written once: find the binary,
 * pick free loopback ports, start the server in its work directory with its output in a file, retry
 * on a port another process took first, fail fast with the output's tail when it exits, stop it
 * (gracefully or with SIGKILL, children included), and kill it from a JVM shutdown hook. Each
 * harness keeps only what is its own: configuration and how to tell it is ready.
 *
 * <pre>{@code
 * ServerProcess p = new ServerProcess("nsd", workDir, workDir.resolve("nsd.out"));
 * ServerProcess.onFreePorts(5, "bind", () -> port = ServerProcess.freePort(udpAndTcpFree),
 *     () -> { long from = p.start(cmd); p.await(deadline, this::answers, "an answer", from); });
 * p.stop(Duration.ofSeconds(10));
 * }</pre>
 */
public final class ServerProcess {
  private final String name;
  private final Path workDir;
  private final Path output;
  private final Thread shutdownHook;
  private volatile Process process;

  /**
   * @param output the file the process's stdout and stderr are appended to
   */
  public ServerProcess(String name, Path workDir, Path output) {
    this.name = name;
    this.workDir = workDir;
    this.output = output;
    this.shutdownHook = new Thread(this::killTree, name + "-" + workDir.getFileName() + "-reaper");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Finds an executable on PATH or in the sbin directories a non-root PATH may lack. */
  public static Path requireBinary(String binary, String notInstalled) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(":")));
    }
    dirs.addAll(List.of("/usr/local/sbin", "/usr/sbin", "/sbin", "/usr/local/bin", "/usr/bin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, binary);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(notInstalled + " (" + binary + " not found)");
  }

  // --- ports -------------------------------------------------------------------------------

  /** A random high port that {@code free} accepts a moment ago. */
  public static int freePort(IntPredicate free) {
    for (int i = 0; i < 100; i++) {
      int candidate = 20000 + ThreadLocalRandom.current().nextInt(40000);
      if (free.test(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free port found on loopback");
  }

  /** Whether a TCP listener could bind {@code host:port} now. */
  public static boolean tcpFree(String host, int port) {
    try (ServerSocket tcp = new ServerSocket(port, 1, InetAddresses.forString(host))) {
      return tcp.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  /** Whether a UDP socket could bind {@code host:port} now. */
  public static boolean udpFree(String host, int port) {
    try (DatagramSocket udp =
        new DatagramSocket(new InetSocketAddress(InetAddresses.forString(host), port))) {
      return udp.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Picks ports and launches until the server binds them: another process may take a probed port
   * before the server does, which shows as {@code bindError} in the failure.
   */
  public static void onFreePorts(
      int attempts, String bindError, Runnable pickPorts, Runnable launch) {
    for (int attempt = 1; ; attempt++) {
      pickPorts.run();
      try {
        launch.run();
        return;
      } catch (IllegalStateException e) {
        if (attempt >= attempts || e.getMessage() == null || !e.getMessage().contains(bindError)) {
          throw e;
        }
      }
    }
  }

  // --- the process -------------------------------------------------------------------------

  /**
   * Starts {@code cmd} in the work directory, stdin from /dev/null, output appended to the output
   * file.
   *
   * @return the output file's length before the start: where this run's output begins
   */
  public long start(List<String> cmd) {
    try {
      long from = Files.exists(output) ? Files.size(output) : 0;
      process =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      return from;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The main process's PID. */
  public long pid() {
    Process p = process;
    if (p == null || !p.isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    return p.pid();
  }

  /**
   * @throws IllegalStateException naming the exit code and the output since {@code from} when the
   *     process has exited
   */
  public void checkAlive(String context, long from) {
    Process p = process;
    if (p != null && !p.isAlive()) {
      int code = p.exitValue();
      process = null;
      throw new IllegalStateException(
          name + " exited with " + code + " (" + context + ")\n" + tail(from));
    }
  }

  /** A condition polled by {@link #await}; may throw while the server is not ready. */
  @FunctionalInterface
  public interface Probe {
    boolean ready() throws Exception;
  }

  /**
   * Polls {@code ready} every 20 ms until it holds; fails fast if the process exits, and kills it
   * on a timeout.
   *
   * @param what what is awaited, for the message: "an answer on port 4711"
   */
  public void await(long deadlineNanos, Probe ready, String what, long from) {
    String last = "";
    while (true) {
      checkAlive(what, from);
      try {
        if (ready.ready()) {
          return;
        }
      } catch (Exception notYet) {
        last = " (" + notYet + ")";
      }
      if (System.nanoTime() > deadlineNanos) {
        kill();
        throw new IllegalStateException(
            name + " did not give " + what + " in time" + last + "\n" + tail(from));
      }
      sleep(20);
    }
  }

  /**
   * SIGTERM, then SIGKILL after {@code grace}; the children are killed too. Idempotent.
   *
   * @return whether the process exited on SIGTERM within {@code grace} (true when not running)
   */
  public boolean stop(Duration grace) {
    Process p = process;
    if (p == null) {
      return true;
    }
    List<ProcessHandle> children = p.descendants().toList();
    try {
      p.destroy();
      if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return false;
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return false;
    } finally {
      children.forEach(ProcessHandle::destroyForcibly);
      process = null;
    }
  }

  /** SIGKILL to the process and its children, waiting for the process to exit. Idempotent. */
  public void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(name + " " + p.pid() + " did not exit after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted stopping " + name, e);
    } finally {
      process = null;
    }
  }

  /** The end of a harness's {@code close()}: stop first, then this. */
  public void release() {
    TestFiles.release(name, shutdownHook, workDir);
  }

  private void killTree() {
    Process p = process;
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  /** The last 40 lines of the output file from {@code from} on. */
  public String tail(long from) {
    return tail(output, from);
  }

  /** The last 40 lines of {@code file} from {@code from} on, headed by its name. */
  public static String tail(Path file, long from) {
    try {
      if (from < 0 || !Files.exists(file)) {
        return "";
      }
      byte[] all = Files.readAllBytes(file);
      int start = (int) Math.min(from, all.length);
      List<String> lines = new String(all, start, all.length - start, UTF_8).lines().toList();
      return "--- "
          + file
          + " ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))
          + "\n";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")\n";
    }
  }

  /** Sleeps, turning an interrupt into a failure of the wait. */
  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for a test server", e);
    }
  }
}
