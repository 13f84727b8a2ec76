package org.umgw.cli;

import org.umgw.metrics.MetricsServer;
import org.umgw.metrics.ServiceMetrics;
import org.umgw.metrics.UmgwMetrics;
import org.umgw.service.TrustService;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --metrics-listen HOST:PORT} of the long-running commands: Prometheus metrics. */
final class MetricsMixin {
  /** What a command holds while it serves metrics; closing stops the server. */
  interface Running extends AutoCloseable {
    @Override
    void close();
  }

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(
      names = "--metrics-listen",
      paramLabel = "HOST:PORT",
      description =
          "Serve Prometheus metrics on http://HOST:PORT/metrics and a health check on /healthz"
              + " (default: none).")
  String listen;

  /**
   * Metrics of a service, attached before {@link TrustService#start()} so that they count the first
   * load's events; healthy once a trusted list is in service.
   */
  Running start(TrustService service) {
    return start(
        service,
        () ->
            service.status().source() == TrustService.Source.NONE
                ? "starting: no trusted list in service yet"
                : null);
  }

  /**
   * Metrics of a service (started or about to be); {@code health} answers /healthz.
   *
   * @throws org.umgw.model.UmgwException naming the address when it cannot be served
   */
  Running start(TrustService service, MetricsServer.HealthCheck health) {
    if (listen == null) {
      return () -> {};
    }
    UmgwMetrics metrics = new UmgwMetrics();
    ServiceMetrics feed = ServiceMetrics.attach(service, metrics);
    MetricsServer server;
    try {
      server = MetricsServer.start(listen, metrics, health);
    } catch (RuntimeException e) {
      feed.close();
      throw e;
    }
    announce(server);
    return () -> {
      server.close();
      feed.close();
    };
  }

  /** /healthz and the (empty) umgw metrics of a command that runs no trust service. */
  Running startWithoutService() {
    if (listen == null) {
      return () -> {};
    }
    UmgwMetrics metrics = new UmgwMetrics();
    metrics.directoryConnected(true); // serve is the directory: never "disconnected" from it
    MetricsServer server = MetricsServer.start(listen, metrics, () -> null);
    announce(server);
    return server::close;
  }

  /** Refuses --metrics-listen where nothing runs long enough to be scraped. */
  void refuseWith(String option) {
    if (listen != null) {
      throw new ParameterException(
          spec.commandLine(),
          "--metrics-listen needs a long-running command: it cannot be combined with " + option);
    }
  }

  private void announce(MetricsServer server) {
    spec.commandLine()
        .getErr()
        .println(
            "umgw: metrics on http://"
                + com.google.common.net.HostAndPort.fromParts(
                    server.address().getHostString(), server.address().getPort())
                + "/metrics");
    spec.commandLine().getErr().flush();
  }
}
