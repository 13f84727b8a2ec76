package org.umgw.testing;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldif.LDIFWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes {@link Slapd}'s configuration, in either of OpenLDAP's two forms ({@link
 * Slapd.SchemaForm}): a cn=config loaded by {@code slapadd -n 0}, or an equivalent {@code
 * slapd.conf}. Both forms exist because the umgw schema ships in both and each must be proven
 * against a real slapd; keeping the two renderings side by side here keeps them equivalent.
 *
 * @param tls the certificate slapd serves (self-signed: also what clients trust), or null for no
 *     TLS
 * @param tools runs an OpenLDAP tool (here slapadd) as {@link Slapd#exec} does
 */
record SlapdConfig(
    Path workDir,
    Path dataDir,
    Path schemaFile,
    TestCertificate tls,
    Path modulePath,
    String suffix,
    String rootDn,
    String configRootDn,
    String rootPassword,
    Tools tools) {

  /** Runs a tool with these arguments. */
  interface Tools {
    Slapd.ToolResult run(String tool, String... args);
  }

  /** Writes the configuration of {@code form}; returns slapd's arguments to read it. */
  List<String> write(Slapd.SchemaForm form) throws IOException {
    return form == Slapd.SchemaForm.CN_CONFIG ? writeCnConfig() : writeSlapdConf();
  }

  /** Writes config.ldif and loads it into slapd.d with {@code slapadd -n 0}. */
  private List<String> writeCnConfig() throws IOException {
    StringBuilder sb = new StringBuilder();
    entry(sb, "cn=config", "objectClass", "olcGlobal", "cn", "config");
    if (tls != null) {
      attr(sb, "olcTLSCertificateFile", tls.pem().toString());
      attr(sb, "olcTLSCertificateKeyFile", tls.keyPem().toString());
      attr(sb, "olcTLSCACertificateFile", tls.pem().toString());
    }
    entry(
        sb,
        "cn=module{0},cn=config",
        "objectClass",
        "olcModuleList",
        "cn",
        "module{0}",
        "olcModulePath",
        modulePath.toString(),
        "olcModuleLoad",
        "back_mdb",
        "olcModuleLoad",
        "syncprov");
    entry(sb, "cn=schema,cn=config", "objectClass", "olcSchemaConfig", "cn", "schema");
    // slapadd's LDIF reader follows include: lines; each included file holds one entry.
    for (Path schema : standardSchemas(".ldif")) {
      sb.append("\ninclude: ").append(schema.toUri()).append('\n');
    }
    sb.append("\ninclude: ").append(schemaFile.toUri()).append('\n');
    entry(
        sb,
        "olcDatabase={-1}frontend,cn=config",
        "objectClass",
        "olcDatabaseConfig",
        "objectClass",
        "olcFrontendConfig",
        "olcDatabase",
        "{-1}frontend",
        "olcSizeLimit",
        "unlimited");
    entry(
        sb,
        "olcDatabase={0}config,cn=config",
        "objectClass",
        "olcDatabaseConfig",
        "olcDatabase",
        "{0}config",
        "olcRootDN",
        configRootDn,
        "olcRootPW",
        rootPassword,
        "olcAccess",
        "{0}to * by * none");
    entry(
        sb,
        "olcDatabase={1}mdb,cn=config",
        "objectClass",
        "olcDatabaseConfig",
        "objectClass",
        "olcMdbConfig",
        "olcDatabase",
        "{1}mdb",
        "olcDbDirectory",
        dataDir.toString(),
        "olcSuffix",
        suffix,
        "olcRootDN",
        rootDn,
        "olcRootPW",
        rootPassword,
        "olcDbMaxSize",
        "1073741824",
        "olcDbIndex",
        "objectClass eq",
        "olcDbIndex",
        "umAddress eq",
        "olcDbIndex",
        "umDialPlanLink eq",
        "olcSizeLimit",
        "unlimited",
        // The rootdn always writes; naming it in an ACL only draws a warning from slapd.
        "olcAccess",
        "{0}to * by * read");
    entry(
        sb,
        "olcOverlay={0}syncprov,olcDatabase={1}mdb,cn=config",
        "objectClass",
        "olcOverlayConfig",
        "objectClass",
        "olcSyncProvConfig",
        "olcOverlay",
        "{0}syncprov",
        "olcSpCheckpoint",
        "100 10",
        "olcSpSessionlog",
        "10000");
    Path configLdif = workDir.resolve("config.ldif");
    Files.writeString(configLdif, sb.toString());
    TestFiles.restrict(configLdif);
    Path slapdD = Files.createDirectory(workDir.resolve("slapd.d"));
    Slapd.ToolResult slapadd =
        tools.run("slapadd", "-n", "0", "-F", slapdD.toString(), "-l", configLdif.toString());
    if (!slapadd.ok()) {
      throw new IllegalStateException(
          "slapadd of cn=config failed (schema " + schemaFile + ")\n" + slapadd);
    }
    return List.of("-F", slapdD.toString());
  }

  /** Writes a slapd.conf equivalent to {@link #writeCnConfig()}. */
  private List<String> writeSlapdConf() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Path schema : standardSchemas(".schema")) {
      sb.append("include ").append(quote(schema.toString())).append('\n');
    }
    sb.append("include ").append(quote(schemaFile.toString())).append('\n');
    sb.append("modulepath ").append(quote(modulePath.toString())).append('\n');
    sb.append("moduleload back_mdb\nmoduleload syncprov\n");
    sb.append("sizelimit unlimited\n");
    if (tls != null) {
      sb.append("TLSCertificateFile ").append(quote(tls.pem().toString()));
      sb.append("\nTLSCertificateKeyFile ").append(quote(tls.keyPem().toString()));
      sb.append("\nTLSCACertificateFile ").append(quote(tls.pem().toString())).append('\n');
    }
    sb.append("\ndatabase config\n");
    sb.append("rootdn ").append(quote(configRootDn)).append('\n');
    sb.append("rootpw ").append(quote(rootPassword)).append('\n');
    sb.append("access to * by * none\n");
    sb.append("\ndatabase mdb\n");
    sb.append("maxsize 1073741824\n");
    sb.append("suffix ").append(quote(suffix)).append('\n');
    sb.append("rootdn ").append(quote(rootDn)).append('\n');
    sb.append("rootpw ").append(quote(rootPassword)).append('\n');
    sb.append("directory ").append(quote(dataDir.toString())).append('\n');
    sb.append("sizelimit unlimited\n");
    sb.append("index objectClass eq\nindex umAddress eq\nindex umDialPlanLink eq\n");
    sb.append("access to * by * read\n");
    sb.append("overlay syncprov\nsyncprov-checkpoint 100 10\nsyncprov-sessionlog 10000\n");
    Path conf = workDir.resolve("slapd.conf");
    Files.writeString(conf, sb.toString());
    TestFiles.restrict(conf);
    return List.of("-f", conf.toString());
  }

  private static List<Path> standardSchemas(String extension) {
    List<Path> schemas = new ArrayList<>();
    for (String name : List.of("core", "cosine", "inetorgperson")) {
      Path p = Path.of("/etc/ldap/schema", name + extension);
      if (!Files.isRegularFile(p)) {
        throw new IllegalStateException(
            "missing " + p + ": slapd not installed: run .ci/run or apt-get install slapd");
      }
      schemas.add(p);
    }
    return schemas;
  }

  /** Appends an LDIF entry; {@code pairs} alternate attribute name and value. */
  private static void entry(StringBuilder sb, String dn, String... pairs) {
    sb.append('\n');
    attr(sb, "dn", dn);
    for (int i = 0; i < pairs.length; i += 2) {
      attr(sb, pairs[i], pairs[i + 1]);
    }
  }

  private static void attr(StringBuilder sb, String name, String value) {
    LDIFWriter.encodeNameAndValue(name, new ASN1OctetString(value), sb);
    sb.append('\n');
  }

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
