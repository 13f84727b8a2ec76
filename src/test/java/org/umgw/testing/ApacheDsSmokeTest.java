package org.umgw.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.apache.directory.server.annotations.CreateLdapServer;
import org.apache.directory.server.annotations.CreateTransport;
import org.apache.directory.server.core.annotations.CreateDS;
import org.apache.directory.server.core.annotations.CreatePartition;
import org.apache.directory.server.core.integ.AbstractLdapTestUnit;
import org.apache.directory.server.core.integ.ApacheDSTestExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves that embedded ApacheDS takes the umgw schema and sample directory unchanged and enforces
 * the schema, so tests of the directory code can run against a second, independent server. Refusals
 * are asserted as {@link LDAPException}s only, because servers differ in the result code they
 * choose; the code ApacheDS chose is printed.
 */
@ExtendWith(ApacheDSTestExtension.class)
@CreateDS(
    name = "ApacheDsSmokeTestDS",
    partitions = @CreatePartition(name = "umgw", suffix = ApacheDs.BASE_DN))
@CreateLdapServer(transports = @CreateTransport(protocol = "LDAP", address = "127.0.0.1"))
class ApacheDsSmokeTest extends AbstractLdapTestUnit {

  private static final String GATEWAYS = "ou=gateways," + ApacheDs.BASE_DN;
  private static final String BULK = "ou=bulk," + ApacheDs.BASE_DN;
  private static final String READER_DN = "uid=reader," + BULK;
  private static final String READER_PASSWORD = "reader-secret";
  private static final int BULK_SERVERS = 2_500;
  private static final int PAGE_SIZE = 500;

  private static LDAPConnection admin;
  private static int sampleEntriesAdded;

  /**
   * Loads the schema, the sample directory and 2,500 UM servers once: the extension reverts what
   * test methods write, and reverting thousands of adds on the default partition takes seconds.
   */
  @BeforeAll
  static void loadDirectory() throws Exception {
    admin = ApacheDs.prepare(classLdapServer);
    sampleEntriesAdded = ApacheDs.addEntries(admin, ApacheDs.SAMPLE_LDIF);

    admin.add(new Entry(BULK, new Attribute("objectClass", "top", "organizationalUnit")));
    admin.add(
        new Entry(
            READER_DN,
            new Attribute("objectClass", "top", "inetOrgPerson"),
            new Attribute("cn", "reader"),
            new Attribute("sn", "reader"),
            new Attribute("userPassword", READER_PASSWORD)));
    for (int i = 0; i < BULK_SERVERS; i++) {
      String name = String.format("Bulk-%04d", i);
      admin.add(
          new Entry(
              "cn=" + name + "," + BULK,
              new Attribute("objectClass", "top", "umServer"),
              new Attribute("cn", name),
              new Attribute("umInternalUrl", "https://" + name.toLowerCase() + ".test/ews")));
    }
  }

