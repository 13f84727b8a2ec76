package org.umgw.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.umgw.model.DirectoryContents;
import org.umgw.rules.DirectoryValidator;
import org.umgw.rules.Rule;
import org.umgw.rules.RuleViolation;
import org.umgw.testing.Slapd;
import org.umgw.testing.TestDirectories;

/**
 * The sample directory and every file of {@code ldif/invalid/} against one real server, which holds
 * the sample directory: schema breakers are refused by the server, the rest are let in and reported
 * by umgw without hiding any other object.
 */
interface InvalidEntriesContract {

  DirectoryStore store();

  /**
   * Adds the entries of an LDIF file the way an administrator would on this server.
   *
   * @throws Exception when the server refuses any entry
   */
  void addLdif(Path file) throws Exception;

  static Stream<Path> files(String prefix) {
    try (Stream<Path> list = Files.list(Slapd.projectPath("ldif/invalid"))) {
      return list
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .sorted()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Path> schemaFiles() {
    return files("schema-");
  }

  static Stream<Path> problemFiles() {
    return files("problem-");
  }

  static Stream<Path> ruleFiles() {
    return files("rule-");
  }

  /** The words after {@code # expect: KIND} on the file's first line. */
  static String expectation(Path file, String kind) {
    try {
      String first = Files.readAllLines(file).get(0);
      String prefix = "# expect: " + kind;
      assertThat(first).as(file + " first line").startsWith(prefix);
      return first.substring(prefix.length()).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Entry> entriesOf(Path file) {
    return TestDirectories.readLdif(Slapd.projectPath("").relativize(file).toString());
  }

  private void removeEntriesOf(Path file) {
    List<Entry> entries = entriesOf(file);
    for (int i = entries.size() - 1; i >= 0; i--) {
      try {
        store().pool().delete(entries.get(i).getDN());
      } catch (LDAPException ignored) {
        // Not added: nothing to remove.
      }
    }
  }

  @Test
  default void sample_loadsCompleteAndBreaksNoRule() {
    DirectoryRead read = store().readAll();
    DirectoryContents c = read.contents();
    assertThat(read.problems()).isEmpty();
    assertThat(c.dialPlans()).hasSize(4);
    assertThat(c.gateways()).hasSize(9);
    assertThat(c.huntGroups()).hasSize(10);
    assertThat(c.servers()).hasSize(2);
    assertThat(DirectoryValidator.validate(c)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.umgw.directory.InvalidEntriesContract#schemaFiles")
  default void schemaBreaker_refusedByTheServer(Path file) {
    expectation(file, "schema");
    try {
      assertThatThrownBy(() -> addLdif(file)).as(file.toString()).isNotNull();
      for (Entry e : entriesOf(file)) {
        try {
          assertThat(store().pool().getEntry(e.getDN())).as(e.getDN()).isNull();
        } catch (LDAPException ex) {
          throw new AssertionError(ex);
        }
      }
    } finally {
      removeEntriesOf(file);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.umgw.directory.InvalidEntriesContract#problemFiles")
  default void malformedEntry_acceptedByServer_reportedWithDnAttributeAndValue(Path file)
      throws Exception {
    String attribute = expectation(file, "problem");
    Entry bad = entriesOf(file).get(0);
    try {
      addLdif(file);
      DirectoryRead read = store().readAll();
      assertThat(read.problems()).hasSize(1);
      EntryProblem p = read.problems().get(0);
      assertThat(new DN(p.dn())).isEqualTo(bad.getParsedDN());
      assertThat(p.attribute()).isEqualTo(attribute);
      assertThat(p.value()).isNotNull();
      assertThat(p.toString()).contains(attribute + " \"" + p.value() + "\": ");
      // One bad entry never hides the others.
      assertThat(read.contents().gateways()).hasSizeGreaterThanOrEqualTo(9);
      assertThat(read.contents().dialPlans()).hasSizeGreaterThanOrEqualTo(4);
    } finally {
      removeEntriesOf(file);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.umgw.directory.InvalidEntriesContract#ruleFiles")
  default void ruleBreaker_acceptedByServer_reportedByValidator(Path file) throws Exception {
    Rule rule = Rule.valueOf(expectation(file, "rule"));
    try {
      addLdif(file);
      DirectoryRead read = store().readAll();
      assertThat(read.problems()).isEmpty();
      List<RuleViolation> violations = DirectoryValidator.validate(read.contents());
      assertThat(violations).isNotEmpty().allMatch(v -> v.rule() == rule);
    } finally {
      removeEntriesOf(file);
    }
  }
}
