package org.umgw.model;

/** The four kinds of directory object, with the words used for them in messages. */
public enum ObjectKind {
  GATEWAY("UM IP gateway"),
  HUNT_GROUP("UM hunt group"),
  DIAL_PLAN("UM dial plan"),
  SERVER("UM server");

  private final String label;

  ObjectKind(String label) {
    this.label = label;
  }

  /** The kind as users know it from Exchange, e.g. "UM IP gateway". */
  public String label() {
    return label;
  }
}
