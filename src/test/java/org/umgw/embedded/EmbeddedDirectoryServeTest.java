package org.umgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.SelfSignedCertificateGenerator;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ObjectPair;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryConnector;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.UmgwException;

class EmbeddedDirectoryServeTest {
  private static final String ADMIN = "cn=admin,dc=umgw,dc=example";
  private static final String NEW_GATEWAY = "cn=Served-GW,ou=gateways,dc=umgw,dc=example";

  @TempDir Path tmp;

  private static LDAPConnection connect(InetSocketAddress at) throws LDAPException {
    return new LDAPConnection(at.getAddress().getHostAddress(), at.getPort());
  }

  private static Entry gateway(String dn, String port) throws Exception {
    return new Entry(
        "dn: " + dn,
        "objectClass: top",
        "objectClass: umIPGateway",
        "cn: " + dn.substring(3, dn.indexOf(',')),
        "umAddress: 198.51.100.7",
        "umPort: " + port);
  }

  @Test
  void serve_letsAnonymousClientsReadAndOnlyTheAdministratorWrite() throws Exception {
    Path data = tmp.resolve("data");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      InetSocketAddress at = dir.serve("127.0.0.1", 0, ServeOptions.defaults());
      assertThat(at.getPort()).isPositive();
      Path pw = dir.adminPasswordFile();
      assertThat(pw).exists();
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pw)))
          .isEqualTo("rw-------");
      String password = DirectoryConnector.readSecret(pw, "admin");

      try (LDAPConnection anonymous = connect(at)) {
        assertThat(
                anonymous
                    .search(
                        "ou=gateways,dc=umgw,dc=example",
                        SearchScope.ONE,
                        "(objectClass=umIPGateway)",
                        "cn")
                    .getEntryCount())
            .isEqualTo(9);
        assertThatThrownBy(() -> anonymous.add(gateway(NEW_GATEWAY, "5060")))
            .isInstanceOfSatisfying(
                LDAPException.class,
                e -> {
                  assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);
                  assertThat(e.getDiagnosticMessage())
                      .contains("need a bind as " + ADMIN)
                      .doesNotContain(pw.toString())
                      .doesNotContain("admin.pw");
                });
        assertThatThrownBy(() -> anonymous.delete("cn=UM-Server-01,ou=servers,dc=umgw,dc=example"))
            .isInstanceOfSatisfying(
                LDAPException.class,
                e ->
                    assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
        assertThatThrownBy(() -> anonymous.bind(ADMIN, "wrong"))
            .isInstanceOfSatisfying(
                LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
      }

      try (LDAPConnection admin = connect(at)) {
        admin.bind(ADMIN, password);
        admin.add(gateway(NEW_GATEWAY, "5060"));
        assertThatThrownBy(
                () -> admin.add(gateway("cn=Bad-Port,ou=gateways,dc=umgw,dc=example", "abc")))
            .isInstanceOfSatisfying(
                LDAPException.class,
                e -> {
                  assertThat(e.getResultCode()).isNotEqualTo(ResultCode.SUCCESS);
                  assertThat(e.getDiagnosticMessage()).contains("umPort");
                });
        assertThat(admin.getEntry("cn=Bad-Port,ou=gateways,dc=umgw,dc=example")).isNull();
      }
      // The in-process store sees the LDAP client's write.
      assertThat(new DirectoryStore(dir.pool(), dir.layout()).gateway("Served-GW")).isPresent();
      DataDirs.crashImage(data, tmp.resolve("image"));
    }
    for (Path reopened : new Path[] {data, tmp.resolve("image")}) {
      try (EmbeddedDirectory dir = EmbeddedDirectory.open(reopened)) {
        assertThat(dir.server().getEntry(NEW_GATEWAY)).isNotNull();
        assertThat(dir.server().getEntry("cn=Bad-Port,ou=gateways,dc=umgw,dc=example")).isNull();
      }
    }
  }

  @Test
  void serve_publishesTheSchemaWithDescriptionsAndTheChangelog() throws Exception {
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(tmp.resolve("data"))) {
      InetSocketAddress at = dir.serve("127.0.0.1", 0, ServeOptions.defaults());
      try (LDAPConnection anonymous = connect(at)) {
        String subschema = anonymous.getRootDSE().getAttributeValue("subschemaSubentry");
        SearchResultEntry schema = anonymous.getEntry(subschema, "objectClasses", "attributeTypes");
        assertThat(schema.getAttributeValues("objectClasses"))
            .anySatisfy(
                oc ->
                    assertThat(oc)
                        .contains("NAME 'umIPGateway'")
                        .contains("DESC 'UM IP gateway: a VoIP gateway"));
        assertThat(schema.getAttributeValues("attributeTypes"))
            .anySatisfy(at2 -> assertThat(at2).contains("NAME 'umPort'").contains("DESC '"));

        new DirectoryStore(dir.pool(), dir.layout()).removeGateway("Spare-Gateway");
        // The changelog is the administrator's only.
        assertThat(
                anonymous
                    .search("cn=changelog", SearchScope.SUB, "(objectClass=*)")
                    .getSearchEntries())
            .isEmpty();
        anonymous.bind(ADMIN, DirectoryConnector.readSecret(dir.adminPasswordFile(), "admin"));
        assertThat(
                anonymous
                    .search("cn=changelog", SearchScope.ONE, "(objectClass=changeLogEntry)")
                    .getSearchEntries())
            .extracting(
                e -> e.getAttributeValue("changeType") + " " + e.getAttributeValue("targetDN"))
            .contains("delete cn=Spare-Gateway,ou=gateways,dc=umgw,dc=example");
      }
    }
  }

  @Test
  void serve_withAKeyStore_offersStartTls() throws Exception {
    ObjectPair<File, char[]> cert =
        SelfSignedCertificateGenerator.generateTemporarySelfSignedCertificate(
            "umgw-test", "PKCS12");
    Path pinFile = tmp.resolve("keystore.pw");
    Files.writeString(pinFile, new String(cert.getSecond()) + "\n");
    Path adminPw = tmp.resolve("admin-given.pw");
    Files.writeString(adminPw, "given-secret\n");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(tmp.resolve("data"))) {
      InetSocketAddress at =
          dir.serve(
              "127.0.0.1",
              0,
              ServeOptions.defaults()
                  .withStartTls(cert.getFirst().toPath(), pinFile)
                  .withAdminPasswordFile(adminPw));
      assertThat(dir.adminPasswordFile()).doesNotExist();
      try (LDAPConnection c = connect(at)) {
        SSLUtil ssl = new SSLUtil(new TrustAllTrustManager());
        ExtendedResult r =
            c.processExtendedOperation(new StartTLSExtendedRequest(ssl.createSSLContext()));
        assertThat(r.getResultCode()).isEqualTo(ResultCode.SUCCESS);
        c.bind(ADMIN, "given-secret");
        c.add(gateway(NEW_GATEWAY, "5061"));
      }
      assertThatThrownBy(() -> dir.serve("127.0.0.1", 0, ServeOptions.defaults()))
          .isInstanceOf(UmgwException.class)
          .hasMessageContaining("already served");
    } finally {
      Arrays.fill(cert.getSecond(), '\0');
      Files.deleteIfExists(cert.getFirst().toPath());
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(tmp.resolve("data"))) {
      assertThat(dir.server().getEntry(NEW_GATEWAY).getAttributeValue("umPort")).isEqualTo("5061");
    }
  }

  @Test
  void serve_onAPortInUse_failsWithTheAddress() throws Exception {
    try (java.net.ServerSocket taken =
            new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
        EmbeddedDirectory dir = EmbeddedDirectory.open(tmp.resolve("data"))) {
      assertThatThrownBy(
              () -> dir.serve("127.0.0.1", taken.getLocalPort(), ServeOptions.defaults()))
          .isInstanceOf(UmgwException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }
}
