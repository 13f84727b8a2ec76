package org.umgw.directory;

import org.umgw.model.ObjectRef;
import org.umgw.model.UmgwException;

/** An object of that kind and name exists already: {@code UM dial plan "dp1": already exists}. */
public final class ObjectExistsException extends UmgwException {
  private static final long serialVersionUID = 1L;

  private final transient ObjectRef object;

  public ObjectExistsException(ObjectRef object) {
    super(object + ": already exists");
    this.object = object;
  }

  public ObjectRef object() {
    return object;
  }
}
