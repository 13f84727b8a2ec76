package org.umgw.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.dns.NameResolver;
import org.umgw.events.Event;
import org.umgw.events.Events;
import org.umgw.model.UmgwException;
import org.umgw.policy.TrustPolicy;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;

/**
 * The shared part of the trust-list commands: read the directory, serve it through the trust policy
 * (or refuse it, with --strict, when it breaks a rule), resolve every name (with a progress bar on
 * a terminal), collect the events. The resolver and the trusted peers stay open until {@link
 * #close}, so {@code watch} goes on from the first resolution instead of doing it again.
 */
final class TrustListRun implements AutoCloseable {
  final DirectoryRead read;
  final TrustSnapshot snapshot;
  final List<Event> events;
  final Events sink;
  final TrustedPeers peers;
  private final NameResolver resolver;

  private TrustListRun(
      DirectoryRead read,
      TrustSnapshot snapshot,
      List<Event> events,
      Events sink,
      TrustedPeers peers,
      NameResolver resolver) {
    this.read = read;
    this.snapshot = snapshot;
    this.events = events;
    this.sink = sink;
    this.peers = peers;
    this.resolver = resolver;
  }

  /** As {@link #build(ConnectionOptions, DnsOptions, PrintWriter, boolean)}, not strict. */
  static TrustListRun build(ConnectionOptions connection, DnsOptions dns, PrintWriter err) {
    return build(connection, dns, err, false);
  }

  /**
   * Reads the directory and serves it through {@link TrustPolicy} with start-up's strictness: what
   * a broken rule implicates is held back (event 9201 each, in {@link #events}), everything else is
   * resolved and listed.
   *
   * @param strict refuse a directory that breaks any rule instead (as Exchange's UM service refused
   *     to start)
   * @throws UmgwException when {@code strict} and the directory breaks a rule, or when it cannot be
   *     read
   */
  static TrustListRun build(
      ConnectionOptions connection, DnsOptions dns, PrintWriter err, boolean strict) {
    DirectoryRead read;
    Path hosts;
    DirectoryLayout layout;
    try (ConnectionOptions.Directory d = connection.open()) {
      read = d.store().readAll();
      hosts = d.embedded() == null ? null : d.embedded().hostsFile();
      layout = d.store().layout();
    }
    TrustPolicy.Decision decision = new TrustPolicy(layout).decide(read, null);
    if (strict && !decision.findings().isEmpty()) {
      decision.violations().forEach(v -> err.println("umgw: rule " + v.rule() + ": " + v));
      throw new UmgwException(
          "the directory breaks "
              + decision.findings().size()
              + " rule(s), as listed above: --strict produces no trust list from it; fix them"
              + " (umgw validate says how) and run again");
    }
    List<Event> events = new CopyOnWriteArrayList<>();
    Events sink = new Events();
    sink.addListener(events::add);
    decision.events(Instant.now()).forEach(sink::onEvent);
    ProgressBar bar = ProgressBar.forStderr();
    NameResolver resolver = dns.open(hosts);
    TrustedPeers peers =
        new TrustedPeers(resolver, TrustedPeers.Options.defaults(), Clock.systemUTC(), sink);
    TrustSnapshot snapshot;
    try {
      snapshot = peers.update(decision.served(), bar::update);
    } catch (RuntimeException e) {
      peers.close();
      resolver.close();
      throw e;
    } finally {
      bar.done();
    }
    return new TrustListRun(read, snapshot, events, sink, peers, resolver);
  }

  @Override
  public void close() {
    peers.close();
    resolver.close();
  }
}
