package org.umgw.model;

import static java.util.Objects.requireNonNull;

/**
 * Names one directory object in messages and results: a gateway, dial plan or server by its name, a
 * hunt group as {@code gateway/huntgroup}.
 */
public record ObjectRef(ObjectKind kind, String name) {
  public ObjectRef {
    requireNonNull(kind, "kind == null");
    requireNonNull(name, "name == null");
  }

  public static ObjectRef gateway(String name) {
    return new ObjectRef(ObjectKind.GATEWAY, name);
  }

  public static ObjectRef huntGroup(String gateway, String name) {
    return new ObjectRef(ObjectKind.HUNT_GROUP, gateway + "/" + name);
  }

  public static ObjectRef dialPlan(String name) {
    return new ObjectRef(ObjectKind.DIAL_PLAN, name);
  }

  public static ObjectRef server(String name) {
    return new ObjectRef(ObjectKind.SERVER, name);
  }

  /** {@code UM IP gateway "gw1"}. */
  @Override
  public String toString() {
    return kind.label() + " \"" + name + "\"";
  }
}
