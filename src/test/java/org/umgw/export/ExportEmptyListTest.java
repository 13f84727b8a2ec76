package org.umgw.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.cli.CliRunner;
import org.umgw.testing.Slapd;

/**
 * Finding 10: an export that would write no address at all (a wrong base DN, access controls hiding
 * the entries, nothing linked) is refused unless {@code --allow-empty}, on slapd and on the
 * embedded directory.
 */
class ExportEmptyListTest {
  private static final String STAGING = "ou=staging,dc=umgw,dc=example";
  private static final List<String> NO_DNS =
      List.of("--dns-server", "127.0.0.1:9", "--dns-timeout", "200", "--dns-retries", "0");

  private static Slapd slapd;
  @TempDir Path tmp;

  @BeforeAll
  static void start() {
    slapd = Slapd.start();
    slapd.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
  }

  @AfterAll
  static void stop() {
    slapd.close();
  }

  private static CliRunner.Result umgw(List<String> connection, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(connection);
    return CliRunner.run(Map.of(), all.toArray(String[]::new));
  }

  private static List<String> slapdAt(String baseDn) {
    return List.of(
        "--ldap-url",
        slapd.url(),
        "--bind-dn",
        slapd.rootDn(),
        "--bind-password-file",
        slapd.rootPasswordFile().toString(),
        "--base-dn",
        baseDn);
  }

  private static List<String> exportTo(Path file, List<String> connection) {
    List<String> args = new ArrayList<>(List.of("trust-list", "export", "--out", file.toString()));
    args.addAll(connection);
    args.addAll(NO_DNS);
    args.addAll(List.of("--hosts-file", "/dev/null"));
    return args;
  }

  @Test
  void slapd_wrongBaseDn_emptySubtree_refusedUnlessAllowEmpty() throws Exception {
    // A base DN that exists and holds the three containers, but not the umgw objects.
    CliRunner.Result init = umgw(slapdAt(STAGING), "init");
    assertThat(init.code()).as(init.toString()).isZero();
    Path file = tmp.resolve("peers.txt");
    List<String> args = exportTo(file, slapdAt(STAGING));

    CliRunner.Result refused = umgw(List.of(), args.toArray(String[]::new));
    assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err())
        .contains(
            "umgw: refusing to write a trust list with no address at all: nothing under "
                + STAGING
                + " (0 gateways, 0 of them linked to a dial plan, 0 UM servers)")
        .contains("wrong --base-dn?")
        .contains("Access controls hiding the entries")
        .contains("--allow-empty");
    assertThat(file).doesNotExist();

    args.add("--allow-empty");
    CliRunner.Result allowed = umgw(List.of(), args.toArray(String[]::new));
    assertThat(allowed.code()).as(allowed.toString()).isZero();
    assertThat(ShrinkGuard.count(ExportFormat.text, Files.readString(file))).isZero();
  }

  @Test
  void slapd_rightBaseDn_notRefused() {
    Path file = tmp.resolve("peers.json");
    List<String> args = exportTo(file, slapdAt("dc=umgw,dc=example"));
    args.addAll(List.of("--format", "json", "--allow-dns-failures"));
    CliRunner.Result r = umgw(List.of(), args.toArray(String[]::new));
    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(file).exists();
  }

  /** What 389-DS does to a bind DN without rights, slapd does to anonymous: success, no entries. */
  @Test
  void slapd_accessControlsHidingTheEntries_refused() throws Exception {
    Path acl = tmp.resolve("acl.ldif");
    Files.writeString(
        acl,
        "dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\nadd: olcAccess\n"
            + "olcAccess: {0}to dn.subtree=\"ou=gateways,dc=umgw,dc=example\" by anonymous none"
            + " by * read\n"
            + "olcAccess: {1}to dn.subtree=\"ou=servers,dc=umgw,dc=example\" by anonymous none"
            + " by * read\n");
    configModify(acl);
    try {
      Path file = tmp.resolve("peers.nft");
      List<String> anonymous = List.of("--ldap-url", slapd.url());
      List<String> args = exportTo(file, anonymous);
      args.addAll(List.of("--format", "nftables"));
      CliRunner.Result r = umgw(List.of(), args.toArray(String[]::new));
      assertThat(r.code()).as(r.toString()).isEqualTo(1);
      assertThat(r.err())
          .contains(
              "umgw: refusing to write a trust list with no address at all: nothing under"
                  + " dc=umgw,dc=example (0 gateways, 0 of them linked to a dial plan, 0 UM"
                  + " servers)")
          .contains("Access controls hiding the entries from the bind DN");
      assertThat(file).doesNotExist();
    } finally {
      Path undo = tmp.resolve("undo.ldif");
      Files.writeString(
          undo,
          "dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\ndelete: olcAccess\n"
              + "olcAccess: {1}\n-\ndelete: olcAccess\nolcAccess: {0}\n");
      configModify(undo);
    }
  }

  private static void configModify(Path ldif) {
    slapd
        .exec(
            "ldapmodify",
            "-x",
            "-H",
            slapd.url(),
            "-D",
            slapd.configRootDn(),
            "-y",
            slapd.rootPasswordFile().toString(),
            "-f",
            ldif.toString())
        .assertOk();
  }

  @Test
  void stdout_emptyList_refusedToo() {
    List<String> args = exportTo(Path.of("-"), slapdAt(STAGING));
    umgw(slapdAt(STAGING), "init");
    CliRunner.Result r = umgw(List.of(), args.toArray(String[]::new));
    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void embedded_emptyDirectory_refusedUnlessAllowEmpty() throws Exception {
    List<String> embedded =
        List.of("--data-dir", tmp.resolve("data").toString(), "--base-dn", "ou=umgw,dc=example");
    CliRunner.Result init = umgw(embedded, "init");
    assertThat(init.code()).as(init.toString()).isZero();
    Path file = tmp.resolve("peers.kamailio");
    List<String> args = exportTo(file, embedded);
    args.addAll(List.of("--format", "kamailio"));

    CliRunner.Result refused = umgw(List.of(), args.toArray(String[]::new));
    assertThat(refused.code()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.err())
        .contains(
            "umgw: refusing to write a trust list with no address at all: nothing under"
                + " ou=umgw,dc=example (0 gateways");
    assertThat(file).doesNotExist();

    args.add("--allow-empty");
    CliRunner.Result allowed = umgw(List.of(), args.toArray(String[]::new));
    assertThat(allowed.code()).as(allowed.toString()).isZero();
    assertThat(ShrinkGuard.count(ExportFormat.kamailio, Files.readString(file))).isZero();
  }
}
