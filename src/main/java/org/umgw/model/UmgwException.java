package org.umgw.model;

/** Base of every failure umgw reports to a user: the message names the object and the value. */
public class UmgwException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UmgwException(String message) {
    super(message);
  }

  public UmgwException(String message, Throwable cause) {
    super(message, cause);
  }
}
