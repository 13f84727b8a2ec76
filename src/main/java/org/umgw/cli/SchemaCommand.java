package org.umgw.cli;

import java.util.concurrent.Callable;
import org.umgw.schema.OpenLdapOverlays;
import org.umgw.schema.SchemaFormat;
import org.umgw.schema.UmgwSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code umgw schema}: prints the LDAP schema for a server to load, or slapd's overlays. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = {
      "Print the umgw LDAP schema (rfc4512, openldap-ldif or openldap-schema), or with",
      "openldap-overlays the cn=config LDIF that makes a running slapd refuse a second gateway on"
          + " an address and values outside umgw's value sets and ranges (slapo-unique,"
          + " slapo-constraint): ldapmodify -Y EXTERNAL -H ldapi:/// -f FILE."
    })
final class SchemaCommand implements Callable<Integer> {
  static final String OVERLAYS = "openldap-overlays";

  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      defaultValue = "rfc4512",
      paramLabel = "FORMAT",
      description =
          "rfc4512 (UnboundID, ApacheDS, 389-DS), openldap-ldif (cn=config), openldap-schema"
              + " (slapd.conf) or openldap-overlays (needs --base-dn). Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--base-dn",
      paramLabel = "DN",
      description = "openldap-overlays: the umgw base DN (env UMGW_BASE_DN).")
  String baseDn;

  @Option(
      names = "--database-dn",
      paramLabel = "DN",
      defaultValue = OpenLdapOverlays.DEFAULT_DATABASE_DN,
      description =
          "openldap-overlays: the cn=config entry of the database holding the base; find it with"
              + " ldapsearch -Y EXTERNAL -H ldapi:/// -b cn=config '(olcSuffix=BASE)' dn."
              + " Default: ${DEFAULT-VALUE}.")
  String databaseDn;

  @Option(
      names = "--no-module-load",
      description =
          "openldap-overlays: leave out the module list loading unique and constraint (when slapd"
              + " has them built in or loaded already).")
  boolean noModuleLoad;

  @Override
  public Integer call() {
    if (OVERLAYS.equalsIgnoreCase(format)) {
      if (baseDn == null || baseDn.isBlank()) {
        throw new ParameterException(
            spec.commandLine(), "--format " + OVERLAYS + " needs --base-dn (or UMGW_BASE_DN)");
      }
      String ldif;
      try {
        ldif = OpenLdapOverlays.ldif(baseDn, databaseDn, !noModuleLoad);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      spec.commandLine().getOut().print(ldif);
      return 0;
    }
    spec.commandLine().getOut().print(UmgwSchema.load().format(schemaFormat()));
    return 0;
  }

  private SchemaFormat schemaFormat() {
    for (SchemaFormat f : SchemaFormat.values()) {
      if (f.cliName().equalsIgnoreCase(format)) {
        return f;
      }
    }
    throw new ParameterException(
        spec.commandLine(),
        "--format: expected rfc4512, openldap-ldif, openldap-schema or "
            + OVERLAYS
            + ", not '"
            + format
            + "'");
  }
}
