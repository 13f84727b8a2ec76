package org.umgw.model;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One directory's objects, indexed the ways the rules and the trust snapshot look them up: by name,
 * hunt groups by gateway (by name) and by dial plan, gateways by address text. Kept current by
 * {@link #apply} in O(change), so a consumer finds what a change can affect (its dial plan, its
 * address, its siblings) without scanning the directory. Not thread-safe; not a copy: the indexed
 * objects are the directory's own immutable records.
 */
public final class ContentsIndex {
  private final Map<String, DialPlan> dialPlans = new HashMap<>();
  private final Map<String, Gateway> gateways = new HashMap<>();
  private final Map<String, UmServer> servers = new HashMap<>();
  private final Map<String, TreeMap<String, HuntGroup>> byGateway = new HashMap<>();
  private final Map<String, Map<String, HuntGroup>> byDialPlan = new HashMap<>();
  private final Map<String, Map<String, Gateway>> byAddress = new HashMap<>();

  /** Forgets everything and indexes {@code all} (O(size)). */
  public void reset(DirectoryContents all) {
    dialPlans.clear();
    gateways.clear();
    servers.clear();
    byGateway.clear();
    byDialPlan.clear();
    byAddress.clear();
    all.dialPlans().forEach(d -> dialPlans.put(d.name(), d));
    all.gateways().forEach(this::add);
    all.huntGroups().forEach(this::add);
    all.servers().forEach(s -> servers.put(s.name(), s));
  }

  /** Applies {@code delta}: every before out, then every after in. */
  public void apply(ContentsDelta delta) {
    for (ContentsDelta.Change<DialPlan> c : delta.dialPlans()) {
      if (c.before() != null) {
        dialPlans.remove(c.before().name(), c.before());
      }
    }
    for (ContentsDelta.Change<Gateway> c : delta.gateways()) {
      if (c.before() != null) {
        remove(c.before());
      }
    }
    for (ContentsDelta.Change<HuntGroup> c : delta.huntGroups()) {
      if (c.before() != null) {
        remove(c.before());
      }
    }
    for (ContentsDelta.Change<UmServer> c : delta.servers()) {
      if (c.before() != null) {
        servers.remove(c.before().name(), c.before());
      }
    }
    for (ContentsDelta.Change<DialPlan> c : delta.dialPlans()) {
      if (c.after() != null) {
        dialPlans.put(c.after().name(), c.after());
      }
    }
    for (ContentsDelta.Change<Gateway> c : delta.gateways()) {
      if (c.after() != null) {
        add(c.after());
      }
    }
    for (ContentsDelta.Change<HuntGroup> c : delta.huntGroups()) {
      if (c.after() != null) {
        add(c.after());
      }
    }
    for (ContentsDelta.Change<UmServer> c : delta.servers()) {
      if (c.after() != null) {
        servers.put(c.after().name(), c.after());
      }
    }
  }

  public DialPlan dialPlan(String name) {
    return dialPlans.get(name);
  }

  /** Every dial plan, by name (read-only view). */
  public Map<String, DialPlan> dialPlans() {
    return java.util.Collections.unmodifiableMap(dialPlans);
  }

  public Gateway gateway(String name) {
    return gateways.get(name);
  }

  public UmServer server(String name) {
    return servers.get(name);
  }

  /** The hunt groups of gateway {@code name} (whether or not it exists), by name. */
  public Map<String, HuntGroup> huntGroupsOf(String gateway) {
    TreeMap<String, HuntGroup> of = byGateway.get(gateway);
    return of == null ? Map.of() : java.util.Collections.unmodifiableMap(of);
  }

  /** The hunt groups linking to dial plan {@code name} (whether or not it exists). */
  public Collection<HuntGroup> linking(String dialPlan) {
    Map<String, HuntGroup> of = byDialPlan.get(dialPlan);
    return of == null ? Set.of() : java.util.Collections.unmodifiableCollection(of.values());
  }

  /** The gateways whose address is spelt {@code text}. */
  public Collection<Gateway> atAddress(String text) {
    Map<String, Gateway> of = byAddress.get(text);
    return of == null ? Set.of() : java.util.Collections.unmodifiableCollection(of.values());
  }

  private void add(Gateway g) {
    gateways.put(g.name(), g);
    byAddress.computeIfAbsent(g.address().text(), k -> new LinkedHashMap<>()).put(g.name(), g);
  }

  private void remove(Gateway g) {
    if (!gateways.remove(g.name(), g)) {
      return;
    }
    Map<String, Gateway> at = byAddress.get(g.address().text());
    at.remove(g.name());
    if (at.isEmpty()) {
      byAddress.remove(g.address().text());
    }
  }

  private void add(HuntGroup h) {
    byGateway.computeIfAbsent(h.gateway(), k -> new TreeMap<>()).put(h.name(), h);
    byDialPlan
        .computeIfAbsent(h.dialPlan(), k -> new LinkedHashMap<>())
        .put(ContentsDelta.huntGroupKey(h), h);
  }

  private void remove(HuntGroup h) {
    TreeMap<String, HuntGroup> of = byGateway.get(h.gateway());
    if (of == null || !of.remove(h.name(), h)) {
      return;
    }
    if (of.isEmpty()) {
      byGateway.remove(h.gateway());
    }
    Map<String, HuntGroup> linking = byDialPlan.get(h.dialPlan());
    linking.remove(ContentsDelta.huntGroupKey(h));
    if (linking.isEmpty()) {
      byDialPlan.remove(h.dialPlan());
    }
  }
}
