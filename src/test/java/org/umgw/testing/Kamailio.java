package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.umgw.testing.ConsumerChecks.ToolResult;

/**
 * A real Kamailio (5.6) that admits SIP requests by the {@code permissions} module's address file,
 * the way our users consume the {@code kamailio} trust-list export: on 127.0.0.1 (and optionally
 * [::1]) and a free high UDP port, in a private temp directory, as a child process ({@code kamailio
 * -DD -E}: the main process stays in the foreground and is the {@link Process} we hold; it forks
 * one UDP worker, a timer and the ctl RPC process) stopped by PID.
 *
 * <pre>{@code
 * Files.writeString(addressFile, "1 127.0.0.2 32 0 gw1\n");
 * try (Kamailio k = Kamailio.start(addressFile)) {
 *   assertThat(Sipp.options("127.0.0.2", k.address())).isEqualTo(200); // listed source
 *   assertThat(Sipp.options("127.0.0.3", k.address())).isEqualTo(403); // unlisted source
 *   Files.writeString(addressFile, "1 127.0.0.3 32 0 gw1\n");
 *   k.reloadAddresses(); // RPC permissions.addressReload; throws unless "Reload OK"
 * }
 * }</pre>
 *
 * <p>The routing script answers every request (other than ACK) statelessly: 200 OK when {@code
 * allow_source_address("GROUP")} admits the source address (group 1 unless set), else 403
 * Forbidden. Modules are loaded in the order tm, sl, permissions, ctl; the ctl module serves binrpc
 * on a unix socket in the temp directory for {@code kamcmd}.
 *
 * <p>The address file must exist when Kamailio starts (a missing file, or a line Kamailio refuses
 * such as mask 33, stops it: {@link #start} throws with its log); an empty file or one with only
 * comments loads an empty list. A reload that fails keeps the previous list, and kamcmd exits 0
 * even then: {@link #reloadAddresses()} checks the reply instead.
 *
 * <p>{@code reload_delta} (Kamailio's rate limit of one address reload per N seconds, default 5
 * there) is 0 here unless set, so a test can reload at once; reloads through this object are
 * serialized, since two concurrent reloads can crash Kamailio.
 *
 * <p>With {@link KamailioBuilder#tls} it also listens for SIP over TLS ({@link KamailioTls}).
 *
 * <p>With {@link KamailioBuilder#jsonRpc(boolean)} it also serves JSON-RPC over HTTP ({@code
 * jsonrpcs} over {@code xhttp}, on a TCP port of its own: {@link #jsonRpcUrl()}), as {@code umgw
 * trust-list sync --kamailio-rpc} uses it. {@link #stopServer()} and {@link #restart()} stop it and
 * start it again on the same ports, reading the address file anew, as after a crash or an upgrade.
 *
 * <p>kamailio and kamcmd must be installed ({@code .ci/run} does it); a missing binary is an error,
 * never a skipped test. Set {@code -Dumgw.kamailio.keep=true} to keep the temp directory.
 */
public final class Kamailio implements AutoCloseable {
  private static final String NOT_INSTALLED =
      "kamailio not installed: run .ci/run or apt-get install kamailio";
  private static final String HOST = KamailioConfig.HOST;
  private static final String HOST6 = KamailioConfig.HOST6;
  private static final int PORT_ATTEMPTS = 5;

  private final Path kamailioBinary;
  private final Path addressFile;
  private final int group;
  private final boolean ipv6;
  private final boolean jsonRpc;
  private final Duration startTimeout;
  private final Path workDir;
  private final Path config;
  private final Path ctlSocket;
  private final Path pidFile;
  private final Path logFile;
  private final ServerProcess server;
  private final KamailioTls tls;
  private final KamailioConfig settings;
  private final KamailioRpc rpc;
  private int port;
  private int tlsPort;
  private int httpPort;
  private boolean closed;

  private Kamailio(KamailioBuilder b) throws IOException {
    this.kamailioBinary = ServerProcess.requireBinary("kamailio", NOT_INSTALLED);
    Path kamcmdBinary = ServerProcess.requireBinary("kamcmd", NOT_INSTALLED);
    Path modulesDir = KamailioConfig.modulesDir(NOT_INSTALLED);
    this.addressFile = b.addressFile.toAbsolutePath().normalize();
    KamailioConfig.checkCfgString(addressFile.toString());
    this.group = b.group;
    this.ipv6 = b.ipv6;
    this.jsonRpc = b.jsonRpc;
    this.startTimeout = b.startTimeout;
    this.tls = b.tls;
    if (tls != null) {
      tls.check(modulesDir);
    }
    this.workDir = Files.createTempDirectory("umgw-kamailio-").toRealPath();
    this.config = workDir.resolve("kamailio.cfg");
    this.ctlSocket = workDir.resolve("kamailio_ctl");
    this.pidFile = workDir.resolve("kamailio.pid");
    this.logFile = workDir.resolve("kamailio.log");
    this.server = new ServerProcess("kamailio", workDir, logFile);
    this.settings =
        new KamailioConfig(
            modulesDir,
            addressFile,
            group,
            ipv6,
            b.reloadDelta,
            jsonRpc,
            tls,
            ctlSocket,
            workDir.resolve("tls.cfg"));
    this.rpc = new KamailioRpc(kamcmdBinary, ctlSocket, workDir);
  }

