package org.umgw.model;

/**
 * Whether a gateway takes calls. {@link #NoNewCalls} lets calls in progress finish; {@link
 * #Disabled} drops them at once. Constant names are the exact LDAP values of {@code umStatus}.
 */
public enum GatewayStatus {
  Enabled,
  Disabled,
  NoNewCalls;

  public static GatewayStatus parse(String text, ObjectRef object) {
    return Enums.parse(GatewayStatus.class, text, object, "umStatus");
  }
}
