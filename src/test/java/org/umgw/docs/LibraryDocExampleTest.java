package org.umgw.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.testing.Slapd;

/**
 * Every {@code java} code block of docs/library.md compiles, as written, against the library and
 * its dependencies (the test class path), with all lint warnings as errors: the guide's examples
 * cannot drift from the API again. Each block is a whole compilation unit (imports included), so a
 * reader can paste it as it is.
 */
class LibraryDocExampleTest {
  private static final Pattern JAVA_BLOCK =
      Pattern.compile("^```java\\n(.*?)^```$", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern TOP_LEVEL_TYPE =
      Pattern.compile(
          "^(?:public\\s+)?(?:(?:final|abstract|sealed)\\s+)*(?:class|interface|record|enum)\\s+(\\w+)",
          Pattern.MULTILINE);

  @TempDir Path outDir;

  /** A java block of a markdown file: its source and the file line its first line is on. */
  record Block(Path file, int firstLine, String source) {
    String typeName() {
      Matcher m = TOP_LEVEL_TYPE.matcher(source);
      if (!m.find()) {
        throw new AssertionError(
            file + ":" + firstLine + ": a java block must declare a top-level type");
      }
      return m.group(1);
    }
  }

  @Test
  void libraryGuide_everyJavaBlockCompiles() throws IOException {
    Path doc = Slapd.projectPath("docs/library.md");
    List<Block> blocks = javaBlocks(doc);
    assertThat(blocks).as("java blocks in %s", doc).isNotEmpty();
    assertThat(blocks.get(0).source())
        .as("the embedding example")
        .contains("TrustService.builder()")
        .contains("trust.admit(");
    for (Block b : blocks) {
      assertThat(b.source().stripLeading())
          .as("%s:%d: a java block is a whole compilation unit, imports first", doc, b.firstLine())
          .startsWith("import ");
      compile(b);
    }
  }

  /**
   * The "Stable API" section names types that exist and are public; the internal ones it names
   * exist (so a rename shows up here, not in a user's build).
   */
  @Test
  void stableApiSection_namesExistingTypes() throws IOException {
    String doc = Files.readString(Slapd.projectPath("docs/library.md"), UTF_8);
    int start = doc.indexOf("\n## Stable API\n");
    assertThat(start).as("a Stable API section in docs/library.md").isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    String section = doc.substring(start, end < 0 ? doc.length() : end);
    int internal = section.indexOf("**Internal**");
    assertThat(internal).as("an Internal paragraph in the Stable API section").isPositive();
    List<String> stable = typeNames(section.substring(0, internal));
    List<String> internals = typeNames(section.substring(internal));
    assertThat(stable).hasSizeGreaterThan(20).contains("org.umgw.service.TrustService");
    for (String name : stable) {
      assertThat(Modifier.isPublic(load(name).getModifiers())).as("%s is public", name).isTrue();
    }
    for (String name : internals) {
      load(name);
    }
  }

  private static List<String> typeNames(String markdown) {
    Matcher m = Pattern.compile("`(org\\.umgw(?:\\.[a-z]\\w*)+\\.[A-Z]\\w*)`").matcher(markdown);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, LibraryDocExampleTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError("docs/library.md names " + name + ", which does not exist", e);
    }
  }

  @Test
  void compile_reportsAMissingImport_withTheMarkdownLine() throws IOException {
    // The harness itself must fail on what the issue found: an example without its imports.
    Block broken =
        new Block(
            Path.of("docs/library.md"),
            40,
            "final class Broken {\n  Optional<String> none() {\n    return Optional.empty();\n  }\n}\n");
    AssertionError e = null;
    try {
      compile(broken);
    } catch (AssertionError thrown) {
      e = thrown;
    }
    assertThat(e).as("compiling a block without its import").isNotNull();
    assertThat(e.getMessage()).contains("docs/library.md:41: ").contains("Optional");
  }

  static List<Block> javaBlocks(Path markdown) throws IOException {
    String text = Files.readString(markdown, UTF_8);
    List<Block> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(text);
    while (m.find()) {
      int line = (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count() + 1;
      blocks.add(new Block(markdown, line, m.group(1)));
    }
    return blocks;
  }

  private void compile(Block block) throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac).as("javac (run the tests on a JDK)").isNotNull();
    Path out = Files.createTempDirectory(outDir, "classes");
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaFileObject source =
        new SimpleJavaFileObject(
            URI.create("string:///" + block.typeName() + ".java"), JavaFileObject.Kind.SOURCE) {
          @Override
          public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return block.source();
          }
        };
    List<String> options =
        List.of(
            "--release",
            "17",
            "-Xlint:all",
            "-Werror",
            "-classpath",
            System.getProperty("java.class.path"),
            "-d",
            out.toString());
    boolean ok;
    try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, UTF_8)) {
      ok = javac.getTask(null, files, diagnostics, options, null, List.of(source)).call();
    }
    if (!ok || !diagnostics.getDiagnostics().isEmpty()) {
      throw new AssertionError(
          "the java block at "
              + block.file()
              + ":"
              + block.firstLine()
              + " does not compile cleanly:\n"
              + diagnostics.getDiagnostics().stream()
                  .map(d -> describe(block, d))
                  .collect(Collectors.joining("\n")));
    }
  }

  private static String describe(Block block, Diagnostic<? extends JavaFileObject> d) {
    long line = d.getLineNumber() == Diagnostic.NOPOS ? 0 : d.getLineNumber() - 1;
    return block.file()
        + ":"
        + (block.firstLine() + line)
        + ": "
        + d.getKind().toString().toLowerCase(Locale.ROOT)
        + ": "
        + d.getMessage(Locale.ROOT);
  }
}
