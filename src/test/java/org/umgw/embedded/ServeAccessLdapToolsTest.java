package org.umgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.testing.ServerProcess;

/**
 * Issue 12, deliverable 1: {@code serve}'s access control, visibility, advertised features, result
 * codes and limits, driven with OpenLDAP's client tools (ldapwhoami, ldapmodify, ldapsearch,
 * ldapcompare, ldappasswd) against the listener as an attacker or a careless client would use it.
 */
class ServeAccessLdapToolsTest {
  private static final String BASE = "dc=umgw,dc=example";
  private static final String ADMIN = "cn=admin," + BASE;
  private static final String READER = "cn=reader," + BASE;
  private static final String WRITER = "cn=writer," + BASE;
  private static final String READER_PW = "reader-secret-42";
  private static final String WRITER_PW = "writer-secret-43";
  private static final int MAX_CONNECTIONS = 6;
  private static final int SIZE_LIMIT = 15;

  @TempDir static Path tmp;
  private static EmbeddedDirectory dir;
  private static String url;
  private static InetSocketAddress at;

  record Tool(int code, String out) {}

  @BeforeAll
  static void start() throws Exception {
    for (String tool :
        List.of("ldapwhoami", "ldapmodify", "ldapsearch", "ldapcompare", "ldappasswd")) {
      ServerProcess.requireBinary(tool, "apt-get install ldap-utils");
    }
    dir = EmbeddedDirectory.open(tmp.resolve("data"));
    dir.pool().add(person(READER, READER_PW));
    dir.pool().add(person(WRITER, WRITER_PW));
    at =
        dir.serve(
            "127.0.0.1",
            0,
            ServeOptions.defaults()
                .withWriterDns(List.of(WRITER))
                .withLimits(new ServeLimits(MAX_CONNECTIONS, SIZE_LIMIT, 30)));
    url = "ldap://127.0.0.1:" + at.getPort();
  }

  @AfterAll
  static void stop() {
    if (dir != null) {
      dir.close();
    }
  }

  private static Entry person(String dn, String password) {
    String cn = dn.substring(3, dn.indexOf(','));
    return new Entry(
        dn,
        new com.unboundid.ldap.sdk.Attribute("objectClass", "person"),
        new com.unboundid.ldap.sdk.Attribute("cn", cn),
        new com.unboundid.ldap.sdk.Attribute("sn", cn),
        new com.unboundid.ldap.sdk.Attribute("userPassword", password));
  }

  static Tool run(String input, Map<String, String> env, String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (env.isEmpty()) {
      pb.environment().put("LDAPNOINIT", "1");
    } else {
      // LDAPNOINIT would ignore the LDAPTLS_ variables too: keep out the user's files instead.
      pb.environment().put("LDAPCONF", "/dev/null");
      pb.environment().put("LDAPRC", "/nonexistent");
      pb.environment().putAll(env);
    }
    Process p = pb.start();
    if (input != null) {
      p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Tool(p.exitValue(), out);
  }

  /** A tool against the served directory: {@code as} is null (anonymous), a DN, or ADMIN. */
  private static Tool tool(String input, String as, String tool, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(tool, "-H", url, "-x"));
    if (ADMIN.equals(as)) {
      cmd.addAll(List.of("-D", ADMIN, "-y", dir.adminPasswordFile().toString()));
    } else if (as != null) {
      cmd.addAll(List.of("-D", as, "-w", as.equals(READER) ? READER_PW : WRITER_PW));
    }
    cmd.addAll(List.of(args));
    return run(input, Map.of(), cmd.toArray(String[]::new));
  }

  private static String modifyDescription(String dn, String value) {
    return "dn: " + dn + "\nchangetype: modify\nreplace: description\ndescription: " + value + "\n";
  }

  private static final String GATEWAY = "cn=UM-Server-01,ou=servers," + BASE;

