package org.umgw.rules;

import java.util.List;
import java.util.stream.Collectors;
import org.umgw.model.UmgwException;

/** A write refused because it would break one or more rules; nothing was written. */
public final class RuleViolationException extends UmgwException {
  private static final long serialVersionUID = 1L;

  private final transient List<RuleViolation> violations;

  public RuleViolationException(List<RuleViolation> violations) {
    super(violations.stream().map(RuleViolation::toString).collect(Collectors.joining("; ")));
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("no violations");
    }
    this.violations = List.copyOf(violations);
  }

  public RuleViolationException(RuleViolation violation) {
    this(List.of(violation));
  }

  public List<RuleViolation> violations() {
    return violations;
  }

  /**
   * @throws RuleViolationException when {@code violations} is not empty
   */
  public static void throwIfAny(List<RuleViolation> violations) {
    if (!violations.isEmpty()) {
      throw new RuleViolationException(violations);
    }
  }
}