  @AfterAll
  static void closeConnection() {
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  void schemaIsLoaded() throws Exception {
    Schema schema = admin.getSchema();

    assertThat(schema.getObjectClass("umIPGateway").getRequiredAttributes())
        .containsExactlyInAnyOrder("cn", "umAddress");
    for (String name : new String[] {"umHuntGroup", "umDialPlan", "umServer"}) {
      assertThat(schema.getObjectClass(name)).as(name).isNotNull();
    }
    AttributeTypeDefinition address = schema.getAttributeType("umAddress");
    assertThat(address.isSingleValued()).isTrue();
    assertThat(address.getSyntaxOID()).startsWith("1.3.6.1.4.1.1466.115.121.1.26");
    assertThat(schema.getAttributeType("umAccessTelephoneNumber").isSingleValued()).isFalse();
  }

  @Test
  void everySampleEntryWasAdded() throws Exception {
    int inFile = 0;
    try (LDIFReader reader = new LDIFReader(ApacheDs.SAMPLE_LDIF.toFile())) {
      for (Entry entry = reader.readEntry(); entry != null; entry = reader.readEntry()) {
        assertThat(admin.getEntry(entry.getDN())).as(entry.getDN()).isNotNull();
        inFile++;
      }
    }
    assertThat(sampleEntriesAdded).isEqualTo(inFile).isEqualTo(29);
  }

  @Test
  void existingBaseEntryIsSkipped() throws Exception {
    assertThat(ApacheDs.createBaseEntry(admin)).isFalse();
    String baseOnly = "dn: " + ApacheDs.BASE_DN + "\nobjectClass: top\nobjectClass: domain\n";
    try (LDIFReader reader =
        new LDIFReader(new ByteArrayInputStream(baseOnly.getBytes(StandardCharsets.UTF_8)))) {
      assertThat(ApacheDs.addEntries(admin, reader)).isZero();
    }
  }

  @Test
  void gatewaySearchFindsTheNineSampleGateways() throws Exception {
    SearchResult result =
        admin.search(ApacheDs.BASE_DN, SearchScope.SUB, "(objectClass=umIPGateway)", "cn");

    assertThat(result.getEntryCount()).isEqualTo(9);
  }

  @Test
  void gatewayWithoutAddressIsRefused() {
    Entry gateway = gateway("No-Address");
    gateway.removeAttribute("umAddress");

    assertRefused("umIPGateway without umAddress", () -> admin.add(gateway));
  }

  @Test
  void nonIntegerPortIsRefused() {
    Entry gateway = gateway("Bad-Port");
    gateway.setAttribute("umPort", "notanumber");

    assertRefused("umPort: notanumber", () -> admin.add(gateway));
  }

  @Test
  void secondAddressIsRefused() {
    Entry gateway = gateway("Two-Addresses");
    gateway.addAttribute("umAddress", "127.0.0.99");

    assertRefused("add with two umAddress values", () -> admin.add(gateway));
    assertRefused(
        "modify adding a second umAddress",
        () ->
            admin.modify(
                "cn=Spare-Gateway," + GATEWAYS,
                new Modification(ModificationType.ADD, "umAddress", "127.0.0.98")));
  }

  @Test
  void pagedSearchReturnsEveryEntryToTheAdministrator() throws Exception {
    assertThat(pagedServerCount(admin)).isEqualTo(BULK_SERVERS);
  }

  @Test
  void pagedSearchReturnsEveryEntryToOrdinaryUsersOnceTheSizeLimitIsRemoved() throws Exception {
    try (LDAPConnection reader = connectAsReader()) {
      assertThat(pagedServerCount(reader)).isEqualTo(BULK_SERVERS);
    }
  }

  /** Shows why {@link ApacheDs#removeSizeLimit} is needed: the limit spans all pages. */
  @Test
  void sizeLimitCapsPagedSearchesOfOrdinaryUsers() throws Exception {
    long unlimited = classLdapServer.getMaxSizeLimit();
    classLdapServer.setMaxSizeLimit(1_000);
    try (LDAPConnection reader = connectAsReader()) {
      assertThatThrownBy(() -> pagedServerCount(reader))
          .isInstanceOfSatisfying(
              LDAPSearchException.class,
              e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.SIZE_LIMIT_EXCEEDED));
    } finally {
      classLdapServer.setMaxSizeLimit(unlimited);
    }
  }

  private static LDAPConnection connectAsReader() throws LDAPException {
    return new LDAPConnection("127.0.0.1", classLdapServer.getPort(), READER_DN, READER_PASSWORD);
  }

  /**
   * Reads every umServer under {@link #BULK} in pages of {@link #PAGE_SIZE}, asking for {@code cn}
   * because ApacheDS drops the response control of a paged search that asks for no attributes.
   */
  private static int pagedServerCount(LDAPConnection connection) throws LDAPException {
    SearchRequest request =
        new SearchRequest(
            BULK, SearchScope.ONE, Filter.createEqualityFilter("objectClass", "umServer"), "cn");
    ASN1OctetString cookie = null;
    int entries = 0;
    do {
      request.setControls(new SimplePagedResultsControl(PAGE_SIZE, cookie));
      SearchResult page = connection.search(request);
      entries += page.getEntryCount();
      SimplePagedResultsControl response = SimplePagedResultsControl.get(page);
      assertThat(response).as("paged results response control").isNotNull();
      cookie = response.getCookie();
    } while (cookie.getValueLength() > 0);
    return entries;
  }

  private static Entry gateway(String name) {
    return new Entry(
        "cn=" + name + "," + GATEWAYS,
        new Attribute("objectClass", "top", "umIPGateway"),
        new Attribute("cn", name),
        new Attribute("umAddress", "127.0.0.100"),
        new Attribute("umPort", "5060"));
  }

  private interface LdapCall {
    void run() throws LDAPException;
  }

  private static void assertRefused(String what, LdapCall call) {
    assertThatThrownBy(call::run)
        .as(what)
        .isInstanceOfSatisfying(
            LDAPException.class,
            e -> System.out.println("ApacheDS refused " + what + ": " + ApacheDs.describe(e)));
  }
}
