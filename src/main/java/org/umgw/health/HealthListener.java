package org.umgw.health;

/**
 * Receives state changes of gateways and their addresses, after each round, on the monitor's
 * thread: it must return quickly; what it throws is logged and ignored.
 */
@FunctionalInterface
public interface HealthListener {
  void onTransition(HealthTransition transition);
}