  @Test
  void anEntryWithAPassword_canBindButNotWrite_directlyOrByProxiedAuthorization() throws Exception {
    Tool who = tool(null, READER, "ldapwhoami");
    assertThat(who.code()).as(who.out()).isZero();
    assertThat(who.out()).contains("dn:" + READER);

    Tool direct = tool(modifyDescription(GATEWAY, "by reader"), READER, "ldapmodify");
    assertThat(direct.code()).as(direct.out()).isEqualTo(50);
    assertThat(direct.out()).contains("Insufficient access (50)").contains("may only read");

    for (String control : List.of("!proxydn=" + ADMIN, "!authzid=dn:" + ADMIN)) {
      Tool proxied =
          tool(modifyDescription(GATEWAY, "proxied"), READER, "ldapmodify", "-e", control);
      assertThat(proxied.code()).as(control + "\n" + proxied.out()).isEqualTo(123);
      assertThat(proxied.out()).contains("not authorized to use proxied authorization");
    }
    Tool anonymousProxy =
        tool(
            modifyDescription(GATEWAY, "proxied"),
            null,
            "ldapmodify",
            "-e",
            "!authzid=dn:" + ADMIN);
    assertThat(anonymousProxy.code()).as(anonymousProxy.out()).isEqualTo(123);
    Tool anonymous = tool(modifyDescription(GATEWAY, "anonymous"), null, "ldapmodify");
    assertThat(anonymous.code()).as(anonymous.out()).isEqualTo(50);
    assertThat(anonymous.out()).doesNotContain("admin.pw").doesNotContain(tmp.toString());

    // A configured writer writes, but acts as nobody else; the administrator may act as a writer,
    // not write on behalf of a read-only identity.
    Tool writer = tool(modifyDescription(GATEWAY, "by writer"), WRITER, "ldapmodify");
    assertThat(writer.code()).as(writer.out()).isZero();
    Tool writerAsReader =
        tool(
            modifyDescription(GATEWAY, "as reader"),
            WRITER,
            "ldapmodify",
            "-e",
            "!authzid=dn:" + READER);
    assertThat(writerAsReader.code()).as(writerAsReader.out()).isEqualTo(123);
    Tool writerAsAdmin =
        tool(
            null, WRITER, "ldapsearch", "-e", "!authzid=dn:" + ADMIN, "-b", READER, "userPassword");
    assertThat(writerAsAdmin.code()).as(writerAsAdmin.out()).isEqualTo(123);
    assertThat(writerAsAdmin.out()).doesNotContainIgnoringCase("userPassword:");
    Tool adminAsReader =
        tool(
            modifyDescription(GATEWAY, "admin as reader"),
            ADMIN,
            "ldapmodify",
            "-e",
            "!authzid=dn:" + READER);
    assertThat(adminAsReader.code()).as(adminAsReader.out()).isEqualTo(50);
    Tool adminAsWriter =
        tool(
            modifyDescription(GATEWAY, "admin as writer"),
            ADMIN,
            "ldapmodify",
            "-e",
            "!authzid=dn:" + WRITER);
    assertThat(adminAsWriter.code()).as(adminAsWriter.out()).isZero();
    assertThat(dir.server().getEntry(GATEWAY).getAttributeValue("description"))
        .isEqualTo("admin as writer");

    // Password Modify would write past the journal and the access rules: not offered at all.
    Tool passwd = tool(null, READER, "ldappasswd", "-s", "new-one", READER);
    assertThat(passwd.code()).as(passwd.out()).isNotZero();
    assertThat(passwd.out()).contains("Protocol error (2)");
  }

