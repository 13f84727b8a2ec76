package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.umgw.testing.ConsumerChecks.ToolResult;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Master;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A real NLnet Labs {@code nsd} (4.6) for DNS integration tests: authoritative for the zones given,
 * on 127.0.0.1 (and optionally ::1) and a free high port, UDP and TCP, in a private temp directory,
 * run as a child process ({@code nsd -d}) and stopped by PID.
 *
 * <pre>{@code
 * try (Nsd nsd = Nsd.start(Map.of("example.test", zoneText))) {
 *   DnsResolver r = DnsResolver.builder().servers(List.of(nsd.address())).build();
 *   ...
 *   nsd.zone("example.test", changedText); // returns once nsd serves the new SOA serial
 * }
 * }</pre>
 *
 * <p>Zones are checked with {@code nsd-checkzone} before nsd sees them (a bad zone fails with its
 * message). {@link #zone} rewrites a zone file and reloads it with {@code nsd-control reload ZONE}
 * over a unix socket in the temp directory (no TLS keys needed); it polls until nsd serves the new
 * serial, so the serial must change. Response rate limiting, compiled into Debian's nsd and 200
 * answers per second by default, is switched off: bulk tests would otherwise see drops. {@link
 * #stop()} and {@link #start()} keep the port, for tests of a server that goes away and comes back.
 *
 * <p>nsd must be installed ({@code .ci/run} does it); a missing binary is an error, never a skipped
 * test. Set {@code -Dumgw.nsd.keep=true} to keep the temp directory after close.
 */
public final class Nsd implements AutoCloseable {
  private static final String NOT_INSTALLED =
      "nsd not installed: run .ci/run or apt-get install nsd";
  private static final String HOST = "127.0.0.1";
  private static final String HOST6 = "::1";
  private static final String PATTERN = "umgw";
  private static final int PORT_ATTEMPTS = 5;
  private static final Duration QUERY_TIMEOUT = Duration.ofMillis(500);

  /** Start-up settings; every setter returns {@code this}. */
  public static final class Builder {
    private final Map<String, String> zones = new LinkedHashMap<>();
    private boolean ipv6;
    private Duration startTimeout = Duration.ofSeconds(15);

    private Builder() {}

    /** Serves this zone ({@code name} with or without the trailing dot; master-file text). */
    public Builder zone(String name, String text) {
      zones.put(zoneName(name), text);
      return this;
    }

    /** Also listens on [::1] with the same port. */
    public Builder ipv6(boolean ipv6) {
      this.ipv6 = ipv6;
      return this;
    }

    /** How long to wait for nsd to serve every zone after each (re)start (default 15 s). */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public Nsd start() {
      Nsd nsd;
      try {
        nsd = new Nsd(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare nsd", e);
      }
      try {
        nsd.launchOnFreePort();
        return nsd;
      } catch (RuntimeException | Error e) {
        nsd.close();
        throw e;
      }
    }
  }

  private final Path nsdBinary;
  private final Path checkzoneBinary;
  private final Path controlBinary;
  private final boolean ipv6;
  private final Duration startTimeout;
  private final Path workDir;
  private final Path zonesDir;
  private final Path config;
  private final Path logFile;
  private final Path outFile;
  private final Map<String, Long> serials = new LinkedHashMap<>();
  private final ServerProcess server;
  private int port;
  private boolean closed;

  private Nsd(Builder b) throws IOException {
    this.nsdBinary = ServerProcess.requireBinary("nsd", NOT_INSTALLED);
    this.checkzoneBinary = ServerProcess.requireBinary("nsd-checkzone", NOT_INSTALLED);
    this.controlBinary = ServerProcess.requireBinary("nsd-control", NOT_INSTALLED);
    this.ipv6 = b.ipv6;
    this.startTimeout = b.startTimeout;
    this.workDir = Files.createTempDirectory("umgw-nsd-").toRealPath();
    this.zonesDir = workDir.resolve("zones");
    this.config = workDir.resolve("nsd.conf");
    this.logFile = workDir.resolve("nsd.log");
    this.outFile = workDir.resolve("nsd.out");
    try {
      Files.createDirectory(zonesDir);
      for (Map.Entry<String, String> z : b.zones.entrySet()) {
        writeZoneFile(z.getKey(), z.getValue());
      }
    } catch (IOException | RuntimeException e) {
      TestFiles.deleteRecursively(workDir);
      throw e;
    }
    this.server = new ServerProcess("nsd", workDir, outFile);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts nsd on 127.0.0.1 serving these zones (name to master-file text). */
  public static Nsd start(Map<String, String> zones) {
    Builder b = builder();
    zones.forEach(b::zone);
    return b.start();
  }

  // --- accessors ---------------------------------------------------------------------------

  /** 127.0.0.1 and the UDP/TCP port. */
  public InetSocketAddress address() {
    return new InetSocketAddress(loopback(HOST), port);
  }

  /** [::1] and the same port, when started with {@link Builder#ipv6(boolean)}. */
  public Optional<InetSocketAddress> ipv6Address() {
    return ipv6 ? Optional.of(new InetSocketAddress(loopback(HOST6), port)) : Optional.empty();
  }

  public int port() {
    return port;
  }

  public Path workDir() {
    return workDir;
  }

  /** nsd's own log (zone loads, reloads, errors); stdout/stderr go to {@code nsd.out} beside it. */
  public Path logFile() {
    return logFile;
  }

  public Path zoneFile(String zone) {
    return zonesDir.resolve(zoneName(zone) + ".zone");
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  /** PID of the main nsd process (it forks a server and a transfer daemon under itself). */
  public long pid() {
    return server.pid();
  }

  // --- zones -------------------------------------------------------------------------------

  /**
   * Replaces (or adds) a zone and, if nsd is running, reloads it and returns once nsd serves the
   * new SOA serial.
   *
   * @throws IllegalArgumentException if nsd-checkzone rejects the text, or the serial of an
   *     existing zone did not change (the reload could not be told from the old data)
   */
  public synchronized void zone(String name, String text) {
    String zone = zoneName(name);
    Long old = serials.get(zone);
    long serial = serialOf(zone, text);
    if (old != null && old == serial) {
      throw new IllegalArgumentException(
          "SOA serial of "
              + zone
              + " must change (still "
              + serial
              + "): the reload is awaited by it");
    }
    try {
      writeZoneFile(zone, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write zone " + zone, e);
    }
    if (!isRunning()) {
      return;
    }
    if (old == null) {
      control("addzone", zone, PATTERN);
    } else {
      control("reload", zone);
    }
    awaitSerial(zone, serial, Duration.ofSeconds(10));
  }

  /**
   * One query straight to this nsd over UDP (short timeout, a few tries), for tests that check what
   * the server itself says.
   */
  public Message query(String name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(address());
    r.setTimeout(QUERY_TIMEOUT);
    Message q =
        Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
    IOException last = null;
    for (int i = 0; i < 3; i++) {
      try {
        return r.send(q);
      } catch (IOException e) {
        last = e;
      }
    }
    throw last;
  }

  /** The SOA serial nsd serves for a zone right now. */
  public long servedSerial(String zone) throws IOException {
    Message m = query(zoneName(zone) + ".", Type.SOA);
    for (Record r : m.getSection(Section.ANSWER)) {
      if (r instanceof SOARecord soa) {
        return soa.getSerial();
      }
    }
    throw new IOException("no SOA for " + zone + " in " + Rcode.string(m.getRcode()) + " answer");
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /** Starts nsd again on the same port after {@link #stop()}; waits until every zone is served. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (isRunning()) {
      return;
    }
    launch();
  }

  /**
   * Stops nsd at once: SIGKILL to the main process and its children (nsd keeps no state here, and a
   * graceful SIGTERM stop takes it about 2 s). Returns when the port is free again: the children's
   * sockets close when they die, but their exit is only seen once init reaps them, which in a
   * container can take a second or more. Idempotent.
   */
  public synchronized void stop() {
    if (!server.isRunning()) {
      server.kill(); // reaps one that exited on its own
      return;
    }
    server.kill();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!portFree(port)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("port " + port + " still in use after stopping nsd");
      }
      ServerProcess.sleep(5);
    }
  }

  /** Stops nsd and deletes the temp directory (unless {@code -Dumgw.nsd.keep=true}). */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stop();
    server.release();
  }

  @Override
  public String toString() {
    return "Nsd[" + HOST + ":" + port + (ipv6 ? ", [::1]:" + port : "") + ", " + workDir + "]";
  }

  private void launchOnFreePort() {
    // Another process may take the probed port before nsd binds it: try another one.
    ServerProcess.onFreePorts(
        PORT_ATTEMPTS, "bind", () -> port = ServerProcess.freePort(this::portFree), this::launch);
  }

  private void launch() {
    List<String> cmd = List.of(nsdBinary.toString(), "-d", "-c", config.toString());
    try {
      writeConfig();
      // Every zone is in nsd.conf now; zones added at run time also sit in the zone list, and a
      // zone configured twice stops nsd.
      Files.deleteIfExists(workDir.resolve("zone.list"));
      long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
      long outStart = server.start(cmd);
      long deadline = System.nanoTime() + startTimeout.toNanos();
      for (Map.Entry<String, Long> z : serials.entrySet()) {
        awaitSerialUntil(z.getKey(), z.getValue(), deadline, logStart, outStart);
      }
      if (serials.isEmpty()) {
        awaitAnyAnswer(deadline, logStart, outStart);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
  }

  private static final int SERIAL_STREAK = 5;

  private void awaitSerial(String zone, long serial, Duration timeout) {
    try {
      long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
      awaitSerialUntil(zone, serial, System.nanoTime() + timeout.toNanos(), logStart, -1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Polls the SOA until nsd serves {@code serial} on {@value #SERIAL_STREAK} queries in a row;
   * fails fast if nsd exits. In a row, because during a reload the old server process still answers
   * from the same socket for a moment, with the old zone.
   */
  private void awaitSerialUntil(
      String zone, long serial, long deadline, long logStart, long outStart) {
    String last = "no answer";
    int streak = 0;
    while (true) {
      checkAlive(logStart, outStart);
      try {
        long served = servedSerial(zone);
        if (served == serial) {
          if (++streak >= SERIAL_STREAK) {
            return;
          }
          ServerProcess.sleep(10);
          continue;
        }
        streak = 0;
        last = "serial " + served;
      } catch (IOException e) {
        streak = 0;
        last = e.toString();
      }
      if (System.nanoTime() > deadline) {
        String why =
            "nsd did not serve "
                + zone
                + " serial "
                + serial
                + " on port "
                + port
                + " ("
                + last
                + ")";
        throw new IllegalStateException(why + "\n" + logsSince(logStart, outStart));
      }
      ServerProcess.sleep(20);
    }
  }

  private void awaitAnyAnswer(long deadline, long logStart, long outStart) {
    server.await(
        deadline,
        () -> query("umgw.invalid.", Type.SOA) != null,
        "an answer on port " + port,
        outStart);
  }

  private void checkAlive(long logStart, long outStart) {
    server.checkAlive("port " + port + "\n" + ServerProcess.tail(logFile, logStart), outStart);
  }

  private String logsSince(long logStart, long outStart) {
    return ServerProcess.tail(logFile, logStart) + ServerProcess.tail(outFile, outStart);
  }

  // --- files -------------------------------------------------------------------------------

  private void writeConfig() throws IOException {
    StringBuilder sb = new StringBuilder("server:\n");
    sb.append("  ip-address: ").append(HOST).append('@').append(port).append('\n');
    if (ipv6) {
      sb.append("  ip-address: ").append(HOST6).append('@').append(port).append('\n');
    }
    sb.append("  do-ip6: ").append(ipv6 ? "yes" : "no").append('\n');
    sb.append("  username: \"\"\n  chroot: \"\"\n  database: \"\"\n");
    sb.append("  zonesdir: ").append(quote(zonesDir)).append('\n');
    sb.append("  zonelistfile: ").append(quote(workDir.resolve("zone.list"))).append('\n');
    sb.append("  pidfile: ").append(quote(workDir.resolve("nsd.pid"))).append('\n');
    sb.append("  xfrdfile: ").append(quote(workDir.resolve("xfrd.state"))).append('\n');
    sb.append("  xfrdir: ").append(quote(workDir)).append('\n');
    sb.append("  logfile: ").append(quote(logFile)).append('\n');
    sb.append("  cookie-secret-file: ").append(quote(workDir.resolve("cookiesecrets.txt")));
    sb.append('\n');
    sb.append("  verbosity: 1\n  server-count: 1\n  hide-version: yes\n");
    sb.append("  zonefiles-write: 0\n  tcp-count: 256\n");
    // Debian builds nsd with response rate limiting (200 answers/s per source by default).
    sb.append("  rrl-ratelimit: 0\n  rrl-whitelist-ratelimit: 0\n");
    sb.append("remote-control:\n  control-enable: yes\n");
    sb.append("  control-interface: ").append(quote(workDir.resolve("nsd.ctl"))).append('\n');
    sb.append("pattern:\n  name: \"").append(PATTERN).append("\"\n  zonefile: \"%s.zone\"\n");
    for (String zone : serials.keySet()) {
      sb.append("zone:\n  name: \"").append(zone).append("\"\n  include-pattern: \"");
      sb.append(PATTERN).append("\"\n");
    }
    Files.writeString(config, sb.toString());
  }

  /** Checks the text with nsd-checkzone, then moves it into place atomically. */
  private void writeZoneFile(String zone, String text) throws IOException {
    long serial = serialOf(zone, text);
    Path candidate = Files.createTempFile(workDir, "zone-", ".candidate");
    try {
      Files.writeString(candidate, text);
      ToolResult check = run(List.of(checkzoneBinary.toString(), zone, candidate.toString()));
      if (check.exitCode() != 0) {
        throw new IllegalArgumentException(
            "nsd-checkzone rejects zone " + zone + ":\n" + check.output().strip());
      }
      Files.move(
          candidate,
          zoneFile(zone),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(candidate);
    }
    serials.put(zone, serial);
  }

  private void control(String... args) {
    List<String> cmd = new ArrayList<>(List.of(controlBinary.toString(), "-c", config.toString()));
    cmd.addAll(List.of(args));
    ToolResult r = run(cmd);
    if (r.exitCode() != 0 || !r.output().contains("ok")) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " -> exit " + r.exitCode() + ": " + r.output());
    }
  }

  /** Runs an nsd tool (30 s at most). */
  private ToolResult run(List<String> cmd) {
    return ConsumerChecks.run(cmd, workDir, Duration.ofSeconds(30));
  }

  /** The SOA serial in a zone's text (which nsd-checkzone requires to be there). */
  private static long serialOf(String zone, String text) {
    try (Master m =
        new Master(
            new ByteArrayInputStream(text.getBytes(UTF_8)), Name.fromString(zone + "."), 3600)) {
      for (Record r = m.nextRecord(); r != null; r = m.nextRecord()) {
        if (r instanceof SOARecord soa) {
          return soa.getSerial();
        }
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("zone " + zone + " does not parse: " + e.getMessage(), e);
    }
    throw new IllegalArgumentException("zone " + zone + " has no SOA record");
  }

  private static String zoneName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (!n.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
      throw new IllegalArgumentException("unsupported zone name for the harness: '" + name + "'");
    }
    try {
      Name.fromString(n + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("bad zone name '" + name + "'", e);
    }
    return n;
  }

  private static String quote(Path p) {
    return '"' + p.toString() + '"';
  }

  private static InetAddress loopback(String literal) {
    try {
      return InetAddress.getByName(literal); // a literal: no lookup
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether UDP and TCP on the loopback address(es) are free on {@code candidate}. */
  private boolean portFree(int candidate) {
    return ServerProcess.udpFree(HOST, candidate)
        && ServerProcess.tcpFree(HOST, candidate)
        && (!ipv6
            || ServerProcess.udpFree(HOST6, candidate) && ServerProcess.tcpFree(HOST6, candidate));
  }
}
