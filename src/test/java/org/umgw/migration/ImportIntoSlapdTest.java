package org.umgw.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.CliRunner;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.DirectoryStore;
import org.umgw.testing.Slapd;
import org.umgw.testing.TestDirectories;

/**
 * {@code umgw import exchange} against real OpenLDAP servers: one slapd as umgw's directory, and
 * one loaded with an Exchange-shaped test schema and the fixture's entries, standing in for an
 * Active Directory that is still up ({@code --from-ldap}).
 */
class ImportIntoSlapdTest {
  private static Slapd target;
  private static Slapd exchange;
  private static Map<String, String> env;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws Exception {
    target = Slapd.start(Slapd.options().createSuffixEntry(true));
    env =
        Map.of(
            "UMGW_LDAP_URL", target.url(),
            "UMGW_BIND_DN", target.rootDn(),
            "UMGW_BIND_PASSWORD_FILE", target.rootPasswordFile().toString(),
            "UMGW_BASE_DN", target.suffix());
    exchange = Slapd.start(Slapd.options().suffix("dc=contoso,dc=test").createSuffixEntry(true));
    exchange.configTool("ldapadd", "-f", Slapd.projectPath(Contoso.SCHEMA).toString()).assertOk();
    try (LDAPConnection c = exchange.connect()) {
      for (String dn :
          List.of(
              "CN=Configuration,DC=contoso,DC=test",
              "CN=Services,CN=Configuration,DC=contoso,DC=test",
              "CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=test",
              Contoso.ORG,
              Contoso.DIAL_PLANS,
              Contoso.GATEWAYS,
              "CN=UM AutoAttendant Container," + Contoso.ORG)) {
        Entry e = new Entry(dn);
        e.addAttribute("objectClass", "top", "container");
        e.addAttribute("cn", new DN(dn).getRDN().getAttributeValues()[0]);
        c.add(e);
      }
    }
    // The export itself, as ldapadd reads it (CRLF lines, changetype: add, base64, folding).
    exchange.ldapTool("ldapadd", "-f", Contoso.fixture().toString()).assertOk();
  }

  @AfterAll
  static void stop() {
    if (exchange != null) {
      exchange.close();
    }
    if (target != null) {
      target.close();
    }
  }

  @BeforeEach
  void reset() {
    assertThat(umgw("init").code()).isZero();
    try (LDAPConnectionPool pool = pool()) {
      TestDirectories.wipe(pool, DirectoryLayout.of(target.suffix()));
    }
    CliRunner.Result dp =
        umgw(
            "dialplan",
            "new",
            Contoso.FABRIKAM.name(),
            "--uri-type",
            "TelExtn",
            "--number-of-digits-in-extension",
            "5");
    assertThat(dp.code()).as(dp.toString()).isZero();
  }

  @Test
  void fileImport_dryRunWritesNothing_everyPropertyArrives_rerunChangesNothing() {
    String file = Contoso.fixture().toString();
    CliRunner.Result dry = umgw("import", "exchange", file, "--dry-run");
    assertThat(dry.code()).as(dry.toString()).isEqualTo(1);
    assertThat(dry.out()).endsWith(Contoso.FIRST_SUMMARY + "\n").contains(Contoso.refusals());
    DirectoryRead untouched = read();
    assertThat(untouched.contents().dialPlans()).containsExactly(Contoso.FABRIKAM);
    assertThat(untouched.contents().gateways()).isEmpty();
    assertThat(untouched.contents().huntGroups()).isEmpty();

    CliRunner.Result first = umgw("import", "exchange", file);
    assertThat(first.code()).as(first.toString()).isEqualTo(1);
    assertThat(dry.out()).isEqualTo("dry run: nothing was written\n" + first.out());
    DirectoryRead imported = read();
    Contoso.assertImported(imported);

    CliRunner.Result again = umgw("import", "exchange", file);
    assertThat(again.out()).as(again.toString()).endsWith(Contoso.RERUN_SUMMARY + "\n");
    assertThat(read().contents()).isEqualTo(imported.contents());

    CliRunner.Result validate = umgw("validate");
    assertThat(validate.code()).as(validate.toString()).isZero();
  }

