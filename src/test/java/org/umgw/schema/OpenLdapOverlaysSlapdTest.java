package org.umgw.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.UriType;
import org.umgw.testing.Slapd;

/**
 * Must show (finding 4): a running slapd 2.5, after {@code ldapmodify} of {@code umgw schema
 * --format openldap-overlays}, refuses what an LDAP browser user mistypes and a second gateway on
 * an address, and still accepts valid edits. Every write is made with ldap-utils, as an operator
 * would, bound as the database's rootdn (which the overlays do not exempt).
 */
class OpenLdapOverlaysSlapdTest {
  private static Slapd slapd;
  private static LDAPConnectionPool pool;
  private static DirectoryStore store;

  @BeforeAll
  static void start() throws IOException {
    slapd = Slapd.start(Slapd.options().createSuffixEntry(true));
    pool =
        DirectoryConnector.open(
            DirectoryConfig.builder(slapd.url())
                .bind(slapd.rootDn(), slapd.rootPasswordFile())
                .build());
    store = new DirectoryStore(pool, DirectoryLayout.of(slapd.suffix()));
    store.init();
    store.createDialPlan(DialPlan.of("dp", UriType.TelExtn, 5));
    store.createGateway(Gateway.builder("gw1", "192.0.2.1").build(), "dp");
    store.createGateway(Gateway.builder("gw2", "sbc2.example.test").build(), "dp");

    Path overlays = slapd.workDir().resolve("overlays.ldif");
    Files.writeString(
        overlays,
        OpenLdapOverlays.ldif(slapd.suffix(), OpenLdapOverlays.DEFAULT_DATABASE_DN, true));
    slapd.configTool("ldapmodify", "-f", overlays.toString()).assertOk();
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  private static Slapd.ToolResult ldapmodify(String... lines) {
    try {
      Path ldif = Files.createTempFile(slapd.workDir(), "edit-", ".ldif");
      Files.writeString(ldif, String.join("\n", lines) + "\n");
      return slapd.ldapTool("ldapmodify", "-f", ldif.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String gateway(String name) {
    return "cn=" + name + ",ou=gateways," + slapd.suffix();
  }

  private static Slapd.ToolResult replace(String dn, String attribute, String value) {
    return ldapmodify(
        "dn: " + dn, "changetype: modify", "replace: " + attribute, attribute + ": " + value);
  }

  private static void assertConstraintViolation(Slapd.ToolResult r) {
    assertThat(r.ok()).as("%s", r).isFalse();
    assertThat(r.stderr()).as("%s", r).contains("Constraint violation (19)");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
    "gw1, umStatus, Disable",
    "gw1, umStatus, enabled",
    "gw1, umStatus, Paused",
    "gw1, umPort, 70000",
    "gw1, umPort, 65536",
    "gw1, umPort, -1",
    "gw1, umIPAddressFamily, IPv4",
    "dp, umURIType, Sip",
    "dp, umVoIPSecurity, TLS",
    "dp, umNumberOfDigitsInExtension, 21",
    "dp, umNumberOfDigitsInExtension, 0",
    "dp, umCountryOrRegionCode, 12345",
    "dp, umCountryOrRegionCode, +44",
  })
  void outOfSetOrRange_refused(String object, String attribute, String value) {
    String dn = object.equals("dp") ? "cn=dp,ou=dialplans," + slapd.suffix() : gateway(object);
    assertConstraintViolation(replace(dn, attribute, value));
  }

  @Test
  void booleanOtherThanTrueOrFalse_refusedBySlapdsSyntax() {
    Slapd.ToolResult r = replace(gateway("gw1"), "umSimulator", "yes");
    assertThat(r.ok()).isFalse();
    assertThat(r.stderr()).contains("Invalid syntax (21)");
  }

  @ParameterizedTest
  @CsvSource({"192.0.2.1", "sbc2.example.test", "SBC2.Example.TEST"})
  void secondGatewayOnAnAddress_refused(String address) {
    assertConstraintViolation(
        ldapmodify(
            "dn: " + gateway("copycat"),
            "changetype: add",
            "objectClass: umIPGateway",
            "cn: copycat",
            "umAddress: " + address));
    assertConstraintViolation(replace(gateway("gw1"), "umAddress", "SBC2.example.test"));
  }

  @Test
  void validEdits_accepted() {
    replace(gateway("gw2"), "umStatus", "Disabled").assertOk();
    replace(gateway("gw2"), "umPort", "65535").assertOk();
    replace(gateway("gw2"), "umPort", "0").assertOk();
    replace(gateway("gw2"), "umIPAddressFamily", "Any").assertOk();
    replace(gateway("gw2"), "umSimulator", "TRUE").assertOk();
    replace("cn=dp,ou=dialplans," + slapd.suffix(), "umCountryOrRegionCode", "44").assertOk();
    replace(gateway("gw1"), "umAddress", "192.0.2.11").assertOk();
    ldapmodify(
            "dn: " + gateway("gw3"),
            "changetype: add",
            "objectClass: umIPGateway",
            "cn: gw3",
            "umAddress: 192.0.2.1",
            "umStatus: NoNewCalls",
            "umPort: 5060")
        .assertOk();
    assertThat(store.requireGateway("gw3").address().text()).isEqualTo("192.0.2.1");
    assertThat(store.requireGateway("gw2").port()).isZero();
  }
}
