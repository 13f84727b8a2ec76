package org.umgw.service;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.umgw.events.EventListener;
import org.umgw.health.HealthListener;
import org.umgw.health.HealthMonitor;
import org.umgw.health.HealthOptions;
import org.umgw.health.HealthReport;
import org.umgw.model.UmgwException;
import org.umgw.sip.OptionsProber;
import org.umgw.sip.ProberOptions;
import org.umgw.trust.TrustedPeers;

/**
 * OPTIONS probing over the snapshot in service: one prober and one monitor that follow every swap,
 * so one resolution feeds both trust and health. Listeners added before {@link #start} see the
 * first round too.
 */
final class HealthWiring implements AutoCloseable {
  private final ProberOptions proberOptions;
  private final HealthOptions healthOptions;

  // Guarded by this.
  private final List<HealthListener> listeners = new java.util.ArrayList<>();
  private OptionsProber prober;
  private HealthMonitor monitor;
  private boolean closed;

  HealthWiring(ProberOptions proberOptions, HealthOptions healthOptions) {
    this.proberOptions = proberOptions;
    this.healthOptions = healthOptions;
  }

  /** Opens the prober and starts the rounds over {@code peers}; nothing when probing is off. */
  void start(TrustedPeers peers, EventListener events, Clock clock) {
    if (healthOptions == null) {
      return;
    }
    OptionsProber o;
    try {
      o = OptionsProber.open(proberOptions);
    } catch (IOException e) {
      throw new UmgwException("cannot open the SIP OPTIONS prober's sockets: " + e, e);
    }
    HealthMonitor h = new HealthMonitor(o, healthOptions, events, clock);
    synchronized (this) {
      if (closed) {
        o.close();
        return;
      }
      prober = o;
      monitor = h;
      listeners.forEach(h::addListener);
    }
    h.setSnapshot(peers.snapshot());
    peers.addListener(change -> h.setSnapshot(change.after()));
    h.start();
  }

  void addListener(HealthListener listener) {
    HealthMonitor h;
    synchronized (this) {
      listeners.add(listener);
      h = monitor;
    }
    if (h != null) {
      h.addListener(listener);
    }
  }

  synchronized Optional<HealthReport> lastReport() {
    return monitor == null ? Optional.empty() : Optional.of(monitor.lastReport());
  }

  @Override
  public void close() {
    HealthMonitor h;
    OptionsProber o;
    synchronized (this) {
      closed = true;
      h = monitor;
      o = prober;
    }
    if (h != null) {
      h.close();
    }
    if (o != null) {
      o.close();
    }
  }
}
