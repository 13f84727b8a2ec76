package org.umgw.trust;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.umgw.model.Gateway;
import org.umgw.tls.CertificateNames;

/**
 * The trusted gateways addressed by FQDN, indexed for certificate identity: by exact name, and by
 * parent domain for wildcard certificates ({@code *.example.test} can only name a gateway whose
 * FQDN is one label under {@code example.test}). Built with each snapshot, so an admission over TLS
 * looks up a handful of names instead of matching every gateway.
 */
final class GatewayNames {
  private final Map<String, List<Gateway>> byName = new HashMap<>();
  private final Map<String, List<Gateway>> byParent = new HashMap<>();

  GatewayNames(Collection<Gateway> linked) {
    for (Gateway g : linked) {
      if (!g.address().isFqdn()) {
        continue;
      }
      String fqdn = normalize(g.address().text());
      byName.computeIfAbsent(fqdn, k -> new ArrayList<>()).add(g);
      int dot = fqdn.indexOf('.');
      if (dot > 0) {
        byParent.computeIfAbsent(fqdn.substring(dot + 1), k -> new ArrayList<>()).add(g);
      }
    }
  }

  /** The gateways whose FQDN one of the certificate's identities matches (RFC 6125), by name. */
  List<Gateway> named(CertificateNames names) {
    Set<Gateway> found = new LinkedHashSet<>();
    for (String id : names.identities()) {
      String n = normalize(id);
      if (n.startsWith("*.")) {
        for (Gateway g : byParent.getOrDefault(n.substring(2), List.of())) {
          if (CertificateNames.matches(id, g.address().text())) {
            found.add(g);
          }
        }
      } else {
        found.addAll(byName.getOrDefault(n, List.of()));
      }
    }
    List<Gateway> sorted = new ArrayList<>(found);
    sorted.sort(java.util.Comparator.comparing(Gateway::name));
    return sorted;
  }

  private static String normalize(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
