package org.umgw.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.umgw.testing.Slapd;

/** The slapd.conf form of the schema ({@code schema/umgw.schema}) enforces the same. */
class InvalidEntriesSlapdConfTest {
  private static Slapd slapd;

  @BeforeAll
  static void start() {
    slapd = Slapd.start(Slapd.options().schemaForm(Slapd.SchemaForm.SLAPD_CONF));
    slapd.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
  }

  @AfterAll
  static void stop() {
    if (slapd != null) {
      slapd.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.umgw.directory.InvalidEntriesContract#schemaFiles")
  void schemaBreaker_refusedByLdapadd(Path file) {
    Slapd.ToolResult r = slapd.ldapTool("ldapadd", "-f", file.toString());
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
  }
}
