package org.umgw.console.live;

import com.google.common.util.concurrent.ThreadFactoryBuilder;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.events.Event;
import org.umgw.health.HealthReport;
import org.umgw.health.HealthState;
import org.umgw.service.TrustService;

/**
 * What the console remembers beyond the service's current state, in bounded rings: the latest
 * {@code maxEvents} events (with a sequence number, for the live stream), and the latest {@code
 * maxSamples} probe results of each gateway (taken from each new health round).
 */
public final class LiveState implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveState.class);

  /** One probe round's outcome for a gateway: its best address's code and round-trip time. */
  public record Sample(Instant time, HealthState state, Integer code, Double rttMillis) {}

  /** An event with its place in the console's log (1, 2, ...), for "newer than" queries. */
  public record Logged(long seq, Event event) {}

  private final TrustService service;
  private final int maxEvents;
  private final int maxSamples;
  private final Deque<Logged> events = new ArrayDeque<>();
  private final Map<String, Deque<Sample>> history = new HashMap<>();
  private final List<Consumer<Logged>> subscribers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService poller;
  private long seq;
  private Instant lastRound;

  /** Listens to {@code service}; call before the service starts, to keep its first events. */
  public LiveState(TrustService service, int maxEvents, int maxSamples) {
    this.service = service;
    this.maxEvents = maxEvents;
    this.maxSamples = maxSamples;
    service.addEventListener(this::onEvent);
    poller =
        Executors.newSingleThreadScheduledExecutor(
            new ThreadFactoryBuilder()
                .setNameFormat("umgw-console-history")
                .setDaemon(true)
                .build());
    poller.scheduleWithFixedDelay(this::pollHealth, 200, 500, TimeUnit.MILLISECONDS);
  }

  private void onEvent(Event e) {
    Logged logged;
    synchronized (this) {
      logged = new Logged(++seq, e);
      events.addFirst(logged);
      while (events.size() > maxEvents) {
        events.removeLast();
      }
    }
    for (Consumer<Logged> s : subscribers) {
      s.accept(logged);
    }
  }

  /** The newest events first, at most {@code limit}. */
  public synchronized List<Logged> events(int limit) {
    return events.stream().limit(limit).toList();
  }

  /** The remembered events about {@code gateway} (a detail naming it), newest first. */
  public synchronized List<Logged> eventsOf(String gateway, int limit) {
    return events.stream()
        .filter(l -> l.event().details().values().stream().anyMatch(v -> mentions(v, gateway)))
        .limit(limit)
        .toList();
  }

  private static boolean mentions(Object value, String gateway) {
    if (value instanceof java.util.Collection<?> c) {
      return c.stream().anyMatch(v -> gateway.equalsIgnoreCase(String.valueOf(v)));
    }
    return gateway.equalsIgnoreCase(String.valueOf(value));
  }

  /** The gateway's latest probe samples, oldest first. */
  public synchronized List<Sample> history(String gateway) {
    Deque<Sample> d = history.get(gateway);
    return d == null ? List.of() : new ArrayList<>(d);
  }

  /** Told of each new event on the thread that raised it; keep it short. */
  public void subscribe(Consumer<Logged> subscriber) {
    subscribers.add(subscriber);
  }

  public void unsubscribe(Consumer<Logged> subscriber) {
    subscribers.remove(subscriber);
  }

  /** Copies each new health round into the per-gateway rings. */
  void pollHealth() {
    try {
      HealthReport report = service.health().orElse(null);
      if (report == null) {
        return;
      }
      synchronized (this) {
        if (report.time().equals(lastRound)) {
          return;
        }
        lastRound = report.time();
        Set<String> present =
            report.gateways().stream().map(HealthReport.Gateway::name).collect(Collectors.toSet());
        history.keySet().retainAll(present);
        for (HealthReport.Gateway g : report.gateways()) {
          Deque<Sample> d = history.computeIfAbsent(g.name(), n -> new ArrayDeque<>());
          d.addLast(sample(report.time(), g));
          while (d.size() > maxSamples) {
            d.removeFirst();
          }
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("console: cannot record a health round: {}", e.toString(), e);
    }
  }

  /** The sample of the fastest answering address, else of the first. */
  static Sample sample(Instant time, HealthReport.Gateway g) {
    HealthReport.Address best = null;
    for (HealthReport.Address a : g.addresses()) {
      if (a.rttMillis().isPresent()
          && (best == null
              || best.rttMillis().isEmpty()
              || a.rttMillis().get() < best.rttMillis().get())) {
        best = a;
      }
    }
    if (best == null && !g.addresses().isEmpty()) {
      best = g.addresses().get(0);
    }
    return best == null
        ? new Sample(time, g.state(), null, null)
        : new Sample(time, g.state(), best.code().orElse(null), best.rttMillis().orElse(null));
  }

  @Override
  public void close() {
    poller.shutdownNow();
    subscribers.clear();
  }
}
