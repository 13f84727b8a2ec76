package org.umgw.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans events out: logs each with its ID (SLF4J logger {@code org.umgw.events}) and hands it to
 * every registered listener. A listener that throws is logged and skipped, never the others.
 */
public final class Events implements EventListener {
  private static final Logger LOG = LoggerFactory.getLogger("org.umgw.events");

  private final List<EventListener> listeners = new CopyOnWriteArrayList<>();

  public void addListener(EventListener listener) {
    listeners.add(listener);
  }

  public void removeListener(EventListener listener) {
    listeners.remove(listener);
  }

  @Override
  public void onEvent(Event event) {
    switch (event.level()) {
      case Error -> LOG.error("{}", event);
      case Warning -> LOG.warn("{}", event);
      case Information -> LOG.info("{}", event);
    }
    for (EventListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("event listener {} failed on {}", l, event, e);
      }
    }
  }
}