  public static KamailioBuilder builder() {
    return new KamailioBuilder();
  }

  /** {@link KamailioBuilder#start()}. */
  static Kamailio start(KamailioBuilder settings) {
    Kamailio k;
    try {
      k = new Kamailio(settings);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare kamailio", e);
    }
    try {
      k.launchOnFreePort();
      return k;
    } catch (RuntimeException | Error e) {
      k.close();
      throw e;
    }
  }

  /** Starts Kamailio on 127.0.0.1 admitting group 1 of this address file. */
  public static Kamailio start(Path addressFile) {
    return builder().addressFile(addressFile).start();
  }

  /** Starts Kamailio on 127.0.0.1 admitting this group of the address file. */
  public static Kamailio start(Path addressFile, int group) {
    return builder().addressFile(addressFile).group(group).start();
  }

  /**
   * {@code kamailio -c -f CFG}: Kamailio's own syntax check of a config file. It does not read the
   * permissions address file, so it proves nothing about one; start a server for that.
   */
  public static ToolResult check(Path cfg) {
    Path binary = ServerProcess.requireBinary("kamailio", NOT_INSTALLED);
    Path abs = cfg.toAbsolutePath();
    Path dir = abs.getParent() == null ? Path.of("/") : abs.getParent();
    return ConsumerChecks.run(
        List.of(binary.toString(), "-c", "-f", abs.toString()), dir, KamailioRpc.TIMEOUT);
  }

  // --- accessors ---------------------------------------------------------------------------

  /** 127.0.0.1 and the UDP port. */
  public InetSocketAddress address() {
    return new InetSocketAddress(literal(HOST), port);
  }

  /** [::1] and the same port, when started with {@link KamailioBuilder#ipv6(boolean)}. */
  public Optional<InetSocketAddress> ipv6Address() {
    return ipv6 ? Optional.of(new InetSocketAddress(literal(HOST6), port)) : Optional.empty();
  }

  /** The TLS listener (127.0.0.1), when built with {@link KamailioBuilder#tls}. */
  public InetSocketAddress tlsAddress() {
    if (tls == null) {
      throw new IllegalStateException("kamailio was started without TLS");
    }
    return new InetSocketAddress(literal(tls.host()), tlsPort);
  }

  public int port() {
    return port;
  }

  /**
   * {@code http://127.0.0.1:PORT/RPC}, Kamailio's JSON-RPC endpoint, when started with {@link
   * KamailioBuilder#jsonRpc(boolean)}.
   */
  public String jsonRpcUrl() {
    if (!jsonRpc) {
      throw new IllegalStateException("kamailio was started without jsonRpc(true)");
    }
    return "http://" + HOST + ":" + httpPort + "/RPC";
  }

  public int group() {
    return group;
  }

  public Path addressFile() {
    return addressFile;
  }

  public Path workDir() {
    return workDir;
  }

  /** The generated kamailio.cfg. */
  public Path config() {
    return config;
  }

  /** Kamailio's stderr log ({@code -E}, debug level 2). */
  public Path logFile() {
    return logFile;
  }

  /** Everything Kamailio has logged so far. */
  public String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile, UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isRunning() {
    return server.isRunning();
  }

  /** PID of the main Kamailio process (the one in the pid file; its workers are its children). */
  public long pid() {
    return server.pid();
  }

  /** {@link #check(Path)} of the generated config. */
  public ToolResult checkConfig() {
    return check(config);
  }

  // --- RPC ---------------------------------------------------------------------------------

  /**
   * Re-reads the address file ({@code permissions.addressReload}) and returns once Kamailio uses
   * the new list.
   *
   * @throws IllegalStateException when Kamailio refuses the file (it then keeps the old list) or
   *     rate-limits the reload, with the reply and what Kamailio logged meanwhile
   */
  public synchronized void reloadAddresses() {
    requireRunning();
    rpc.reload(addressFile, this::log);
  }

