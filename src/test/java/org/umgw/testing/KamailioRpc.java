package org.umgw.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.umgw.testing.ConsumerChecks.ToolResult;
import org.umgw.testing.KamailioEntry.Table;

/**
 * The harness's RPC client: {@code kamcmd} over the ctl module's binrpc unix socket, and the
 * parsing of its rendering of the permissions dumps. Apart from {@link Kamailio}'s process handling
 * because it is how a test sees what Kamailio <em>loaded</em> (the address file's lenient parser
 * hides mistakes), which is a concern of its own.
 */
final class KamailioRpc {
  static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final Path kamcmd;
  private final Path ctlSocket;
  private final Path workDir;

  KamailioRpc(Path kamcmd, Path ctlSocket, Path workDir) {
    this.kamcmd = kamcmd;
    this.ctlSocket = ctlSocket;
    this.workDir = workDir;
  }

  /** kamcmd's output, RPC errors ("error: 500 - ...") included: kamcmd exits 0 on those. */
  String reply(String method, String... params) {
    List<String> cmd =
        new ArrayList<>(List.of(kamcmd.toString(), "-s", "unix:" + ctlSocket, method));
    cmd.addAll(List.of(params));
    ToolResult r = ConsumerChecks.run(cmd, workDir, TIMEOUT);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", cmd) + " -> exit " + r.exitCode() + ": " + r.output().strip());
    }
    return r.output();
  }

  /** An RPC's reply; an RPC error is a failure. */
  String call(String method, String... params) {
    String reply = reply(method, params);
    if (reply.startsWith("error:")) {
      throw new IllegalStateException("kamcmd " + method + ": " + reply.strip());
    }
    return reply;
  }

  /**
   * {@code permissions.addressReload}: kamcmd exits 0 even when Kamailio refuses the file (and
   * keeps its old list) or rate-limits the reload, so the reply is checked for "Reload OK".
   *
   * @param log Kamailio's whole log so far, for what it logged during the reload
   */
  void reload(Path addressFile, Supplier<String> log) {
    int logStart = log.get().length();
    String reply = reply("permissions.addressReload");
    if (!reply.strip().equals("Reload OK")) {
      throw new IllegalStateException(
          "permissions.addressReload of "
              + addressFile
              + " failed: "
              + reply.strip()
              + "\n--- kamailio.log ---\n"
              + log.get().substring(logStart));
    }
  }

  /** Every entry of the three permissions tables, in the order of {@link Table}. */
  List<KamailioEntry> addresses() {
    List<KamailioEntry> out = new ArrayList<>();
    out.addAll(parseDump(Table.ADDRESS, reply("permissions.addressDump")));
    out.addAll(parseDump(Table.SUBNET, reply("permissions.subnetDump")));
    out.addAll(parseDump(Table.DOMAIN, reply("permissions.domainDump")));
    return out;
  }

  /**
   * Polls {@code core.uptime} until the ctl socket answers.
   *
   * @param checkAlive fails when Kamailio has exited
   * @param log Kamailio's log so far, for the failure
   */
  void await(long deadlineNanos, Runnable checkAlive, Supplier<String> log) {
    String last = "";
    while (true) {
      checkAlive.run();
      if (Files.exists(ctlSocket)) {
        ToolResult r =
            ConsumerChecks.run(
                List.of(kamcmd.toString(), "-s", "unix:" + ctlSocket, "core.uptime"),
                workDir,
                TIMEOUT);
        if (r.ok() && !r.output().startsWith("error:")) {
          return;
        }
        last = r.output();
      }
      if (System.nanoTime() > deadlineNanos) {
        throw new IllegalStateException(
            "kamailio RPC on "
                + ctlSocket
                + " did not answer: "
                + last
                + "\n--- kamailio.log ---\n"
                + log.get());
      }
      ServerProcess.sleep(20);
    }
  }

  /**
   * Parses kamcmd's default rendering of the permissions dumps: blocks of {@code table:}, {@code
   * group:} and one or more {@code item: { ... }} (domainDump puts several entries into one block,
   * addressDump one per block): each closed item is one entry of the group last seen.
   */
  static List<KamailioEntry> parseDump(Table table, String text) {
    List<KamailioEntry> out = new ArrayList<>();
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

  private static KamailioEntry entry(Table table, String group, Map<String, String> f) {
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
    return new KamailioEntry(
        table,
        Integer.parseInt(group),
        address,
        mask,
        Integer.parseInt(f.getOrDefault("port", "0")),
        tag);
  }
}
