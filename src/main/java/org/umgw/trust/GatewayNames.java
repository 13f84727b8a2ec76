package org.umgw.trust;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.pcollections.HashTreePMap;
import org.pcollections.HashTreePSet;
import org.pcollections.PMap;
import org.pcollections.PSet;
import org.umgw.model.Gateway;
import org.umgw.tls.CertificateNames;

/**
 * The trusted gateways addressed by FQDN, indexed for certificate identity: by exact name, and by
 * parent domain for wildcard certificates ({@code *.example.test} can only name a gateway whose
 * FQDN is one label under {@code example.test}). Persistent: a change of a few gateways shares the
 * rest with the index before, so an admission over TLS looks up a handful of names instead of
 * matching every gateway, and a directory change does not rebuild the index.
 */
final class GatewayNames {
  private final PMap<String, PSet<Gateway>> byName;
  private final PMap<String, PSet<Gateway>> byParent;

  private GatewayNames(PMap<String, PSet<Gateway>> byName, PMap<String, PSet<Gateway>> byParent) {
    this.byName = byName;
    this.byParent = byParent;
  }

  static GatewayNames of(Collection<Gateway> linked) {
    Editor e = new GatewayNames(HashTreePMap.empty(), HashTreePMap.empty()).edit();
    linked.forEach(e::add);
    return e.done();
  }

  Editor edit() {
    return new Editor(byName, byParent);
  }

  /** Adds and removes gateways; {@link #done} makes the new index. */
  static final class Editor {
    private PMap<String, PSet<Gateway>> byName;
    private PMap<String, PSet<Gateway>> byParent;

    private Editor(PMap<String, PSet<Gateway>> byName, PMap<String, PSet<Gateway>> byParent) {
      this.byName = byName;
      this.byParent = byParent;
    }

    void add(Gateway g) {
      if (!g.address().isFqdn()) {
        return;
      }
      String fqdn = normalize(g.address().text());
      byName = plus(byName, fqdn, g);
      int dot = fqdn.indexOf('.');
      if (dot > 0) {
        byParent = plus(byParent, fqdn.substring(dot + 1), g);
      }
    }

    void remove(Gateway g) {
      if (!g.address().isFqdn()) {
        return;
      }
      String fqdn = normalize(g.address().text());
      byName = minus(byName, fqdn, g);
      int dot = fqdn.indexOf('.');
      if (dot > 0) {
        byParent = minus(byParent, fqdn.substring(dot + 1), g);
      }
    }

    GatewayNames done() {
      return new GatewayNames(byName, byParent);
    }

    private static PMap<String, PSet<Gateway>> plus(
        PMap<String, PSet<Gateway>> map, String key, Gateway g) {
      PSet<Gateway> set = map.get(key);
      return map.plus(key, (set == null ? HashTreePSet.<Gateway>empty() : set).plus(g));
    }

    private static PMap<String, PSet<Gateway>> minus(
        PMap<String, PSet<Gateway>> map, String key, Gateway g) {
      PSet<Gateway> set = map.get(key);
      if (set == null) {
        return map;
      }
      PSet<Gateway> less = set.minus(g);
      return less.isEmpty() ? map.minus(key) : map.plus(key, less);
    }
  }

  /** The gateways whose FQDN one of the certificate's identities matches (RFC 6125), by name. */
  List<Gateway> named(CertificateNames names) {
    Set<Gateway> found = new LinkedHashSet<>();
    for (String id : names.identities()) {
      String n = normalize(id);
      if (n.startsWith("*.")) {
        for (Gateway g : byParent.getOrDefault(n.substring(2), HashTreePSet.empty())) {
          if (CertificateNames.matches(id, g.address().text())) {
            found.add(g);
          }
        }
      } else {
        found.addAll(byName.getOrDefault(n, HashTreePSet.empty()));
      }
    }
    List<Gateway> sorted = new ArrayList<>(found);
    sorted.sort(java.util.Comparator.comparing(Gateway::name));
    return sorted;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GatewayNames n && byName.equals(n.byName) && byParent.equals(n.byParent);
  }

  @Override
  public int hashCode() {
    return byName.hashCode();
  }

  private static String normalize(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