  /**
   * Every entry Kamailio holds now, from {@code permissions.addressDump}, {@code subnetDump} and
   * {@code domainDump}, in that order. Kamailio's address-file parser is lenient: a line it cannot
   * read as an IP entry is not an error but lands somewhere else ({@code 192.0.2.10/32} and host
   * names become string-matched domain entries that never match a source IP; a non-numeric group
   * turns the line into a domain entry of group 0; a non-numeric mask or port is taken as the tag),
   * so this is the only place to see whether every exported line became the intended IP entry. A
   * test of an export should assert that each exported peer is an {@link
   * KamailioEntry.Table#ADDRESS} entry of its group and that nothing landed in {@link
   * KamailioEntry.Table#DOMAIN}.
   */
  public synchronized List<KamailioEntry> addresses() {
    requireRunning();
    return rpc.addresses();
  }

  /**
   * Runs {@code kamcmd -s unix:CTL METHOD PARAMS...} and returns its output.
   *
   * @throws IllegalStateException if kamcmd fails or Kamailio answers with an RPC error
   */
  public String rpc(String method, String... params) {
    requireRunning();
    return rpc.call(method, params);
  }

  private void requireRunning() {
    if (!isRunning()) {
      throw new IllegalStateException("kamailio is not running");
    }
  }

  // --- lifecycle ---------------------------------------------------------------------------

  /**
   * Stops Kamailio: SIGTERM to the main process, which stops its workers; SIGKILL to all of them if
   * that has not worked within 5 s. Removes the temp directory (unless {@code
   * -Dumgw.kamailio.keep=true}); the address file is the caller's and stays. Idempotent.
   */
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
    return "Kamailio[udp:"
        + HOST
        + ":"
        + port
        + (ipv6 ? ", udp:[::1]:" + port : "")
        + ", group "
        + group
        + ", "
        + addressFile
        + "]";
  }

  private void stop() {
    server.stop(Duration.ofSeconds(5));
  }

  /**
   * Stops Kamailio (SIGTERM, as {@link #close()}) without releasing anything: the ports and the
   * address file stay, for {@link #restart()}. A client of the RPC sees connections refused.
   */
  public synchronized void stopServer() {
    stop();
  }

  /**
   * Starts Kamailio again on the same ports with the same config (stopping it first if it runs): it
   * loads the address file as it is now, as after a crash or a package upgrade.
   */
  public synchronized void restart() {
    if (closed) {
      throw new IllegalStateException("kamailio was closed");
    }
    stop();
    launch();
  }

  private void launchOnFreePort() {
    // Another process may take the probed port before Kamailio binds it: try another one.
    ServerProcess.onFreePorts(
        PORT_ATTEMPTS,
        "Address already in use",
        () -> {
          port =
              ServerProcess.freePort(
                  p ->
                      ServerProcess.udpFree(HOST, p) && (!ipv6 || ServerProcess.udpFree(HOST6, p)));
          if (tls != null) {
            tlsPort =
                tls.listen() != null
                    ? tls.listen().getPort()
                    : ServerProcess.freePort(p -> p != port && ServerProcess.tcpFree(HOST, p));
          }
          if (jsonRpc) {
            httpPort =
                ServerProcess.freePort(
                    p -> p != port && p != tlsPort && ServerProcess.tcpFree(HOST, p));
          }
        },
        this::launch);
  }

  private void launch() {
    List<String> cmd =
        List.of(
            kamailioBinary.toString(),
            "-DD",
            "-E",
            "-f",
            config.toString(),
            "-Y",
            workDir.toString(),
            "-P",
            pidFile.toString(),
            "-w",
            workDir.toString(),
            "-m",
            "32",
            "-M",
            "8");
    try {
      Files.writeString(config, settings.render(new KamailioConfig.Ports(port, tlsPort, httpPort)));
      if (tls != null) {
        Files.writeString(settings.tlsConfig(), tls.profiles());
      }
      Files.deleteIfExists(ctlSocket);
      Files.deleteIfExists(logFile);
      server.start(cmd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
    long deadline = System.nanoTime() + startTimeout.toNanos();
    SipReadiness.await(
        "kamailio",
        new InetSocketAddress(literal(HOST), port),
        deadline,
        this::checkAlive,
        this::log);
    if (ipv6) {
      SipReadiness.await(
          "kamailio",
          new InetSocketAddress(literal(HOST6), port),
          deadline,
          this::checkAlive,
          this::log);
    }
    rpc.await(deadline, this::checkAlive, this::log);
  }

  private void checkAlive() {
    server.checkAlive("port " + port + ", address file " + addressFile, 0);
  }

  private static InetAddress literal(String ip) {
    return InetAddresses.forString(ip); // a literal: no lookup
  }
}
