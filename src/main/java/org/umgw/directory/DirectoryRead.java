package org.umgw.directory;

import com.unboundid.ldap.sdk.Entry;
import java.util.List;
import java.util.Map;
import org.umgw.model.DirectoryContents;

/**
 * A whole-directory read: every valid object and a problem for each entry left out.
 *
 * @param unmapped the raw entry behind each problem, by the problem's DN (when the reader had it),
 *     so that a policy can read what is still readable of it instead of guessing
 */
public record DirectoryRead(
    DirectoryContents contents, List<EntryProblem> problems, Map<String, Entry> unmapped) {
  public DirectoryRead {
    problems = List.copyOf(problems);
    unmapped = Map.copyOf(unmapped);
  }

  /** A read without the raw entries of its problems. */
  public DirectoryRead(DirectoryContents contents, List<EntryProblem> problems) {
    this(contents, problems, Map.of());
  }
}
