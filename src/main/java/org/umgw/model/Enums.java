package org.umgw.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Parsing of the enumerated LDAP values, which LDAP browsers let people type in any case. */
final class Enums {
  private Enums() {}

  static <E extends Enum<E>> E parse(Class<E> type, String text, ObjectRef object, String attr) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
    }
    throw new InvalidValueException(object, attr, text, "expected one of " + spellings(type));
  }

  static <E extends Enum<E>> String spellings(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
  }
}
