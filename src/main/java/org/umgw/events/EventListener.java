package org.umgw.events;

/** Receives events; called on umgw's threads, so it must return quickly and not throw. */
@FunctionalInterface
public interface EventListener {
  void onEvent(Event event);
}
