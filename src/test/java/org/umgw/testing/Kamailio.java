package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Kamailio's address-file parser is lenient: a line it cannot read as an IP entry is not an
 * error but lands somewhere else ({@code 192.0.2.10/32} and host names become string-matched domain
 * entries that never match a source IP; a non-numeric group turns the line into a domain entry of
 * group 0; a non-numeric mask or port is taken as the tag). Whether every exported line became the
 * intended IP entry is only visible in what Kamailio loaded: {@link #addresses()}.
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
 * <p>With {@link Builder#tls} it also listens for SIP over TLS ({@code tls} module, Debian's {@code
 * kamailio-tls-modules}) with its certificate, the CA list it checks client certificates against
 * and {@code require_certificate} as given: the SIPSecured gateway of the mutual TLS tests.
 *
 * <p>With {@link Builder#jsonRpc(boolean)} it also serves JSON-RPC over HTTP ({@code jsonrpcs} over
 * {@code xhttp}, on a TCP port of its own: {@link #jsonRpcUrl()}), as {@code umgw trust-list sync
 * --kamailio-rpc} uses it. {@link #stopServer()} and {@link #restart()} stop it and start it again
 * on the same ports, reading the address file anew, as after a crash or an upgrade.
 *
 * <p>kamailio and kamcmd must be installed ({@code .ci/run} does it); a missing binary is an error,
 * never a skipped test. Set {@code -Dumgw.kamailio.keep=true} to keep the temp directory.
 */
public final class Kamailio implements AutoCloseable {
  private static final String NOT_INSTALLED =
      "kamailio not installed: run .ci/run or apt-get install kamailio";
  private static final String HOST = "127.0.0.1";
  private static final String HOST6 = "::1";
  private static final int PORT_ATTEMPTS = 5;
  private static final Duration RPC_TIMEOUT = Duration.ofSeconds(15);

  /** Which of the permissions module's in-memory tables an entry was loaded into. */
  public enum Table {
    /** Single IPv4 (mask 32) or IPv6 (mask 128) addresses: {@code permissions.addressDump}. */
    ADDRESS,
    /** Address with a shorter mask: {@code permissions.subnetDump}. */
    SUBNET,
    /**
     * Anything that is not an IP address (host names, {@code ip/32} in one field, ...), compared as
     * a string, never resolved, so never matching a source IP: {@code permissions.domainDump}.
     */
    DOMAIN
  }

  /**
   * One entry as Kamailio loaded it. {@code address} is as Kamailio prints it (IPv6 compressed,
   * lower case; the name for {@link Table#DOMAIN}); {@code mask} is 32 or 128 for {@link
   * Table#ADDRESS} and 0 for {@link Table#DOMAIN}; {@code tag} is null when none was given.
   */
  public record Entry(Table table, int group, String address, int mask, int port, String tag) {}

  /**
   * A TLS listener ({@code tls} module) beside UDP: Kamailio's certificate and key, the CA list it
   * checks client certificates against, and whether a client must present one ({@code
   * require_certificate}, as an SBC in front of Lync does); {@code listen}: a fixed TLS address
   * (e.g. another loopback IP on 5061, the port SIPSecured gateways must use), or null for a free
   * port on 127.0.0.1.
   */
  public record Tls(
      Path cert, Path key, Path caList, boolean requireCertificate, InetSocketAddress listen) {
    public Tls(Path cert, Path key, Path caList, boolean requireCertificate) {
      this(cert, key, caList, requireCertificate, null);
    }
  }

  /** Start-up settings; every setter returns {@code this}. */
  public static final class Builder {
    private Path addressFile;
    private Tls tls;
    private int group = 1;
    private boolean ipv6;
    private int reloadDelta;
    private boolean jsonRpc;
    private Duration startTimeout = Duration.ofSeconds(20);

    private Builder() {}

    /** The permissions address file Kamailio loads (required; it must exist at start). */
    public Builder addressFile(Path addressFile) {
      this.addressFile = addressFile;
      return this;
    }

    /** The group {@code allow_source_address()} checks (default 1). */
    public Builder group(int group) {
      if (group < 0) {
        throw new IllegalArgumentException("group must be >= 0: " + group);
      }
      this.group = group;
      return this;
    }

    /** Also listens on [::1] with the same port. */
    public Builder ipv6(boolean ipv6) {
      this.ipv6 = ipv6;
      return this;
    }

    /** Also listens for SIP over TLS on 127.0.0.1 ({@link #tlsAddress()}). */
    public Builder tls(Tls tls) {
      this.tls = tls;
      return this;
    }

    /** The permissions {@code reload_delta} in seconds (default here 0: no rate limit). */
    public Builder reloadDelta(int seconds) {
      if (seconds < 0) {
        throw new IllegalArgumentException("reload_delta must be >= 0: " + seconds);
      }
      this.reloadDelta = seconds;
      return this;
    }

    /**
     * Also serves JSON-RPC over HTTP ({@code jsonrpcs} over {@code xhttp}) on 127.0.0.1 and a free
     * TCP port, at {@link #jsonRpcUrl()}: the way {@code umgw trust-list sync --kamailio-rpc}
     * reloads the address file. SIP stays on UDP only.
     */
    public Builder jsonRpc(boolean jsonRpc) {
      this.jsonRpc = jsonRpc;
      return this;
    }

    /** How long to wait for Kamailio to answer SIP and RPC after start (default 20 s). */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    public Kamailio start() {
      if (addressFile == null) {
        throw new IllegalArgumentException("addressFile is required");
      }
      Kamailio k;
      try {
        k = new Kamailio(this);
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
  }

  private final Path kamailioBinary;
  private final Path kamcmdBinary;
  private final Path modulesDir;
  private final Path addressFile;
  private final int group;
  private final boolean ipv6;
  private final int reloadDelta;
  private final boolean jsonRpc;
  private final Duration startTimeout;
  private final Path workDir;
  private final Path config;
  private final Path ctlSocket;
  private final Path pidFile;
  private final Path logFile;
  private final ServerProcess server;
  private final Tls tls;
  private final Path tlsConfig;
  private int port;
  private int tlsPort;
  private int httpPort;
  private boolean closed;

  private Kamailio(Builder b) throws IOException {
    this.kamailioBinary = ConsumerChecks.requireBinary("kamailio", NOT_INSTALLED);
    this.kamcmdBinary = ConsumerChecks.requireBinary("kamcmd", NOT_INSTALLED);
    this.modulesDir = modulesDir();
    this.addressFile = b.addressFile.toAbsolutePath().normalize();
    checkCfgString(addressFile.toString());
    this.group = b.group;
    this.ipv6 = b.ipv6;
    this.reloadDelta = b.reloadDelta;
    this.jsonRpc = b.jsonRpc;
    this.startTimeout = b.startTimeout;
    this.workDir = Files.createTempDirectory("umgw-kamailio-").toRealPath();
    this.config = workDir.resolve("kamailio.cfg");
    this.ctlSocket = workDir.resolve("kamailio_ctl");
    this.pidFile = workDir.resolve("kamailio.pid");
    this.logFile = workDir.resolve("kamailio.log");
    this.server = new ServerProcess("kamailio", workDir, logFile);
    this.tls = b.tls;
    this.tlsConfig = workDir.resolve("tls.cfg");
    if (tls != null) {
      if (!Files.isRegularFile(modulesDir.resolve("tls.so"))) {
        throw new IllegalStateException(
            "kamailio's tls module is not installed (no tls.so in "
                + modulesDir
                + "): run .ci/run or apt-get install kamailio-tls-modules");
      }
      for (Path p : List.of(tls.cert(), tls.key(), tls.caList())) {
        checkCfgString(p.toAbsolutePath().toString());
      }
    }
  }

  public static Builder builder() {
    return new Builder();
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
    Path binary = ConsumerChecks.requireBinary("kamailio", NOT_INSTALLED);
    Path abs = cfg.toAbsolutePath();
    Path dir = abs.getParent() == null ? Path.of("/") : abs.getParent();
    return ConsumerChecks.run(
        List.of(binary.toString(), "-c", "-f", abs.toString()), dir, RPC_TIMEOUT);
  }

  // --- accessors ---------------------------------------------------------------------------

  /** 127.0.0.1 and the UDP port. */
  public InetSocketAddress address() {
    return new InetSocketAddress(literal(HOST), port);
  }

  /** [::1] and the same port, when started with {@link Builder#ipv6(boolean)}. */
  public Optional<InetSocketAddress> ipv6Address() {
    return ipv6 ? Optional.of(new InetSocketAddress(literal(HOST6), port)) : Optional.empty();
  }

  /** The TLS listener (127.0.0.1), when built with {@link Builder#tls}. */
  public InetSocketAddress tlsAddress() {
    if (tls == null) {
      throw new IllegalStateException("kamailio was started without TLS");
    }
    return new InetSocketAddress(literal(tlsHost()), tlsPort);
  }

  public int port() {
    return port;
  }

  /**
   * {@code http://127.0.0.1:PORT/RPC}, Kamailio's JSON-RPC endpoint, when started with {@link
   * Builder#jsonRpc(boolean)}.
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
    int logStart = log().length();
    String reply = rpcReply("permissions.addressReload");
    if (!reply.strip().equals("Reload OK")) {
      throw new IllegalStateException(
          "permissions.addressReload of "
              + addressFile
              + " failed: "
              + reply.strip()
              + "\n--- kamailio.log ---\n"
              + log().substring(logStart));
    }
  }

  /**
   * Every entry Kamailio holds now, from {@code permissions.addressDump}, {@code subnetDump} and
   * {@code domainDump}, in that order. A test of an export should assert that each exported peer is
   * an {@link Table#ADDRESS} entry of its group and that nothing landed in {@link Table#DOMAIN}.
   */
  public synchronized List<Entry> addresses() {
    List<Entry> out = new ArrayList<>();
    out.addAll(parseDump(Table.ADDRESS, rpcReply("permissions.addressDump")));
    out.addAll(parseDump(Table.SUBNET, rpcReply("permissions.subnetDump")));
    out.addAll(parseDump(Table.DOMAIN, rpcReply("permissions.domainDump")));
    return out;
  }

  /**
   * Runs {@code kamcmd -s unix:CTL METHOD PARAMS...} and returns its output.
   *
   * @throws IllegalStateException if kamcmd fails or Kamailio answers with an RPC error
   */
  public String rpc(String method, String... params) {
    String reply = rpcReply(method, params);
    if (reply.startsWith("error:")) {
      throw new IllegalStateException("kamcmd " + method + ": " + reply.strip());
    }
    return reply;
  }

  /** kamcmd's output, RPC errors ("error: 500 - ...") included: kamcmd exits 0 on those. */
  private String rpcReply(String method, String... params) {
    if (!isRunning()) {
      throw new IllegalStateException("kamailio is not running");
    }
    List<String> cmd =
        new ArrayList<>(List.of(kamcmdBinary.toString(), "-s", "unix:" + ctlSocket, method));
    cmd.addAll(List.of(params));
    ToolResult r = ConsumerChecks.run(cmd, workDir, RPC_TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " -> exit " + r.exitCode() + ": " + r.output().strip());
    }
    return r.output();
  }

  /**
   * Parses kamcmd's default rendering of the permissions dumps: blocks of {@code table:}, {@code
   * group:} and one or more {@code item: { ... }} (domainDump puts several entries into one block,
   * addressDump one per block): each closed item is one entry of the group last seen.
   */
  static List<Entry> parseDump(Table table, String text) {
    List<Entry> out = new ArrayList<>();
    Map<String, String> item = new LinkedHashMap<>();
    String group = null;
    int depth = 0;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("error:")) {
        throw new IllegalStateException("RPC error: " + line);
      }
      if (line.endsWith("{")) {
        depth++;
        item.clear();
        continue;
      }
      if (line.equals("}")) {
        if (depth == 2) {
          if (group == null) {
            throw new IllegalStateException("dump item without group:\n" + text);
          }
          out.add(entry(table, group, item));
          item.clear();
        }
        depth--;
        continue;
      }
      // IPv6 values contain ':' too: the key is everything before the first ": ".
      int sep = line.indexOf(": ");
      if (sep < 0 && line.endsWith(":")) {
        sep = line.length() - 1;
      }
      if (sep <= 0) {
        continue;
      }
      String key = line.substring(0, sep);
      String value = sep + 2 <= line.length() ? line.substring(sep + 2).strip() : "";
      if (depth == 1 && key.equals("group")) {
        group = value;
      } else if (depth == 2) {
        item.put(key, value);
      }
    }
    return out;
  }

  private static Entry entry(Table table, String group, Map<String, String> f) {
    String address = table == Table.DOMAIN ? f.get("domain_name") : f.get("ip");
    int mask;
    if (table == Table.SUBNET) {
      mask = Integer.parseInt(f.get("mask"));
    } else if (table == Table.ADDRESS) {
      mask = address.contains(":") ? 128 : 32;
    } else {
      mask = 0;
    }
    String tag = f.get("tag");
    if (tag == null || tag.isEmpty() || tag.equals("NULL")) {
      tag = null;
    }
    return new Entry(
        table,
        Integer.parseInt(group),
        address,
        mask,
        Integer.parseInt(f.getOrDefault("port", "0")),
        tag);
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
      Files.writeString(config, configText());
      if (tls != null) {
        Files.writeString(tlsConfig, tlsConfigText());
      }
      Files.deleteIfExists(ctlSocket);
      Files.deleteIfExists(logFile);
      server.start(cmd);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + cmd, e);
    }
    long deadline = System.nanoTime() + startTimeout.toNanos();
    awaitSip(new InetSocketAddress(literal(HOST), port), deadline);
    if (ipv6) {
      awaitSip(new InetSocketAddress(literal(HOST6), port), deadline);
    }
    awaitRpc(deadline);
  }

  /** Sends OPTIONS from an ephemeral port on the same loopback address until any reply. */
  private void awaitSip(InetSocketAddress target, long deadline) {
    InetAddress local = target.getAddress();
    String host =
        local instanceof Inet6Address
            ? "[" + InetAddresses.toAddrString(local) + "]"
            : local.getHostAddress();
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(local, 0))) {
      s.setSoTimeout(100);
      byte[] buf = new byte[8192];
      for (int i = 1; ; i++) {
        checkAlive();
        String msg =
            "OPTIONS sip:ping@"
                + host
                + ":"
                + port
                + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP "
                + host
                + ":"
                + s.getLocalPort()
                + ";branch=z9hG4bK-umgw-ready-"
                + i
                + "\r\nFrom: <sip:ready@"
                + host
                + ">;tag=r"
                + i
                + "\r\nTo: <sip:ping@"
                + host
                + ">\r\nCall-ID: ready-"
                + i
                + "@umgw\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        byte[] bytes = msg.getBytes(UTF_8);
        s.send(new DatagramPacket(bytes, bytes.length, target));
        try {
          DatagramPacket reply = new DatagramPacket(buf, buf.length);
          s.receive(reply);
          if (new String(buf, 0, reply.getLength(), UTF_8).startsWith("SIP/2.0 ")) {
            return;
          }
        } catch (SocketTimeoutException notYet) {
          // Not listening yet (or the datagram was lost): send again.
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "kamailio did not answer OPTIONS on " + target + "\n--- kamailio.log ---\n" + log());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot probe kamailio on " + target, e);
    }
  }

  private void awaitRpc(long deadline) {
    String last = "";
    while (true) {
      checkAlive();
      if (Files.exists(ctlSocket)) {
        ToolResult r =
            ConsumerChecks.run(
                List.of(kamcmdBinary.toString(), "-s", "unix:" + ctlSocket, "core.uptime"),
                workDir,
                RPC_TIMEOUT);
        if (r.ok() && !r.output().startsWith("error:")) {
          return;
        }
        last = r.output();
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "kamailio RPC on "
                + ctlSocket
                + " did not answer: "
                + last
                + "\n--- kamailio.log ---\n"
                + log());
      }
      sleep(20);
    }
  }

  private void checkAlive() {
    server.checkAlive("port " + port + ", address file " + addressFile, 0);
  }

  private String configText() {
    StringBuilder sb = new StringBuilder();
    sb.append("#!KAMAILIO\n");
    sb.append("# umgw test harness: admits a request by its source address (permissions).\n");
    sb.append("debug=2\nlog_stderror=yes\nfork=yes\nchildren=1\n");
    if (tls == null && !jsonRpc) {
      sb.append("disable_tcp=yes\n");
    }
    if (tls != null) {
      sb.append("enable_tls=yes\n");
    }
    if (jsonRpc) {
      sb.append("tcp_children=1\n");
    }
    sb.append("disable_sctp=yes\nauto_aliases=no\ndns=no\nrev_dns=no\n");
    sb.append("listen=udp:").append(HOST).append(':').append(port).append('\n');
    if (tls != null) {
      sb.append("listen=tls:").append(tlsHost()).append(':').append(tlsPort).append('\n');
    }
    if (jsonRpc) {
      // xhttp takes HTTP requests off Kamailio's TCP listener: one port for JSON-RPC only.
      sb.append("listen=tcp:").append(HOST).append(':').append(httpPort).append('\n');
    }
    if (ipv6) {
      sb.append("listen=udp:[").append(HOST6).append("]:").append(port).append('\n');
    }
    sb.append("mpath=\"").append(modulesDir).append("/\"\n");
    // Load order matters: permissions needs tm and sl loaded before it.
    sb.append("loadmodule \"tm.so\"\n");
    sb.append("loadmodule \"sl.so\"\n");
    sb.append("loadmodule \"permissions.so\"\n");
    sb.append("loadmodule \"ctl.so\"\n");
    if (tls != null) {
      sb.append("loadmodule \"tls.so\"\n");
      sb.append("modparam(\"tls\", \"config\", \"").append(tlsConfig).append("\")\n");
    }
    if (jsonRpc) {
      sb.append("loadmodule \"xhttp.so\"\n");
      sb.append("loadmodule \"jsonrpcs.so\"\n");
      sb.append("modparam(\"jsonrpcs\", \"transport\", 1)\n"); // HTTP only: no FIFO
    }
    sb.append("modparam(\"permissions\", \"address_file\", \"").append(addressFile);
    sb.append("\")\n");
    sb.append("modparam(\"permissions\", \"reload_delta\", ").append(reloadDelta).append(")\n");
    sb.append("modparam(\"ctl\", \"binrpc\", \"unix:").append(ctlSocket).append("\")\n");
    sb.append("request_route {\n");
    sb.append("  if (method == \"ACK\") {\n    exit;\n  }\n");
    sb.append("  if (allow_source_address(\"").append(group).append("\")) {\n");
    sb.append("    sl_send_reply(\"200\", \"OK\");\n");
    sb.append("  } else {\n");
    sb.append("    sl_send_reply(\"403\", \"Forbidden\");\n");
    sb.append("  }\n  exit;\n}\n");
    if (jsonRpc) {
      sb.append("event_route[xhttp:request] {\n");
      sb.append("  if ($hu =~ \"^/RPC\") {\n    jsonrpc_dispatch();\n  } else {\n");
      sb.append("    xhttp_reply(\"404\", \"Not Found\", \"text/plain\", \"no such path\");\n");
      sb.append("  }\n  exit;\n}\n");
    }
    return sb.toString();
  }

  private String tlsHost() {
    return tls.listen() == null ? HOST : InetAddresses.toAddrString(tls.listen().getAddress());
  }

  /** The tls module's profiles: the server checks client certificates against the CA list. */
  private String tlsConfigText() {
    String require = tls.requireCertificate() ? "yes" : "no";
    return "[server:default]\n"
        + "method = TLSv1.2+\n"
        + "verify_certificate = yes\n"
        + "require_certificate = "
        + require
        + "\n"
        + "certificate = "
        + tls.cert().toAbsolutePath()
        + "\nprivate_key = "
        + tls.key().toAbsolutePath()
        + "\nca_list = "
        + tls.caList().toAbsolutePath()
        + "\n\n[client:default]\nverify_certificate = no\nrequire_certificate = no\n";
  }

  // --- helpers -----------------------------------------------------------------------------

  /** Debian installs modules under /usr/lib/MULTIARCH/kamailio/modules. */
  private static Path modulesDir() {
    List<Path> candidates = new ArrayList<>();
    candidates.add(Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules"));
    try (var dirs = Files.list(Path.of("/usr/lib"))) {
      dirs.map(d -> d.resolve("kamailio/modules")).forEach(candidates::add);
    } catch (IOException e) {
      // Fall back to the fixed candidates.
    }
    candidates.add(Path.of("/usr/lib/kamailio/modules"));
    candidates.add(Path.of("/usr/lib64/kamailio/modules"));
    candidates.add(Path.of("/usr/local/lib64/kamailio/modules"));
    candidates.add(Path.of("/usr/local/lib/kamailio/modules"));
    for (Path dir : candidates) {
      if (Files.isRegularFile(dir.resolve("permissions.so"))
          && Files.isRegularFile(dir.resolve("ctl.so"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        NOT_INSTALLED + " (no kamailio/modules directory with permissions.so and ctl.so)");
  }

  private static void checkCfgString(String value) {
    if (value.contains("\"") || value.contains("\n") || value.contains("\\")) {
      throw new IllegalArgumentException("path not usable in kamailio.cfg: " + value);
    }
  }

  private static InetAddress literal(String ip) {
    return InetAddresses.forString(ip); // a literal: no lookup
  }

  private static void sleep(long millis) {
    ServerProcess.sleep(millis);
  }
}
