package org.umgw.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.umgw.dns.NameResolver;
import org.umgw.export.ExportFormat;
import org.umgw.model.UmgwException;
import org.umgw.service.TrustService;
import org.umgw.sync.CommandReloader;
import org.umgw.sync.KamailioRpcReloader;
import org.umgw.sync.Reloader;
import org.umgw.sync.SyncOptions;
import org.umgw.sync.TrustListSync;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code umgw trust-list sync}: the live replacement of the nightly export. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "Keep a SIP server's or firewall's trust-list file in step with the directory, live: the"
            + " same service as watch (live feed, DNS re-resolved by TTL, fail-closed policy)"
            + " rewrites FILE atomically whenever its content changes, then tells the consumer"
            + " (--kamailio-rpc or --reload-command). At start it writes and reloads once. A failed"
            + " reload is retried with backoff (event 9602, 9603 when it works again). The shrink"
            + " and empty guards apply at start only; later every change applies, revocations"
            + " included. Runs until stopped; exit 1 when the first file is refused or the"
            + " directory cannot be read, 2 usage.")
final class TrustListSyncCommand extends DirectoryCommand {
  @Mixin DnsOptions dns;

  @Mixin FeedMixin feedOptions;

  @Mixin MetricsMixin metrics;

  @Mixin ExportFileMixin file;

  @Option(
      names = "--format",
      required = true,
      paramLabel = "FORMAT",
      description = "kamailio, nftables, freeswitch, asterisk, text or json.")
  ExportFormat format;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE",
      description =
          "The file the consumer reads, replaced atomically; it keeps the mode, owner and group of"
              + " the file it replaces.")
  Path out;

  @Option(
      names = "--kamailio-rpc",
      paramLabel = "URL",
      description =
          "Kamailio's JSON-RPC endpoint (jsonrpcs over xhttp), e.g. http://127.0.0.1:5071/RPC:"
              + " permissions.addressReload after each write.")
  String kamailioRpc;

  @Option(
      names = "--reload-delta",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description =
          "Kamailio's permissions reload_delta: no two reloads closer than this (default:"
              + " ${DEFAULT-VALUE}).")
  int reloadDelta;

  @Option(
      names = "--reload-command",
      paramLabel = "CMD",
      description =
          "Command run after each write, without a shell: words split on spaces (\"...\" is one"
              + " word), {file} replaced by FILE; e.g. \"nft -f {file}\", \"fs_cli -x reloadacl\".")
  String reloadCommand;

  @Option(
      names = "--reload-timeout",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description = "Longest wait for a reload (default: ${DEFAULT-VALUE}).")
  int reloadTimeout;

  @Option(
      names = "--max-shrink",
      defaultValue = "20",
      paramLabel = "PERCENT",
      description =
          "At start, refuse to replace FILE by a list with more than this many percent fewer"
              + " addresses (default: ${DEFAULT-VALUE}).")
  double maxShrink;

  @Option(names = "--allow-shrink", description = "At start, replace FILE however much smaller.")
  boolean allowShrink;

  @Option(
      names = "--allow-empty",
      description = "At start, write the list even when it holds no address at all.")
  boolean allowEmpty;

  @Override
  public Integer call() throws InterruptedException {
    SyncOptions options = options();
    Reloader reloader = reloader();
    try (ConnectionOptions.Directory d = connection.open();
        NameResolver resolver = dns.open(d.embedded() == null ? null : d.embedded().hostsFile())) {
      TrustService service =
          TrustService.builder()
              .directory(d.store().pool())
              .baseDn(d.store().layout().base().toString())
              .resolver(resolver)
              .feedOptions(feedOptions.options())
              .build();
      service.addEventListener(
          e -> {
            err().println(e.time() + " " + e);
            err().flush();
          });
      AtomicReference<TrustListSync> syncing = new AtomicReference<>();
      // Metrics first, so that they count the first load's events, write and reload.
      try (MetricsMixin.Running m = metrics.start(service, () -> health(syncing.get()));
          TrustService running = service.start();
          TrustListSync sync = new TrustListSync(running, options, reloader)) {
        syncing.set(sync);
        sync.start();
        out()
            .println(
                Instant.now()
                    + " syncing "
                    + running.snapshot().peers().size()
                    + " trusted peers to "
                    + out
                    + " ("
                    + format
                    + ", "
                    + reloader.describe()
                    + ")");
        out().flush();
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        // Stopped (SIGTERM runs the shutdown hooks; in-process callers interrupt): a clean exit.
        Thread.currentThread().interrupt();
      }
    }
    return 0;
  }

  private static String health(TrustListSync sync) {
    if (sync == null) {
      return "starting: the first file is not written yet";
    }
    TrustListSync.State s = sync.state();
    return s.inStep()
        ? null
        : "not in step with "
            + sync.reloader().describe()
            + (s.lastError() == null ? " (reloading)" : ": " + s.lastError());
  }

  private SyncOptions options() {
    return SyncOptions.of(format, out, file.exportOptions())
        .withGuards(allowShrink ? -1 : maxShrink, allowEmpty)
        .withMode(file.mode());
  }

  /** The consumer; a contradictory or malformed option is a usage error (exit 2). */
  private Reloader reloader() {
    try {
      return consumer();
    } catch (UmgwException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  private Reloader consumer() {
    if (kamailioRpc != null && reloadCommand != null) {
      throw new UmgwException(
          "--kamailio-rpc and --reload-command both name the consumer: give one (run one sync per"
              + " consumer)");
    }
    if (reloadTimeout < 1) {
      throw new UmgwException("--reload-timeout must be at least 1 second, not " + reloadTimeout);
    }
    if (reloadDelta < 0) {
      throw new UmgwException("--reload-delta must be 0 or more seconds, not " + reloadDelta);
    }
    Duration timeout = Duration.ofSeconds(reloadTimeout);
    if (kamailioRpc != null) {
      return new KamailioRpcReloader(kamailioRpc, Duration.ofSeconds(reloadDelta), timeout);
    }
    if (reloadCommand != null) {
      return new CommandReloader(reloadCommand, timeout);
    }
    return Reloader.NONE;
  }
}
