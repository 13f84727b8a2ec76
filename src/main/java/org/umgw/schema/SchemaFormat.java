package org.umgw.schema;

/** The shipped forms of the umgw schema, named as {@code umgw schema --format} takes them. */
public enum SchemaFormat {
  /** RFC 4512 subschema entry for UnboundID, ApacheDS and 389-DS: the source of truth. */
  RFC4512("rfc4512", "umgw.ldif"),
  /** OpenLDAP cn=config entry for {@code ldapadd -Y EXTERNAL} or an {@code include:}. */
  OPENLDAP_LDIF("openldap-ldif", "umgw-openldap.ldif"),
  /** OpenLDAP slapd.conf {@code include} file. */
  OPENLDAP_SCHEMA("openldap-schema", "umgw.schema");

  private final String cliName;
  private final String fileName;

  SchemaFormat(String cliName, String fileName) {
    this.cliName = cliName;
    this.fileName = fileName;
  }

  public String cliName() {
    return cliName;
  }

  /** The file under {@code schema/} that ships this form. */
  public String fileName() {
    return fileName;
  }

  @Override
  public String toString() {
    return cliName;
  }
}
