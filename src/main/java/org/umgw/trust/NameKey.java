package org.umgw.trust;

import static java.util.Objects.requireNonNull;

import org.umgw.model.IpAddressFamily;

/** A host name to resolve and the families wanted: one DNS resolution state per key. */
public record NameKey(String name, IpAddressFamily family) {
  public NameKey {
    requireNonNull(name, "name == null");
    requireNonNull(family, "family == null");
  }

  @Override
  public String toString() {
    return name + " (" + family + ")";
  }
}
