package org.umgw.cli;

import java.util.concurrent.Callable;
import org.umgw.schema.SchemaFormat;
import org.umgw.schema.UmgwSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code umgw schema}: prints the LDAP schema for a server to load. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = "Print the umgw LDAP schema: rfc4512, openldap-ldif or openldap-schema.")
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--format",
      defaultValue = "rfc4512",
      paramLabel = "FORMAT",
      converter = FormatConverter.class,
      description =
          "rfc4512 (UnboundID, ApacheDS, 389-DS), openldap-ldif (cn=config) or"
              + " openldap-schema (slapd.conf). Default: ${DEFAULT-VALUE}.")
  SchemaFormat format;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(UmgwSchema.load().format(format));
    return 0;
  }

  /** Takes the formats by their CLI names. */
  static final class FormatConverter implements picocli.CommandLine.ITypeConverter<SchemaFormat> {
    @Override
    public SchemaFormat convert(String value) {
      for (SchemaFormat f : SchemaFormat.values()) {
        if (f.cliName().equalsIgnoreCase(value)) {
          return f;
        }
      }
      throw new picocli.CommandLine.TypeConversionException(
          "expected rfc4512, openldap-ldif or openldap-schema, not '" + value + "'");
    }
  }
}
