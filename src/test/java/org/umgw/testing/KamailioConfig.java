package org.umgw.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders the harness's {@code kamailio.cfg} from its settings and the ports picked for this
 * launch: one routing script for the plain, TLS ({@link KamailioTls}) and JSON-RPC variants, which
 * differ only in listeners and modules. Apart from {@link Kamailio} so the text Kamailio reads can
 * be read in one place, without the process handling around it.
 *
 * @param tls null for no TLS listener
 * @param tlsConfig the tls module's profile file, written beside the config when {@code tls} is set
 */
record KamailioConfig(
    Path modulesDir,
    Path addressFile,
    int group,
    boolean ipv6,
    int reloadDelta,
    boolean jsonRpc,
    KamailioTls tls,
    Path ctlSocket,
    Path tlsConfig) {
  static final String HOST = "127.0.0.1";
  static final String HOST6 = "::1";

  /**
   * The ports of one launch: SIP over UDP, SIP over TLS (0: none), JSON-RPC over HTTP (0: none).
   */
  record Ports(int sip, int tls, int http) {}

  String render(Ports ports) {
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
    sb.append("listen=udp:").append(HOST).append(':').append(ports.sip()).append('\n');
    if (tls != null) {
      sb.append("listen=tls:").append(tls.host()).append(':').append(ports.tls());
      sb.append('\n');
    }
    if (jsonRpc) {
      // xhttp takes HTTP requests off Kamailio's TCP listener: one port for JSON-RPC only.
      sb.append("listen=tcp:").append(HOST).append(':').append(ports.http()).append('\n');
    }
    if (ipv6) {
      sb.append("listen=udp:[").append(HOST6).append("]:").append(ports.sip()).append('\n');
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

  /** Debian installs modules under /usr/lib/MULTIARCH/kamailio/modules. */
  static Path modulesDir(String notInstalled) {
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
        notInstalled + " (no kamailio/modules directory with permissions.so and ctl.so)");
  }

  /**
   * A path the config quotes: no quote, backslash or newline, which the cfg parser would mangle.
   */
  static void checkCfgString(String value) {
    if (value.contains("\"") || value.contains("\n") || value.contains("\\")) {
      throw new IllegalArgumentException("path not usable in kamailio.cfg: " + value);
    }
  }
}