  @Test
  void anonymousAndNonAdministratorReads_neverShowAPassword() throws Exception {
    for (String as : Stream.of(null, READER, WRITER).toList()) {
      Tool all =
          tool(
              null,
              as,
              "ldapsearch",
              "-b",
              BASE,
              "(|(objectClass=person)(objectClass=umIPGateway))",
              "*",
              "+");
      assertThat(all.code()).as(all.out()).isZero();
      assertThat(all.out()).contains("dn: " + READER).containsIgnoringCase("sn: reader");
      assertThat(all.out().toLowerCase()).doesNotContain("userpassword");
      Tool probe = tool(null, as, "ldapsearch", "-b", BASE, "(userPassword=*)", "cn");
      assertThat(probe.out()).as(as + "\n" + probe.out()).doesNotContain("dn: ");
      Tool changelog = tool(null, as, "ldapsearch", "-b", "cn=changelog", "(objectClass=*)");
      assertThat(changelog.code()).as(changelog.out()).isZero();
      assertThat(changelog.out()).doesNotContain("dn: ");
      Tool asserted =
          tool(
              null,
              as,
              "ldapsearch",
              "-e",
              "!assert=(userPassword=" + READER_PW + ")",
              "-b",
              READER,
              "-s",
              "base",
              "cn");
      assertThat(asserted.code()).as(asserted.out()).isEqualTo(50);
      Tool sorted = tool(null, as, "ldapsearch", "-E", "!sss=userPassword", "-b", BASE, "(cn=*er)");
      assertThat(sorted.code()).as(sorted.out()).isEqualTo(50);
      Tool compare = tool(null, as, "ldapcompare", READER, "userPassword:" + READER_PW);
      assertThat(compare.code()).as(compare.out()).isEqualTo(50);
      Tool root = tool(null, as, "ldapsearch", "-b", "", "-s", "base", "(objectClass=*)", "*", "+");
      assertThat(root.out())
          .contains("supportedExtension: 1.3.6.1.4.1.4203.1.11.3")
          .doesNotContain("1.3.6.1.4.1.1466.20037") // StartTLS: no key store
          .doesNotContain("1.3.6.1.4.1.4203.1.11.1") // Password Modify
          .doesNotContain("1.3.6.1.1.21.1") // transactions
          .doesNotContain("supportedSASLMechanisms")
          .doesNotContainIgnoringCase("changelog");
    }
    // Set again over LDAP (same value, so the other tests still bind): a modify record too.
    Tool reset =
        tool(
            "dn: "
                + READER
                + "\nchangetype: modify\nreplace: userPassword\nuserPassword: "
                + READER_PW
                + "\n",
            ADMIN,
            "ldapmodify");
    assertThat(reset.code()).as(reset.out()).isZero();
    // The administrator sees the hash, never the password, and the changelog without passwords.
    Tool admin =
        tool(
            null,
            ADMIN,
            "ldapsearch",
            "-b",
            READER,
            "-s",
            "base",
            "(objectClass=*)",
            "userPassword");
    assertThat(admin.out()).contains("userPassword::");
    String stored = decoded(admin.out(), "userPassword");
    assertThat(stored).startsWith("{SSHA256}").doesNotContain(READER_PW);
    Tool changelog =
        tool(
            null,
            ADMIN,
            "ldapsearch",
            "-o",
            "ldif-wrap=no",
            "-b",
            "cn=changelog",
            "(targetDN=" + READER + ")",
            "changes",
            "changeType");
    assertThat(changelog.out()).contains("dn: changeNumber=").contains("changeType: modify");
    StringBuilder changes = new StringBuilder();
    Matcher m = Pattern.compile("(?m)^changes:: (\\S+)$").matcher(changelog.out());
    while (m.find()) {
      changes.append(new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8));
    }
    assertThat(changes.toString())
        .contains("cn: reader")
        .doesNotContainIgnoringCase("userPassword");
    // Nor is it in clear in the journal or the snapshot.
    try (Stream<Path> files = Files.list(dir.dataDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(f, StandardCharsets.ISO_8859_1))
            .as(f.toString())
            .doesNotContain(READER_PW)
            .doesNotContain(WRITER_PW);
      }
    }
  }

  private static String decoded(String ldif, String attribute) {
    Matcher m =
        Pattern.compile("(?m)^" + attribute + ":: (\\S+)$").matcher(ldif.replace("\n ", ""));
    assertThat(m.find()).as(ldif).isTrue();
    return new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
  }

  @Test
  void theConnectionLimit_holdsUnderALoopOfOpens() throws Exception {
    List<Socket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        held.add(new Socket(at.getAddress(), at.getPort()));
      }
      Thread.sleep(300);
      Tool refused = tool(null, null, "ldapwhoami");
      assertThat(refused.code()).as(refused.out()).isNotZero();
      int open = 0;
      for (Socket s : held) {
        s.setSoTimeout(50);
        try {
          if (s.getInputStream().read() != -1) {
            open++;
          }
        } catch (java.net.SocketTimeoutException stillOpen) {
          open++;
        } catch (java.io.IOException reset) {
          // closed by the server: refused
        }
      }
      assertThat(open).isEqualTo(MAX_CONNECTIONS);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    Tool again = null;
    for (int i = 0; i < 50; i++) {
      again = tool(null, null, "ldapwhoami");
      if (again.code() == 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertThat(again.code()).as(again.out()).isZero();
  }

  @Test
  void theSizeLimit_boundsWhatAClientAsksFor() throws Exception {
    Tool all = tool(null, null, "ldapsearch", "-b", BASE, "(objectClass=*)", "cn");
    assertThat(all.code()).as(all.out()).isEqualTo(4);
    assertThat(all.out()).contains("result: 4 Size limit exceeded").contains("# numEntries: 15");
    Tool fewer = tool(null, null, "ldapsearch", "-z", "2", "-b", BASE, "(objectClass=*)", "cn");
    assertThat(fewer.out()).contains("# numEntries: 2");
  }

  @Test
  void aSyntaxError_isInvalidAttributeSyntax_withACleanMessage() throws Exception {
    Tool bad =
        tool(
            modifyDescription(GATEWAY, "x")
                .replace("description", "umPort")
                .replace(": x", ": abc"),
            ADMIN,
            "ldapmodify");
    assertThat(bad.code()).as(bad.out()).isEqualTo(21);
    assertThat(bad.out())
        .contains("Invalid syntax (21)")
        .contains("value #0 \"abc\" invalid per syntax")
        .doesNotContain("LDAPException")
        .doesNotContain("ldapSDKVersion")
        .doesNotContain("java.");
  }
}
