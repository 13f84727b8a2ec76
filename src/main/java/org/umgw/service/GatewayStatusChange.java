package org.umgw.service;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;

/**
 * A gateway's status changed in the directory (or the gateway went away), with what a SIP server
 * must do about the calls it carries.
 *
 * @param gateway the gateway's name
 * @param before its status before, or {@code null} when it is new
 * @param after its status now, or {@code null} when it was removed from the directory
 */
public record GatewayStatusChange(
    String gateway, GatewayStatus before, GatewayStatus after, CallAction action) {

  /** What the SIP server does with the gateway's calls. */
  public enum CallAction {
    /** Enabled: accept new calls again. */
    ACCEPT_NEW_CALLS,
    /** NoNewCalls: refuse new calls, let the calls in progress finish. */
    REFUSE_NEW_CALLS,
    /** Disabled or removed: drop the calls in progress too. */
    DROP_CALLS
  }

  public GatewayStatusChange {
    requireNonNull(gateway, "gateway == null");
    requireNonNull(action, "action == null");
  }

  /**
   * The status changes from one directory state to the next: gateways whose status differs, and
   * gateways that went away (new gateways are not changes: nothing was carrying their calls).
   */
  public static List<GatewayStatusChange> between(
      DirectoryContents before, DirectoryContents after) {
    Map<String, GatewayStatus> old = new HashMap<>();
    before.gateways().forEach(g -> old.put(g.name(), g.status()));
    List<GatewayStatusChange> changes = new ArrayList<>();
    for (Gateway g : after.gateways()) {
      GatewayStatus was = old.remove(g.name());
      if (was != null && was != g.status()) {
        changes.add(of(g.name(), was, g.status()));
      }
    }
    old.forEach((name, was) -> changes.add(of(name, was, null)));
    return changes;
  }

  /**
   * As {@link #between}, from what changed only (O(change)): gateways whose status differs, and
   * gateways that went away.
   */
  public static List<GatewayStatusChange> of(ContentsDelta delta) {
    Map<String, GatewayStatus> old = new java.util.LinkedHashMap<>();
    Map<String, GatewayStatus> now = new HashMap<>();
    for (ContentsDelta.Change<Gateway> c : delta.gateways()) {
      if (c.before() != null) {
        old.put(c.before().name(), c.before().status());
      }
      if (c.after() != null) {
        now.put(c.after().name(), c.after().status());
      }
    }
    List<GatewayStatusChange> changes = new ArrayList<>();
    old.forEach(
        (name, was) -> {
          GatewayStatus is = now.get(name);
          if (is != was) {
            changes.add(of(name, was, is));
          }
        });
    return changes;
  }

  /** The change from {@code before} to {@code after} ({@code null} = absent). */
  static GatewayStatusChange of(String gateway, GatewayStatus before, GatewayStatus after) {
    CallAction action =
        after == null
            ? CallAction.DROP_CALLS
            : switch (after) {
              case Enabled -> CallAction.ACCEPT_NEW_CALLS;
              case NoNewCalls -> CallAction.REFUSE_NEW_CALLS;
              case Disabled -> CallAction.DROP_CALLS;
            };
    return new GatewayStatusChange(gateway, before, after, action);
  }
}
