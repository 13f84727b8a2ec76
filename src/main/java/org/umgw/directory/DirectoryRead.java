package org.umgw.directory;

import java.util.List;
import org.umgw.model.DirectoryContents;

/** A whole-directory read: every valid object and a problem for each entry left out. */
public record DirectoryRead(DirectoryContents contents, List<EntryProblem> problems) {
  public DirectoryRead {
    problems = List.copyOf(problems);
  }
}
