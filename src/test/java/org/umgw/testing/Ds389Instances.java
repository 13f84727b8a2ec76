package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The on-disk side of {@link Ds389}: where a 389-DS instance leaves files (outside any directory of
 * ours), stopping the daemon lib389 starts, removing an instance, and sweeping the instances a
 * killed earlier run left behind.
 */
final class Ds389Instances {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  private Ds389Instances() {}

  /**
   * Creates instance {@code name} with lib389 (the script {@code ds389-create.py}), started and
   * listening on {@code port}, its suffix holding only lib389's suffix entry.
   */
  static Slapd.ToolResult create(
      Path workDir, String name, int port, String rootDn, String rootPassword, String suffix) {
    try {
      Path inf = workDir.resolve("instance.inf");
      Files.writeString(
          inf,
          String.join(
              "\n",
              "[general]",
              "full_machine_name = localhost",
              "strict_host_checking = False",
              "selinux = False",
              "systemd = False",
              "start = True",
              "[slapd]",
              "instance_name = " + name,
              "port = " + port,
              "self_sign_cert = False",
              "root_dn = " + rootDn,
              "root_password = " + rootPassword,
              "[backend-userroot]",
              "suffix = " + suffix,
              "create_suffix_entry = True",
              "sample_entries = no",
              ""));
      return lib389(workDir, "ds389-create.py", inf.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the .inf of 389-DS instance " + name, e);
    }
  }

  /**
   * Runs one of the lib389 scripts next to this class with Debian's python (a pyenv python on PATH
   * may lack lib389).
   */
  static Slapd.ToolResult lib389(Path workDir, String script, String... args) {
    try {
      Path copy = workDir.resolve(script);
      try (var in = Ds389Instances.class.getResourceAsStream(script)) {
        if (in == null) {
          throw new IllegalStateException(script + " missing from the test classpath");
        }
        Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
      }
      List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), copy.toString()));
      cmd.addAll(List.of(args));
      return exec(workDir, cmd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    }
  }

  static Path pidFile(String name) {
    return Path.of("/run/dirsrv/slapd-" + name + ".pid");
  }

  /** Every place an instance leaves something; the first one makes it an instance. */
  private static List<Path> instancePaths(String name) {
    String slapdName = "slapd-" + name;
    return List.of(
        Path.of("/etc/dirsrv", slapdName),
        Path.of("/var/lib/dirsrv", slapdName),
        Path.of("/var/log/dirsrv", slapdName),
        Path.of("/run/lock/dirsrv", slapdName),
        Path.of("/dev/shm", slapdName),
        Path.of("/dev/shm", "sem." + slapdName + ".stats"),
        Path.of("/run/dirsrv", slapdName + ".pid"),
        Path.of("/run/dirsrv", slapdName + ".stats"),
        Path.of("/run", slapdName + ".socket"));
  }

  /** Stops a daemonised ns-slapd of this instance (lib389's), waiting for it to exit. */
  static void stopDaemon(String name) {
    ProcessHandle.of(readPid(name))
        .filter(ProcessHandle::isAlive)
        .filter(h -> h.info().command().map(c -> c.endsWith("ns-slapd")).orElse(false))
        .ifPresent(
            h -> {
              h.destroy();
              try {
                h.onExit().get(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                h.destroyForcibly();
              }
            });
  }

  private static long readPid(String name) {
    try {
      return Long.parseLong(Files.readString(pidFile(name)).strip());
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  static void removeInstance(String name) {
    for (Path p : instancePaths(name)) {
      if (Files.isDirectory(p)) {
        TestFiles.deleteRecursively(p);
      } else {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove " + p + " of 389-DS instance " + name, e);
        }
      }
    }
  }

  /**
   * Removes instances a killed earlier run left behind: named {@code prefix}*, with no live
   * ns-slapd and older than a creation takes (another JVM may be creating one right now).
   */
  static void sweepLeftovers(String prefix) {
    Path etc = Path.of("/etc/dirsrv");
    if (!Files.isDirectory(etc)) {
      return;
    }
    Instant old = Instant.now().minus(Duration.ofMinutes(5));
    try (Stream<Path> dirs = Files.list(etc)) {
      for (Path dir : dirs.toList()) {
        String file = dir.getFileName().toString();
        if (!file.startsWith("slapd-" + prefix)) {
          continue;
        }
        String leftover = file.substring("slapd-".length());
        boolean running =
            ProcessHandle.of(readPid(leftover)).map(ProcessHandle::isAlive).orElse(false);
        FileTime modified = Files.getLastModifiedTime(dir);
        if (!running && modified.toInstant().isBefore(old)) {
          removeInstance(leftover);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + etc, e);
    }
  }

  /** Runs a command in {@code workDir}, stdin from /dev/null, for at most 3 minutes. */
  static Slapd.ToolResult exec(Path workDir, List<String> cmd) {
    try {
      Path out = Files.createTempFile(workDir, "tool-", ".out");
      Path err = Files.createTempFile(workDir, "tool-", ".err");
      Process p =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      if (!p.waitFor(3, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + cmd);
      }
      Slapd.ToolResult r =
          new Slapd.ToolResult(
              cmd, p.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }
}
