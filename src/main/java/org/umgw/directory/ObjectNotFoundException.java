package org.umgw.directory;

import org.umgw.model.ObjectRef;
import org.umgw.model.UmgwException;

/** The named object is not in the directory: {@code UM IP gateway "gw9": not found}. */
public final class ObjectNotFoundException extends UmgwException {
  private static final long serialVersionUID = 1L;

  private final transient ObjectRef object;

  public ObjectNotFoundException(ObjectRef object) {
    super(object + ": not found");
    this.object = object;
  }

  public ObjectRef object() {
    return object;
  }
}
