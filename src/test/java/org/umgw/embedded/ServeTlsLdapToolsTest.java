package org.umgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.umgw.embedded.ServeAccessLdapToolsTest.run;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.embedded.ServeAccessLdapToolsTest.Tool;
import org.umgw.testing.Slapd;
import org.umgw.testing.TestCertificate;

/**
 * Issue 12, deliverable 1, continued: {@code serve}'s StartTLS answers (as slapd's without TLS;
 * {@code --require-tls}) and passwords left in clear by an earlier version, with OpenLDAP's tools.
 */
class ServeTlsLdapToolsTest {
  private static final String BASE = "dc=umgw,dc=example";
  private static final String ADMIN = "cn=admin," + BASE;

  @TempDir Path tmp;

  @Test
  void startTlsWithoutAKeyStore_isRefusedAsSlapdRefusesIt() throws Exception {
    Tool ours;
    try (EmbeddedDirectory plain = EmbeddedDirectory.open(tmp.resolve("plain-data"))) {
      InetSocketAddress plainAt = plain.serve("127.0.0.1", 0, ServeOptions.defaults());
      ours =
          run(
              null,
              Map.of(),
              "ldapwhoami",
              "-H",
              "ldap://127.0.0.1:" + plainAt.getPort(),
              "-x",
              "-ZZ");
    }
    assertThat(ours.code()).as(ours.out()).isNotZero();
    assertThat(ours.out()).doesNotContain("(82)");
    try (Slapd slapd = Slapd.start()) {
      Tool theirs = run(null, Map.of(), "ldapwhoami", "-H", slapd.url(), "-x", "-ZZ");
      Matcher code = Pattern.compile("ldap_start_tls: .*\\((\\d+)\\)").matcher(theirs.out());
      assertThat(code.find()).as(theirs.out()).isTrue();
      assertThat(ours.out()).contains("(" + code.group(1) + ")");
    }
  }

  @Test
  void requireTls_refusesAPlainSimpleBind_andTakesItAfterStartTls() throws Exception {
    TestCertificate cert = TestCertificate.generate(tmp, "localhost");
    Path pin = Files.writeString(tmp.resolve("pin"), new String(cert.pin()) + "\n");
    try (EmbeddedDirectory tls = EmbeddedDirectory.open(tmp.resolve("tls-data"))) {
      InetSocketAddress tlsAt =
          tls.serve(
              "127.0.0.1",
              0,
              ServeOptions.defaults().withStartTls(cert.keyStore(), pin).withRequireTls(true));
      String tlsUrl = "ldap://127.0.0.1:" + tlsAt.getPort();
      String pw = tls.adminPasswordFile().toString();
      Tool plain = run(null, Map.of(), "ldapwhoami", "-H", tlsUrl, "-x", "-D", ADMIN, "-y", pw);
      assertThat(plain.code()).as(plain.out()).isEqualTo(13);
      assertThat(plain.out()).contains("Confidentiality required (13)");
      Map<String, String> trust = Map.of("LDAPTLS_REQCERT", "never");
      Tool secured =
          run(null, trust, "ldapwhoami", "-H", tlsUrl, "-x", "-ZZ", "-D", ADMIN, "-y", pw);
      assertThat(secured.code()).as(secured.out()).isZero();
      assertThat(secured.out()).contains("dn:" + ADMIN);
      Tool root =
          run(
              null,
              Map.of(),
              "ldapsearch",
              "-H",
              tlsUrl,
              "-x",
              "-b",
              "",
              "-s",
              "base",
              "supportedExtension");
      assertThat(root.out()).contains("supportedExtension: 1.3.6.1.4.1.1466.20037");
      Tool anonymousRead =
          run(null, Map.of(), "ldapsearch", "-H", tlsUrl, "-x", "-b", BASE, "-s", "base", "dc");
      assertThat(anonymousRead.code()).as(anonymousRead.out()).isZero();
    }
  }

  @Test
  void aClearTextPasswordOfAnEarlierVersion_stillBinds_andIsNeverShown() throws Exception {
    Path data = tmp.resolve("legacy-data");
    EmbeddedDirectory.open(data).close();
    // What an earlier umgw left in its snapshot: the password as the client sent it.
    Path snapshot = data.resolve(DataDirectory.SNAPSHOT);
    String text = Files.readString(snapshot, StandardCharsets.UTF_8).stripTrailing();
    int trailer = text.lastIndexOf('\n') + 1;
    Matcher count = Pattern.compile("entries=(\\d+)").matcher(text.substring(trailer));
    assertThat(count.find()).as(text.substring(trailer)).isTrue();
    Files.writeString(
        snapshot,
        text.substring(0, trailer)
            + "dn: cn=legacy,"
            + BASE
            + "\nobjectClass: person\ncn: legacy\nsn: legacy\nuserPassword: legacy-clear-pw\n\n"
            + text.substring(trailer)
                .replace(count.group(), "entries=" + (Integer.parseInt(count.group(1)) + 1))
            + "\n",
        StandardCharsets.UTF_8);
    try (EmbeddedDirectory legacy = EmbeddedDirectory.open(data)) {
      InetSocketAddress legacyAt = legacy.serve("127.0.0.1", 0, ServeOptions.defaults());
      String legacyUrl = "ldap://127.0.0.1:" + legacyAt.getPort();
      Tool who =
          run(
              null,
              Map.of(),
              "ldapwhoami",
              "-H",
              legacyUrl,
              "-x",
              "-D",
              "cn=legacy," + BASE,
              "-w",
              "legacy-clear-pw");
      assertThat(who.code()).as(who.out()).isZero();
      Tool read =
          run(null, Map.of(), "ldapsearch", "-H", legacyUrl, "-x", "-b", "cn=legacy," + BASE);
      assertThat(read.out()).contains("sn: legacy").doesNotContainIgnoringCase("userPassword");
    }
  }
}
