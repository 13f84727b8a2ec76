package org.umgw.model;

/**
 * A value an object cannot take: {@code UM IP gateway "gw1": umAddress "0.0.0.0": the unspecified
 * address cannot be a gateway address}.
 *
 * <p>Attributes are named by their LDAP names, the public names of the schema.
 */
public final class InvalidValueException extends UmgwException {
  private static final long serialVersionUID = 1L;

  private final transient ObjectRef object;
  private final String attribute;
  private final String value;
  private final String reason;

  public InvalidValueException(ObjectRef object, String attribute, String value, String reason) {
    super(object + ": " + attribute + " \"" + value + "\": " + reason);
    this.object = object;
    this.attribute = attribute;
    this.value = value;
    this.reason = reason;
  }

  public ObjectRef object() {
    return object;
  }

  public String attribute() {
    return attribute;
  }

  public String value() {
    return value;
  }

  /** The message without the object, attribute and value prefix. */
  public String reason() {
    return reason;
  }
}
