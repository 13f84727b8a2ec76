package org.umgw.migration;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.umgw.model.ObjectKind;

/**
 * What the import did with one Exchange object.
 *
 * @param dn the object's DN in Exchange's directory (as in the export)
 * @param kind the umgw kind it maps to, or {@code null} for an object of another class
 * @param name the umgw name ({@code gateway/huntgroup} for a hunt group), or {@code null}
 * @param changes for an update, one line per umgw attribute changed ({@code umPort: 5060 -> 5061})
 * @param problems why it was refused, or why it was ignored
 * @param kept properties that differ from Exchange but cannot change after creation (a dial plan's
 *     URI type and number of digits): reported, never changed
 */
public record ObjectOutcome(
    String dn,
    ObjectKind kind,
    String name,
    Outcome outcome,
    List<String> changes,
    List<Problem> problems,
    List<Problem> kept) {

  /** The five counts of the report. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    REFUSED,
    IGNORED;

    /** {@code created}, as printed. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public ObjectOutcome {
    requireNonNull(dn, "dn == null");
    requireNonNull(outcome, "outcome == null");
    changes = List.copyOf(changes);
    problems = List.copyOf(problems);
    kept = List.copyOf(kept);
  }

  static ObjectOutcome refused(String dn, ObjectKind kind, String name, List<Problem> problems) {
    return new ObjectOutcome(dn, kind, name, Outcome.REFUSED, List.of(), problems, List.of());
  }

  static ObjectOutcome ignored(String dn, String reason) {
    return new ObjectOutcome(
        dn,
        null,
        null,
        Outcome.IGNORED,
        List.of(),
        List.of(new Problem(null, null, reason)),
        List.of());
  }
}
