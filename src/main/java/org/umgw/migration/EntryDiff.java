package org.umgw.migration;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** What an update changes, as the report prints it; values compare as sets, as in LDAP. */
final class EntryDiff {
  private EntryDiff() {}

  /** {@code umPort: 5060 -> 5061}, one line per umgw attribute that differs. */
  static List<String> lines(Entry before, Entry after) {
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    before.getAttributes().forEach(a -> names.add(a.getName()));
    after.getAttributes().forEach(a -> names.add(a.getName()));
    List<String> lines = new ArrayList<>();
    for (String name : names) {
      Attribute a = before.getAttribute(name);
      Attribute b = after.getAttribute(name);
      Set<String> va = a == null ? Set.of() : Set.of(a.getValues());
      Set<String> vb = b == null ? Set.of() : Set.of(b.getValues());
      if (!va.equals(vb)) {
        lines.add(name + ": " + show(a) + " -> " + show(b));
      }
    }
    return lines;
  }

  private static String show(Attribute a) {
    return a == null || a.size() == 0 ? "(none)" : String.join(", ", a.getValues());
  }
}
