package org.umgw.service;

import java.time.Instant;
import java.util.List;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.EntryProblem;
import org.umgw.feed.DirectoryFeed;
import org.umgw.feed.FeedKind;
import org.umgw.feed.FeedUpdate;
import org.umgw.model.DirectoryContents;

/**
 * A feed whose deliveries a test makes: for the service's own logic (rules, salvage, listeners).
 * Real directories and their feeds are exercised by the tests that run slapd, ApacheDS and the
 * embedded directory.
 */
final class ScriptedFeed implements DirectoryFeed {
  private final DirectoryContents initial;
  private final EntryProblem[] initialProblems;
  private volatile Listener listener;
  volatile boolean closed;

  /** A feed whose initial load, delivered from its own thread at start, is {@code initial}. */
  ScriptedFeed(DirectoryContents initial, EntryProblem... problems) {
    this.initial = initial;
    this.initialProblems = problems;
  }

  @Override
  public void start(Listener l) {
    this.listener = l;
    Thread t =
        new Thread(
            () -> {
              l.onConnected("scripted:1", FeedKind.POLLING);
              if (initial != null) {
                deliver(initial, initialProblems);
              }
            },
            "scripted-feed");
    t.start();
  }

  @Override
  public FeedKind kind() {
    return FeedKind.POLLING;
  }

  void deliver(DirectoryContents contents, EntryProblem... problems) {
    listener.onContents(
        new DirectoryRead(contents, List.of(problems)),
        new FeedUpdate(FeedKind.POLLING, "scripted:1", Instant.now(), false, 1));
  }

  /** Delivers what {@code entries} read as, through the real mapper (unreadable values kept). */
  void deliver(java.util.Collection<com.unboundid.ldap.sdk.Entry> entries) {
    org.umgw.directory.EntrySet set =
        new org.umgw.directory.EntrySet(
            org.umgw.directory.DirectoryLayout.of(org.umgw.directory.DirectoryLayout.DEFAULT_BASE));
    entries.forEach(set::put);
    listener.onContents(
        set.read(), new FeedUpdate(FeedKind.POLLING, "scripted:1", Instant.now(), false, 1));
  }

  void disconnect() {
    listener.onDisconnected("scripted:1", new java.io.IOException("connection reset"));
  }

  void reconnect() {
    listener.onConnected("scripted:1", FeedKind.POLLING);
  }

  @Override
  public void close() {
    closed = true;
  }
}
