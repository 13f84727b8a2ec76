package org.umgw.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.umgw.directory.DirectoryRead;
import org.umgw.dns.NameResolver;
import org.umgw.events.Event;
import org.umgw.events.Events;
import org.umgw.model.UmgwException;
import org.umgw.rules.DirectoryValidator;
import org.umgw.rules.RuleViolation;
import org.umgw.trust.TrustSnapshot;
import org.umgw.trust.TrustedPeers;

/**
 * The shared part of the trust-list commands: read the directory, refuse a directory that breaks a
 * rule, resolve every name (with a progress bar on a terminal), collect the events. The resolver
 * and the trusted peers stay open until {@link #close}, so {@code watch} goes on from the first
 * resolution instead of doing it again.
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

  /**
   * @throws UmgwException when the directory breaks a rule (as Exchange's UM service refuses to
   *     start) or cannot be read
   */
  static TrustListRun build(ConnectionOptions connection, DnsOptions dns, PrintWriter err) {
    DirectoryRead read;
    Path hosts;
    try (ConnectionOptions.Directory d = connection.open()) {
      read = d.store().readAll();
      hosts = d.embedded() == null ? null : d.embedded().hostsFile();
    }
    Output.warnProblems(err, read.problems());
    List<RuleViolation> violations = DirectoryValidator.validate(read.contents());
    if (!violations.isEmpty()) {
      violations.forEach(v -> err.println("umgw: rule " + v.rule() + ": " + v));
      throw new UmgwException(
          "the directory breaks "
              + violations.size()
              + " rule(s), as listed above: no trust list is produced from it (Exchange's UM"
              + " service would not start either); fix them and run again");
    }
    List<Event> events = new CopyOnWriteArrayList<>();
    Events sink = new Events();
    sink.addListener(events::add);
    ProgressBar bar = ProgressBar.forStderr();
    NameResolver resolver = dns.open(hosts);
    TrustedPeers peers =
        new TrustedPeers(resolver, TrustedPeers.Options.defaults(), Clock.systemUTC(), sink);
    TrustSnapshot snapshot;
    try {
      snapshot = peers.update(read.contents(), bar::update);
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
