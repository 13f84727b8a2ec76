package org.umgw.directory;

import org.umgw.model.UmgwException;

/** An entry that does not map to an object; carries the {@link EntryProblem} at fault. */
public final class EntryMappingException extends UmgwException {
  private static final long serialVersionUID = 1L;

  private final transient EntryProblem problem;

  public EntryMappingException(EntryProblem problem) {
    super(problem.toString());
    this.problem = problem;
  }

  public EntryProblem problem() {
    return problem;
  }
}
