package org.umgw.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.embedded.EmbeddedDirectory;
import org.umgw.testing.ServerProcess;

/**
 * {@code umgw serve --time-limit 1} in a child process, against OpenLDAP's ldapsearch: a search
 * that runs past the limit ends with timeLimitExceeded (3) and without the entries left, and the
 * server keeps serving.
 *
 * <p>A search of the in-memory directory is far faster than a second, so the test makes one last:
 * the directory holds {@value #ENTRIES} entries of 1 MB each, and ldapsearch's output is not read
 * for {@value #STALL_MILLIS} ms, so ldapsearch stops reading its socket once the pipe is full and
 * the server's writes block on the full socket buffers, as with a slow or stalled client.
 */
class ServeTimeLimitTest {
  private static final String BASE = "dc=umgw,dc=example";
  private static final int ENTRIES = 40;
  private static final int VALUE_BYTES = 1 << 20;
  private static final long STALL_MILLIS = 3_000;

  @TempDir static Path tmp;
  private static UmgwServe serve;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    ServerProcess.requireBinary(
        "ldapsearch", "ldapsearch not installed: run .ci/run or apt-get install ldap-utils");
    Path dataDir = tmp.resolve("data");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(dataDir)) {
      LDAPConnectionPool pool = dir.pool();
      pool.add(
          new Entry(
              "ou=bulk," + BASE,
              new Attribute("objectClass", "top", "organizationalUnit"),
              new Attribute("ou", "bulk")));
      String big = "x".repeat(VALUE_BYTES);
      for (int i = 0; i < ENTRIES; i++) {
        pool.add(
            new Entry(
                "ou=b" + i + ",ou=bulk," + BASE,
                new Attribute("objectClass", "top", "organizationalUnit"),
                new Attribute("ou", "b" + i),
                new Attribute("description", big)));
      }
    }
    serve = UmgwServe.start(tmp, dataDir, "--time-limit", "1", "--size-limit", "1000");
    url = serve.url();
  }

  @AfterAll
  static void stop() {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void aSearchPastTheTimeLimit_endsWithTimeLimitExceeded_andTheServerKeepsServing()
      throws Exception {
    Process search =
        ldapsearch("-b", "ou=bulk," + BASE, "-s", "one", "(objectClass=*)", "description");
    CompletableFuture<String> stderr =
        CompletableFuture.supplyAsync(() -> readAll(search.getErrorStream()));
    // The client stalls: nothing reads its output, so it stops reading the server.
    Thread.sleep(STALL_MILLIS);
    String out = readAll(search.getInputStream());
    assertThat(search.waitFor(60, TimeUnit.SECONDS)).as("ldapsearch ended").isTrue();
    String summary =
        out.lines().filter(l -> l.startsWith("#") || l.startsWith("result")).toList()
            + stderr.get();
    assertThat(search.exitValue()).as(summary).isEqualTo(3);
    assertThat(out).contains("result: 3 Time limit exceeded");
    long sent = out.lines().filter(l -> l.startsWith("dn: ")).count();
    assertThat(sent).as(summary).isLessThan(ENTRIES);

    Process after = ldapsearch("-b", BASE, "-s", "base", "(objectClass=*)", "dn");
    String afterOut = readAll(after.getInputStream());
    assertThat(after.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(after.exitValue()).as(afterOut).isZero();
    assertThat(afterOut).contains("dn: " + BASE).contains("result: 0 Success");
    assertThat(serve.isRunning()).isTrue();
  }

  private static Process ldapsearch(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ldapsearch", "-x", "-H", url));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("LDAPNOINIT", "1");
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }

  private static String readAll(InputStream in) {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
