package org.umgw.service;

/**
 * Told when a gateway's status changes, after the snapshot that reflects it is in service; called
 * on the service thread, so it must return quickly and not throw.
 */
@FunctionalInterface
public interface GatewayStatusListener {
  void onStatusChange(GatewayStatusChange change);
}
