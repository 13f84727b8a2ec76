package org.umgw.directory;

import java.util.List;

/**
 * Objects read from the directory plus the entries that could not become objects: one bad entry
 * never hides the others.
 */
public record Loaded<T>(List<T> objects, List<EntryProblem> problems) {
  public Loaded {
    objects = List.copyOf(objects);
    problems = List.copyOf(problems);
  }
}
