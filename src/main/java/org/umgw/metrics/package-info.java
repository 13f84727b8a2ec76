/**
 * Prometheus metrics of the long-running commands ({@code trust-list sync} and {@code watch},
 * {@code probe}, {@code serve}). {@link UmgwMetrics} holds the metrics and is fed by the service's
 * listeners ({@link org.umgw.events.EventListener}, snapshot swaps, health reports); {@link
 * MetricsServer} serves them on {@code /metrics} with the Prometheus Java client's own HTTP
 * exporter, plus {@code /healthz}. No class outside this package sees a Prometheus type.
 */
package org.umgw.metrics;
