package org.umgw.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryLayout;
import org.umgw.testing.SampleSlapd;
import org.umgw.testing.Slapd;

/**
 * {@code umgw console} end to end in Debian's headless Chromium (driven by playwright-core, {@code
 * src/test/browser}): one console on slapd with the sample, one on the embedded directory, one
 * browser run over both. What the browser cannot see, the directory itself, is checked here with
 * {@code ldapsearch}. Node, {@code /usr/bin/chromium} and {@code src/test/browser/node_modules}
 * ({@code npm ci}) are required: the test fails without them.
 *
 * <p>With {@code -Dumgw.regenerate=true} the screenshots go to {@code docs/console/} (shown in
 * docs/console.md); otherwise to {@code target/console-screenshots/}.
 */
class ConsoleBrowserTest {
  @RegisterExtension static final SampleSlapd SAMPLE = new SampleSlapd();

  @TempDir Path tmp;

  private static final String XSS =
      "<img src=x onerror=\"window.__umgwXss=1\"><script>window.__umgwXss=2</script>";

  @Test
  void consoleInChromiumOnSlapdAndEmbedded() throws Exception {
    Path browserDir = Slapd.projectPath("src/test/browser");
    requireBrowserTools(browserDir);
    Slapd slapd = SAMPLE.slapd();
    DirectoryLayout layout = DirectoryLayout.of(slapd.suffix());
    slapd.ldapmodify(
        "dn: "
            + layout.gateway("Legacy-PBX")
            + "\nchangetype: modify\nreplace: description\ndescription: "
            + XSS
            + "\n\n"
            + "dn: uid=reader,"
            + slapd.suffix()
            + "\nchangetype: add\nobjectClass: inetOrgPerson\nuid: reader\ncn: Read Only\n"
            + "sn: Reader\nuserPassword: reader-secret\n");

    Path data = tmp.resolve("umgw-data");
    assertThat(CliRunner.run(Map.of(), "init", "--data-dir", data.toString()).code()).isZero();

    try (RunningConsole onSlapd =
            RunningConsole.start(
                "--ldap-url",
                slapd.url(),
                "--bind-dn",
                slapd.rootDn(),
                "--bind-password-file",
                slapd.rootPasswordFile().toString(),
                "--base-dn",
                slapd.suffix(),
                "--hosts-file",
                SAMPLE.hosts().toString(),
                "--dns-server",
                "127.0.0.1:9",
                "--dns-timeout",
                "200",
                "--interval",
                "1",
                "--deadline",
                "0.3",
                "--listen",
                "127.0.0.1:0");
        RunningConsole onEmbedded =
            RunningConsole.start(
                "--data-dir", data.toString(),
                "--dns-server", "127.0.0.1:9",
                "--dns-timeout", "200",
                "--interval", "1",
                "--deadline", "0.3",
                "--listen", "127.0.0.1:0")) {
      Map<String, Object> slapdTarget = new LinkedHashMap<>();
      slapdTarget.put("kind", "slapd");
      slapdTarget.put("url", onSlapd.url());
      slapdTarget.put("user", slapd.rootDn());
      slapdTarget.put("password", slapd.rootPassword());
      slapdTarget.put("gateways", List.of("Legacy-PBX", "Fabrikam-Edge", "Tokyo-Gateway"));
      slapdTarget.put("collisionAddress", "127.0.0.3");
      slapdTarget.put("collisionNames", List.of("Fabrikam-Edge", "Legacy-PBX"));
      slapdTarget.put("xssGateway", "Legacy-PBX");
      slapdTarget.put("disableGateway", "Tokyo-Gateway");
      slapdTarget.put(
          "ruleViolation",
          Map.of(
              "name",
              "Dup-GW",
              "address",
              "127.0.0.2",
              "message",
              "already the address of UM IP gateway"));
      slapdTarget.put("reader", Map.of("user", "reader", "password", "reader-secret"));

      Map<String, Object> embeddedTarget = new LinkedHashMap<>();
      embeddedTarget.put("kind", "embedded");
      embeddedTarget.put("url", onEmbedded.url());
      embeddedTarget.put("user", "cn=admin," + DirectoryLayout.DEFAULT_BASE);
      embeddedTarget.put(
          "password", Files.readString(data.resolve("admin.pw"), StandardCharsets.UTF_8).strip());
      embeddedTarget.put("disableGateway", "Tokyo-Gateway");

      Map<String, Object> config = new LinkedHashMap<>();
      config.put("targets", List.of(slapdTarget, embeddedTarget));
      config.put("screenshots", screenshots().toString());
      Path configFile = tmp.resolve("browser.json");
      new ObjectMapper().writeValue(configFile.toFile(), config);

      Process node =
          new ProcessBuilder("node", "console.test.mjs", configFile.toString())
              .directory(browserDir.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(node.waitFor(240, TimeUnit.SECONDS)).as("node finished").isTrue();
      assertThat(node.exitValue())
          .as("browser checks:\n%s\nslapd console log:\n%s", output, onSlapd.log())
          .isZero();
      assertThat(output)
          .contains(
              "ok - slapd: wrong password refused",
              "ok - slapd: logged in, the sample gateways are listed",
              "ok - slapd: keyboard: skip link first, then the content",
              "ok - slapd: 1175 collision highlighted",
              "ok - slapd: markup in a directory description is escaped",
              "ok - slapd: disabled Tokyo-Gateway with \"refuse new calls\"; pages updated",
              "ok - slapd: the events page got event 9802 live",
              "ok - slapd: \"drop calls now\" needs a confirmation",
              "ok - slapd: rule violation refused with its message",
              "ok - slapd: forms posted without the CSRF token are refused (403)",
              "ok - slapd: a read-only user logs in by uid and the directory refuses its change",
              "ok - slapd: pages and login work with JavaScript off",
              "ok - embedded: wrong password refused",
              "ok - embedded: disabled Tokyo-Gateway",
              "all browser checks passed");
    }

    // The directory itself changed, as the browser asked: NoNewCalls, not Disabled.
    Slapd.ToolResult search =
        slapd
            .ldapTool(
                "ldapsearch",
                "-LLL",
                "-b",
                layout.gateway("Tokyo-Gateway").toString(),
                "-s",
                "base",
                "umStatus")
            .assertOk();
    assertThat(search.stdout()).contains("umStatus: NoNewCalls");
    // The refused gateway was not created, and the reader changed nothing.
    Slapd.ToolResult dup =
        slapd.ldapTool(
            "ldapsearch", "-LLL", "-b", layout.gateways().toString(), "(cn=Dup-GW)", "cn");
    assertThat(dup.stdout()).doesNotContain("Dup-GW");
    // The embedded directory changed too (read back through the CLI, after the console closed).
    CliRunner.Result get =
        CliRunner.run(
            Map.of(),
            "gateway",
            "get",
            "Tokyo-Gateway",
            "--data-dir",
            data.toString(),
            "--format",
            "json");
    assertThat(get.out()).contains("NoNewCalls");
  }

  private static Path screenshots() {
    return Boolean.getBoolean("umgw.regenerate")
        ? Slapd.projectPath("docs/console")
        : Slapd.projectPath("target/console-screenshots");
  }

  /** Fails (never skips) when a tool the browser run needs is missing, saying how to get it. */
  private static void requireBrowserTools(Path browserDir)
      throws IOException, InterruptedException {
    assertThat(Path.of("/usr/bin/chromium"))
        .as("Debian's chromium (apt-get install chromium)")
        .exists();
    assertThat(browserDir.resolve("node_modules/playwright-core"))
        .as("playwright-core: run `npm ci` in src/test/browser")
        .exists();
    Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
    String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("node --version (apt-get install nodejs): %s", v).isZero();
  }

  /**
   * {@code umgw console ARGS} run in-process on a thread of its own; stopped by interrupting it.
   */
  static final class RunningConsole implements AutoCloseable {
    private final Thread thread;
    private final SyncedBuffer out;
    private final SyncedBuffer err;

    private RunningConsole(Thread thread, SyncedBuffer out, SyncedBuffer err) {
      this.thread = thread;
      this.out = out;
      this.err = err;
    }

    static RunningConsole start(String... args) throws InterruptedException {
      List<String> all = new ArrayList<>(List.of("console"));
      all.addAll(List.of(args));
      SyncedBuffer out = new SyncedBuffer();
      SyncedBuffer err = new SyncedBuffer();
      Thread t =
          new Thread(
              () ->
                  org.umgw.cli.Main.run(
                      all.toArray(String[]::new),
                      new java.io.PrintWriter(out, true),
                      new java.io.PrintWriter(err, true),
                      Map.of()),
              "console-under-test");
      t.setDaemon(true);
      t.start();
      RunningConsole c = new RunningConsole(t, out, err);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (c.url() == null) {
        if (!t.isAlive() || System.nanoTime() > deadline) {
          throw new AssertionError("the console did not start:\n" + out + "\n" + err);
        }
        Thread.sleep(50);
      }
      return c;
    }

    /** The URL the console printed, without the trailing slash; {@code null} before. */
    String url() {
      String s = out.toString();
      int i = s.indexOf("umgw console on ");
      if (i < 0) {
        return null;
      }
      int end = s.indexOf("/ ", i);
      return end < 0 ? null : s.substring(i + "umgw console on ".length(), end);
    }

    String log() {
      return out + "\n" + err;
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(15_000);
      assertThat(thread.isAlive()).as("the console stopped").isFalse();
    }
  }

  /** A writer whose text other threads may read while it is written. */
  static final class SyncedBuffer extends java.io.Writer {
    private final StringBuilder b = new StringBuilder();

    @Override
    public synchronized void write(char[] cbuf, int off, int len) {
      b.append(cbuf, off, len);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public synchronized String toString() {
      return b.toString();
    }
  }
}