  @Test
  void liveDirectoryImport_readsTheSameObjectsWithAPagedSearch() throws Exception {
    List<String> from =
        List.of(
            "--from-ldap",
            exchange.url(),
            "--from-bind-dn",
            exchange.rootDn(),
            "--from-bind-password-file",
            exchange.rootPasswordFile().toString(),
            "--from-base-dn",
            Contoso.ORG);
    CliRunner.Result dry = umgw(args(from, "--dry-run"));
    assertThat(dry.code()).as(dry.toString()).isEqualTo(1);
    assertThat(read().contents().gateways()).isEmpty();

    CliRunner.Result live = umgw(args(from));
    assertThat(live.code()).as(live.toString()).isEqualTo(1);
    // The search selects the three imported classes: the auto attendant is not even read.
    // slapd hands DNs back with lower-case attribute types, the same DNs.
    List<String> refusals =
        Contoso.refusals().stream()
            .map(r -> r.replace("CN=", "cn=").replace("DC=", "dc="))
            .toList();
    assertThat(live.out())
        .endsWith("31 created, 0 updated, 0 unchanged, 8 refused, 0 ignored\n")
        .contains(refusals);
    Contoso.assertImported(read());

    CliRunner.Result again = umgw(args(from));
    assertThat(again.out())
        .as(again.toString())
        .endsWith("0 created, 0 updated, 31 unchanged, 8 refused, 0 ignored\n");
  }

  @Test
  void liveDirectoryImport_pagesPastTheServersSizeLimit() throws Exception {
    // A reader limited to 10 entries a plain search, as Active Directory limits every search to
    // MaxPageSize (1000): only a paged search reads the 39 UM objects. (Pages themselves are not
    // limited: slapd refuses a page larger than size.pr rather than shortening it.)
    String reader = "cn=reader,dc=contoso,dc=test";
    exchange.ldapmodify(
        "dn: "
            + reader
            + "\nchangetype: add\nobjectClass: organizationalRole\n"
            + "objectClass: simpleSecurityObject\ncn: reader\nuserPassword: reader-secret\n");
    Path pw = tmp.resolve("reader.pw");
    Files.writeString(pw, "reader-secret\n");
    Path limits = tmp.resolve("limits.ldif");
    Files.writeString(
        limits,
        "dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\nadd: olcLimits\nolcLimits:"
            + " dn.exact=\""
            + reader
            + "\" size.soft=10 size.hard=10 size.pr=unlimited"
            + " size.prtotal=unlimited\n");
    exchange.configTool("ldapmodify", "-f", limits.toString()).assertOk();
    try (LDAPConnection c =
        new LDAPConnection(exchange.host(), exchange.port(), reader, "reader-secret")) {
      assertThatThrownBy(() -> c.search(Contoso.ORG, SearchScope.SUB, LiveDirectory.FILTER, "1.1"))
          .isInstanceOf(LDAPSearchException.class)
          .extracting(e -> ((LDAPSearchException) e).getResultCode())
          .isEqualTo(ResultCode.SIZE_LIMIT_EXCEEDED);
    }

    CliRunner.Result live =
        umgw(
            "import",
            "exchange",
            "--from-ldap",
            exchange.url(),
            "--from-bind-dn",
            reader,
            "--from-bind-password-file",
            pw.toString(),
            "--from-base-dn",
            Contoso.ORG);

    assertThat(live.out())
        .as(live.toString())
        .endsWith("31 created, 0 updated, 0 unchanged, 8 refused, 0 ignored\n");
    Contoso.assertImported(read());
  }

  @Test
  void liveDirectoryImport_wrongPassword_failsWithoutWriting() throws Exception {
    Path wrong = tmp.resolve("wrong.pw");
    Files.writeString(wrong, "not-the-password\n");
    CliRunner.Result r =
        umgw(
            "import",
            "exchange",
            "--from-ldap",
            exchange.url(),
            "--from-bind-dn",
            exchange.rootDn(),
            "--from-bind-password-file",
            wrong.toString(),
            "--from-base-dn",
            Contoso.ORG);
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.err()).startsWith("umgw: ").doesNotContain("unexpected", "\tat ");
    assertThat(r.out()).isEmpty();
    assertThat(read().contents().gateways()).isEmpty();
  }

  private static String[] args(List<String> from, String... more) {
    List<String> all = new ArrayList<>(List.of("import", "exchange"));
    all.addAll(from);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static CliRunner.Result umgw(String... args) {
    return CliRunner.run(env, args);
  }

  private static LDAPConnectionPool pool() {
    try {
      return new LDAPConnectionPool(target.connect(), 1);
    } catch (com.unboundid.ldap.sdk.LDAPException e) {
      throw new IllegalStateException(e);
    }
  }

  private static DirectoryRead read() {
    try (LDAPConnectionPool pool = pool()) {
      return new DirectoryStore(pool, DirectoryLayout.of(target.suffix())).readAll();
    }
  }
}
