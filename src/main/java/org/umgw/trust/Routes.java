package org.umgw.trust;

import java.util.Map;
import java.util.TreeMap;

/**
 * One gateway's hunt groups, by pilot (case-insensitive) and transport; immutable once built, so
 * snapshots share the routes of every gateway a change does not touch.
 */
final class Routes {
  private final TreeMap<String, Admission.Accepted> plain =
      new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
  private final TreeMap<String, Admission.Accepted> tls =
      new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  /** While building only: the first hunt group of a pilot wins. */
  void add(String pilot, boolean overTls, Admission.Accepted route) {
    (overTls ? tls : plain).putIfAbsent(pilot, route);
  }

  Admission.Accepted route(String pilot, boolean overTls) {
    TreeMap<String, Admission.Accepted> table = overTls ? tls : plain;
    Admission.Accepted exact = table.get(pilot);
    return exact != null ? exact : table.get("");
  }

  Map<String, Admission.Accepted> plain() {
    return plain;
  }

  Map<String, Admission.Accepted> tls() {
    return tls;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Routes r && plain.equals(r.plain) && tls.equals(r.tls);
  }

  @Override
  public int hashCode() {
    return plain.hashCode() * 31 + tls.hashCode();
  }

  @Override
  public String toString() {
    return "Routes" + plain + tls;
  }
}
