package org.umgw.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What changed between two {@link DirectoryContents}: per object, its version before and after
 * ({@code null} when it was absent). A consumer applies a delta as "remove every before, then add
 * every after", so a rename (a change whose before and after differ in name) and a swap of two
 * names both come out right. Hunt groups are identified by gateway and name.
 *
 * <pre>{@code
 * ContentsDelta d = ContentsDelta.between(before, after);   // O(directory): full refreshes only
 * DirectoryContents next = before.apply(d);                  // O(change · log² directory)
 * }</pre>
 */
public record ContentsDelta(
    List<Change<DialPlan>> dialPlans,
    List<Change<Gateway>> gateways,
    List<Change<HuntGroup>> huntGroups,
    List<Change<UmServer>> servers) {

  /** One object's versions; at least one is non-null. */
  public record Change<T>(T before, T after) {
    public Change {
      if (before == null && after == null) {
        throw new IllegalArgumentException("a change needs a before or an after");
      }
    }
  }

  public static final ContentsDelta EMPTY =
      new ContentsDelta(List.of(), List.of(), List.of(), List.of());

  public ContentsDelta {
    dialPlans = List.copyOf(dialPlans);
    gateways = List.copyOf(gateways);
    huntGroups = List.copyOf(huntGroups);
    servers = List.copyOf(servers);
  }

  public boolean isEmpty() {
    return size() == 0;
  }

  /** How many objects changed. */
  public int size() {
    return dialPlans.size() + gateways.size() + huntGroups.size() + servers.size();
  }

  /** The changes from {@code before} to {@code after}, by identity: O(size of both). */
  public static ContentsDelta between(DirectoryContents before, DirectoryContents after) {
    return new ContentsDelta(
        diff(before.dialPlans(), after.dialPlans(), DialPlan::name),
        diff(before.gateways(), after.gateways(), Gateway::name),
        diff(before.huntGroups(), after.huntGroups(), ContentsDelta::huntGroupKey),
        diff(before.servers(), after.servers(), UmServer::name));
  }

  /** The identity of a hunt group: its gateway and its name. */
  public static String huntGroupKey(HuntGroup h) {
    return h.gateway() + "/" + h.name();
  }

  private static <T> List<Change<T>> diff(List<T> before, List<T> after, Function<T, String> key) {
    Map<String, T> old = new HashMap<>(before.size() * 2);
    for (T t : before) {
      old.put(key.apply(t), t);
    }
    List<Change<T>> out = new ArrayList<>();
    for (T t : after) {
      T was = old.remove(key.apply(t));
      if (was == null || !was.equals(t)) {
        out.add(new Change<>(was, t));
      }
    }
    for (T gone : old.values()) {
      out.add(new Change<>(gone, null));
    }
    return out;
  }
}
