package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.umgw.testing.ConsumerChecks.ToolResult;

/**
 * sipp (3.6, Debian package sip-tester) as a one-shot UAC: sends ONE SIP OPTIONS over UDP from a
 * chosen loopback source address to a loopback target and reports the final response, e.g. to ask
 * {@link Kamailio} whether it trusts a source.
 *
 * <pre>{@code
 * int code = Sipp.options("127.0.0.2", kamailio.address()); // 200 trusted, 403 not
 * }</pre>
 *
 * <p>Every address of 127.0.0.0/8 is local on Linux, so sipp can bind any of them ({@code -i},
 * {@code -p} a free port on it); its control and media sockets are bound there too ({@code -ci},
 * {@code -mi}). Only loopback sources and targets are accepted. The scenario retransmits the
 * request every 500 ms and expects a 200 or a 403; another final code makes sipp count the call as
 * failed, but the code is still read from sipp's message trace and returned: the result is whatever
 * came back first with a code of 200 or more. Each call works in its own temp directory (scenario,
 * trace, logs), removed afterwards.
 *
 * <p>sipp must be installed ({@code .ci/run} does it); a missing binary is an error, never a
 * skipped test.
 */
public final class Sipp {
  private static final String NOT_INSTALLED =
      "sipp not installed: run .ci/run or apt-get install sip-tester";
  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  private static final int PORT_ATTEMPTS = 5;
  private static final Pattern STATUS_LINE = Pattern.compile("^SIP/2\\.0 (\\d{3})(?: (.*))?$");

  private static final String SCENARIO =
      """
      <?xml version="1.0" encoding="ISO-8859-1" ?>
      <!-- umgw: one OPTIONS, the final response is read from the message trace. -->
      <scenario name="umgw options">
        <send retrans="500">
          <![CDATA[
      OPTIONS sip:probe@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:umgw@[local_ip]:[local_port]>;tag=[pid]-[call_number]
      To: <sip:probe@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 OPTIONS
      Contact: <sip:umgw@[local_ip]:[local_port]>
      Max-Forwards: 70
      Accept: application/sdp
      Content-Length: 0

          ]]>
        </send>
        <recv response="100" optional="true"/>
        <recv response="200" optional="true" next="done"/>
        <recv response="403"/>
        <label id="done"/>
      </scenario>
      """;

  private Sipp() {}

  /** The final response: its code, the status line and the whole message as sipp traced it. */
  public record Reply(int code, String statusLine, String message) {}

  /**
   * Sends one OPTIONS from {@code sourceIp} to {@code target} over UDP and returns the final status
   * code (10 s overall timeout).
   *
   * @throws IllegalArgumentException if either address is not a loopback IP literal of one family
   * @throws IllegalStateException with sipp's output when no final response came back
   */
  public static int options(String sourceIp, InetSocketAddress target) {
    return optionsReply(sourceIp, target, DEFAULT_TIMEOUT).code();
  }

