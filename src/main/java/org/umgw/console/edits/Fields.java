package org.umgw.console.edits;

import org.umgw.model.UmgwException;

/** Form values checked like the CLI's options, with messages naming the field and the value. */
final class Fields {
  private Fields() {}

  static int port(String value) {
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      int p = Integer.parseInt(value.strip());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below with the value
    }
    throw new UmgwException("port \"" + value + "\": a number from 0 to 65535");
  }

  static boolean bool(String value, String field) {
    if ("true".equals(value)) {
      return true;
    }
    if ("false".equals(value)) {
      return false;
    }
    throw new UmgwException(field + " \"" + value + "\": true or false");
  }
}
