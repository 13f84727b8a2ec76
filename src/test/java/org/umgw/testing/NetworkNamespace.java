package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of its own ({@code ip netns add}), so a test can load nftables rules and sets
 * without touching the host's ruleset; {@link #close()} deletes it with everything in it.
 *
 * <pre>{@code
 * try (NetworkNamespace ns = NetworkNamespace.create()) {
 *   ns.exec("nft", "-f", file.toString()).assertOk();
 *   String set = ns.exec("nft", "list", "set", "inet", "umgw", "trusted_peers_v4").output();
 * }
 * }</pre>
 *
 * <p>Needs root (or CAP_SYS_ADMIN and CAP_NET_ADMIN), {@code ip} and {@code nft}; a missing binary
 * or a refused {@code ip netns add} fails the test, never skips it.
 */
public final class NetworkNamespace implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** Exit code and the merged stdout and stderr. */
  public record Result(List<String> command, int exitCode, String output) {
    public Result assertOk() {
      if (exitCode != 0) {
        throw new IllegalStateException(
            String.join(" ", command) + " -> exit " + exitCode + ": " + output.strip());
      }
      return this;
    }
  }

  private final Path ip;
  private final String name;
  private boolean closed;

  private NetworkNamespace(Path ip, String name) {
    this.ip = ip;
    this.name = name;
  }

  /** A new namespace {@code umgw-test-RANDOM}, its loopback up. */
  public static NetworkNamespace create() {
    Path ip = ServerProcess.requireBinary("ip", "ip not installed: apt-get install iproute2");
    ServerProcess.requireBinary(
        "nft", "nft not installed: run .ci/run or apt-get install nftables");
    String name = "umgw-test-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    Result add = run(List.of(ip.toString(), "netns", "add", name));
    if (add.exitCode() != 0) {
      throw new AssertionError(
          "cannot create a network namespace (needs root or CAP_SYS_ADMIN): " + add.output());
    }
    NetworkNamespace ns = new NetworkNamespace(ip, name);
    try {
      ns.exec("ip", "link", "set", "lo", "up").assertOk();
      return ns;
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  /** The words that run a command inside: {@code ip netns exec NAME}. */
  public List<String> prefix() {
    return List.of(ip.toString(), "netns", "exec", name);
  }

  /** Runs {@code command} inside the namespace. */
  public Result exec(String... command) {
    List<String> cmd = new ArrayList<>(prefix());
    cmd.addAll(List.of(command));
    return run(cmd);
  }

  private static Result run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + TIMEOUT);
      }
      return new Result(cmd, p.exitValue(), new String(out, UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }

  /** Deletes the namespace and its ruleset. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    run(List.of(ip.toString(), "netns", "delete", name)).assertOk();
  }

  @Override
  public String toString() {
    return "netns " + name;
  }
}