  /** {@link #options(String, InetSocketAddress)} with the whole final response. */
  public static Reply optionsReply(String sourceIp, InetSocketAddress target, Duration timeout) {
    Path sipp = ConsumerChecks.requireBinary("sipp", NOT_INSTALLED);
    InetAddress source = loopbackLiteral(sourceIp, "source");
    InetAddress dest = target.getAddress();
    if (target.isUnresolved() || dest == null || !dest.isLoopbackAddress()) {
      throw new IllegalArgumentException("target must be a loopback address: " + target);
    }
    if ((source instanceof Inet6Address) != (dest instanceof Inet6Address)) {
      throw new IllegalArgumentException(
          "source " + sourceIp + " and target " + target + " differ");
    }
    long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
    Path dir;
    try {
      dir = Files.createTempDirectory("umgw-sipp-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a sipp work directory", e);
    }
    try {
      Path scenario = dir.resolve("options.xml");
      Files.writeString(scenario, SCENARIO, UTF_8);
      String src = InetAddresses.toAddrString(source);
      String to = InetAddresses.toUriString(dest) + ":" + target.getPort();
      for (int attempt = 1; ; attempt++) {
        Path trace = dir.resolve("messages-" + attempt + ".log");
        Path errors = dir.resolve("errors-" + attempt + ".log");
        List<String> cmd =
            new ArrayList<>(
                List.of(
                    sipp.toString(),
                    "-sf",
                    scenario.toString(),
                    "-t",
                    "u1",
                    "-i",
                    src,
                    "-p",
                    Integer.toString(freeUdpPort(source)),
                    "-ci",
                    src,
                    "-mi",
                    src,
                    "-nostdin",
                    "-m",
                    "1",
                    "-l",
                    "1",
                    "-timeout",
                    seconds + "s",
                    "-timeout_error",
                    "-trace_msg",
                    "-message_file",
                    trace.toString(),
                    "-trace_err",
                    "-error_file",
                    errors.toString(),
                    to));
        ToolResult r = ConsumerChecks.run(cmd, dir, Duration.ofSeconds(seconds + 15));
        String traced = Files.exists(trace) ? Files.readString(trace, UTF_8) : "";
        Reply reply = finalReply(traced);
        if (reply != null) {
          return reply;
        }
        String errs = Files.exists(errors) ? Files.readString(errors, UTF_8) : "";
        String all = r.output() + errs;
        if (attempt < PORT_ATTEMPTS && all.contains("Address already in use")) {
          continue; // the probed port was taken before sipp bound it
        }
        throw new IllegalStateException(
            "sipp got no final response from "
                + to
                + " (source "
                + src
                + ", exit "
                + r.exitCode()
                + ")\n$ "
                + String.join(" ", cmd)
                + "\n--- sipp output ---\n"
                + tail(r.output(), 4000)
                + "\n--- errors ---\n"
                + tail(errs, 4000)
                + "\n--- message trace ---\n"
                + tail(traced, 4000));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("sipp run failed", e);
    } finally {
      TestFiles.deleteRecursively(dir);
    }
  }

  /**
   * Starts sipp as a UAS on {@code ip:port} that answers every OPTIONS with {@code code}: a
   * stand-in SIP gateway for health probes. Stop it with {@link Uas#close()} (kills the process by
   * PID).
   *
   * <pre>{@code
   * try (Sipp.Uas gw = Sipp.uas("127.0.0.1", 0, "u1", 200)) { probe(gw.address()); }
   * }</pre>
   *
   * @param port 0 for a free port
   * @param transport {@code u1} (UDP) or {@code t1} (TCP)
   * @throws IllegalArgumentException if the address is not a loopback literal or the transport or
   *     code is not supported
   * @throws IllegalStateException with sipp's output when it does not come up within 10 s
   */
  public static Uas uas(String ip, int port, String transport, int code) {
    Path sipp = ConsumerChecks.requireBinary("sipp", NOT_INSTALLED);
    InetAddress local = loopbackLiteral(ip, "UAS address");
    if (!transport.equals("u1") && !transport.equals("t1")) {
      throw new IllegalArgumentException("sipp UAS transport is u1 or t1, not: " + transport);
    }
    if (code < 200 || code > 699) {
      throw new IllegalArgumentException("sipp UAS answers with a final code 200..699: " + code);
    }
    boolean tcp = transport.equals("t1");
    Path dir;
    try {
      dir = Files.createTempDirectory("umgw-sipp-uas-");
      Path scenario = dir.resolve("uas.xml");
      Files.writeString(scenario, uasScenario().replace("@STATUS@", code + " " + reason(code)));
      for (int attempt = 1; ; attempt++) {
        int p = port != 0 ? port : tcp ? freeTcpPort(local) : freeUdpPort(local);
        String src = InetAddresses.toAddrString(local);
        List<String> cmd =
            List.of(
                sipp.toString(),
                "-sf",
                scenario.toString(),
                "-t",
                transport,
                "-i",
                src,
                "-p",
                Integer.toString(p),
                "-ci",
                src,
                "-mi",
                src,
                "-nostdin",
                "-max_socket",
                "5000",
                "-trace_err",
                "-error_file",
                dir.resolve("errors.log").toString());
        Path log = dir.resolve("sipp-" + attempt + ".out");
        Process proc =
            new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        Uas uas = new Uas(proc, new InetSocketAddress(local, p), dir, transport);
        long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (proc.isAlive() && !bound(local, p, tcp) && System.nanoTime() < until) {
          Thread.sleep(20);
        }
        if (proc.isAlive() && bound(local, p, tcp)) {
          return uas;
        }
        String out = Files.exists(log) ? Files.readString(log, UTF_8) : "";
        uas.close(false);
        if (port == 0 && attempt < PORT_ATTEMPTS && out.contains("already in use")) {
          continue;
        }
        TestFiles.deleteRecursively(dir);
        throw new IllegalStateException(
            "sipp UAS did not come up on "
                + src
                + ":"
                + p
                + "\n$ "
                + String.join(" ", cmd)
                + "\n"
                + tail(out, 4000));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start sipp", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting sipp", e);
    }
  }

  /** A running sipp UAS; {@link #close()} kills it and removes its work directory. */
  public static final class Uas implements AutoCloseable {
    private final Process process;
    private final InetSocketAddress address;
    private final Path dir;
    private final String transport;

    private Uas(Process process, InetSocketAddress address, Path dir, String transport) {
      this.process = process;
      this.address = address;
      this.dir = dir;
      this.transport = transport;
    }

    public InetSocketAddress address() {
      return address;
    }

    public long pid() {
      return process.pid();
    }

    public String transport() {
      return transport;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Kills sipp and removes its work directory; idempotent. */
    @Override
    public void close() {
      close(true);
    }

    private void close(boolean removeDir) {
      process.destroyForcibly(); // SIGKILL to this PID only; a no-op once it is gone
      try {
        process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (removeDir && Files.exists(dir)) {
        TestFiles.deleteRecursively(dir);
      }
    }
  }

  /** src/test/resources/sipp/options-uas.xml, shared with bench/probe.sh. */
  private static String uasScenario() {
    try (var in = Sipp.class.getResourceAsStream("/sipp/options-uas.xml")) {
      if (in == null) {
        throw new IllegalStateException("sipp/options-uas.xml missing from the test classpath");
      }
      return new String(in.readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String reason(int code) {
    return switch (code) {
      case 200 -> "OK";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 480 -> "Temporarily Unavailable";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      default -> "Status " + code;
    };
  }

  /** True once something holds the port (our own bind attempt fails). */
  private static boolean bound(InetAddress local, int port, boolean tcp) {
    try {
      if (tcp) {
        try (java.net.ServerSocket s = new java.net.ServerSocket()) {
          s.bind(new InetSocketAddress(local, port));
        }
      } else {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, port))) {
          // bound: nobody else holds it
        }
      }
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static int freeTcpPort(InetAddress local) {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, local)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a TCP port on " + local, e);
    }
  }

  /** The first received message with a status code of 200 or more in a sipp message trace. */
  static Reply finalReply(String trace) {
    String[] blocks = trace.split("(?m)^-{20,}.*$");
    for (String block : blocks) {
      String[] lines = block.strip().split("\r?\n", -1);
      if (lines.length < 2 || !lines[0].contains("message received")) {
        continue;
      }
      int i = 1;
      while (i < lines.length && lines[i].isBlank()) {
        i++;
      }
      if (i == lines.length) {
        continue;
      }
      Matcher m = STATUS_LINE.matcher(lines[i].strip());
      if (m.matches() && Integer.parseInt(m.group(1)) >= 200) {
        String message = String.join("\n", List.of(lines).subList(i, lines.length)).strip();
        return new Reply(Integer.parseInt(m.group(1)), lines[i].strip(), message);
      }
    }
    return null;
  }

  private static InetAddress loopbackLiteral(String ip, String what) {
    InetAddress a;
    try {
      a = InetAddresses.forString(ip); // a literal: never a lookup
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " must be an IP literal: " + ip, e);
    }
    if (!a.isLoopbackAddress()) {
      throw new IllegalArgumentException(what + " must be a loopback address: " + ip);
    }
    return a;
  }

  private static int freeUdpPort(InetAddress local) {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a UDP port on " + local, e);
    }
  }

  private static String tail(String s, int max) {
    return s.length() <= max ? s : "..." + s.substring(s.length() - max);
  }
}
