package org.umgw.migration;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.umgw.migration.ObjectOutcome.Outcome;

/**
 * The outcome of one import: one {@link ObjectOutcome} per Exchange object in source order, and the
 * counts.
 *
 * @param dryRun nothing was written
 */
public record ImportReport(boolean dryRun, List<ObjectOutcome> objects) {
  public ImportReport {
    objects = List.copyOf(objects);
  }

  /** How many objects had {@code outcome}. */
  public int count(Outcome outcome) {
    return (int) objects.stream().filter(o -> o.outcome() == outcome).count();
  }

  /** Every count, zeros included, in the order created, updated, unchanged, refused, ignored. */
  public Map<Outcome, Integer> counts() {
    Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) {
      counts.put(o, count(o));
    }
    return counts;
  }

  /** Objects whose immutable properties differ from Exchange (kept as they are). */
  public int conflicts() {
    return (int) objects.stream().filter(o -> !o.kept().isEmpty()).count();
  }

  /** Everything in the export was imported exactly: nothing refused, nothing kept differently. */
  public boolean complete() {
    return count(Outcome.REFUSED) == 0 && conflicts() == 0;
  }

  /**
   * The report as text: one line per object ({@code created UM IP gateway "gw1" (CN=gw1,...)}),
   * indented lines for changes and problems, then the counts.
   */
  public String toText() {
    StringBuilder s = new StringBuilder();
    if (dryRun) {
      s.append("dry run: nothing was written\n");
    }
    for (ObjectOutcome o : objects) {
      s.append(String.format("%-9s ", o.outcome().label()));
      if (o.kind() != null) {
        s.append(o.kind().label()).append(" \"").append(o.name()).append("\" ");
      }
      s.append('(').append(o.dn()).append(")\n");
      for (String change : o.changes()) {
        s.append("    ").append(change).append('\n');
      }
      for (Problem p : o.problems()) {
        s.append("    ").append(p).append('\n');
      }
      for (Problem p : o.kept()) {
        s.append("    not changed: ").append(p).append('\n');
      }
    }
    s.append(summary()).append('\n');
    return s.toString();
  }

  /** {@code 12 created, 0 updated, 3 unchanged, 2 refused, 1 ignored}. */
  public String summary() {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<Outcome, Integer> c : counts().entrySet()) {
      if (s.length() > 0) {
        s.append(", ");
      }
      s.append(c.getValue()).append(' ').append(c.getKey().label());
    }
    if (conflicts() > 0) {
      s.append("; ").append(conflicts()).append(" with properties that cannot change");
    }
    return s.toString();
  }

  /** The report as nested maps and lists, for JSON: the same fields as {@link #toText()}. */
  public Map<String, Object> view() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dryRun", dryRun);
    Map<String, Object> counts = new LinkedHashMap<>();
    counts().forEach((k, v) -> counts.put(k.label(), v));
    m.put("counts", counts);
    m.put("conflicts", conflicts());
    m.put(
        "objects",
        objects.stream()
            .map(
                o -> {
                  Map<String, Object> v = new LinkedHashMap<>();
                  v.put("dn", o.dn());
                  v.put("kind", kindName(o.kind()));
                  v.put("name", o.name());
                  v.put("outcome", o.outcome().label());
                  v.put("changes", o.changes());
                  v.put("problems", o.problems().stream().map(ImportReport::view).toList());
                  v.put("notChanged", o.kept().stream().map(ImportReport::view).toList());
                  return v;
                })
            .toList());
    return m;
  }

  private static String kindName(org.umgw.model.ObjectKind kind) {
    if (kind == null) {
      return null;
    }
    return switch (kind) {
      case GATEWAY -> "gateway";
      case HUNT_GROUP -> "huntGroup";
      case DIAL_PLAN -> "dialPlan";
      case SERVER -> "server";
    };
  }

  private static Map<String, Object> view(Problem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("attribute", p.attribute());
    m.put("value", p.value());
    m.put("reason", p.reason());
    return m;
  }
}
