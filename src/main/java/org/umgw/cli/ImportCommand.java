package org.umgw.cli;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.umgw.directory.DirectoryConfig;
import org.umgw.migration.ExchangeImport;
import org.umgw.migration.ImportReport;
import org.umgw.migration.LdifExport;
import org.umgw.migration.LiveDirectory;
import org.umgw.migration.SourceRecord;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code umgw import ...}: bring UM objects over from another system. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = "Import UM objects from another system.",
    subcommands = {ImportCommand.Exchange.class})
final class ImportCommand {
  private ImportCommand() {}

  /** Report formats. */
  enum Format {
    text,
    json
  }

  @Command(
      name = "exchange",
      mixinStandardHelpOptions = true,
      description = {
        "Import an Exchange organisation's UM IP gateways, hunt groups and dial plans from an"
            + " ldifde export (UTF-8, or UTF-16 with a byte-order mark as `ldifde -u` writes),"
            + " or from the live directory with --from-ldap. Dial plans are written first, then"
            + " gateways, then hunt groups, through the same rules as the other commands.",
        "Objects equal to what umgw holds are left unchanged; differing ones are updated (a dial"
            + " plan's URI type and number of digits excepted: reported, never changed); objects"
            + " that cannot be mapped or would break a rule are refused and reported with their"
            + " Exchange DN, attribute, value and reason. Exit 0 when everything was imported, 1"
            + " when anything was refused or kept, 2 for a usage error. See docs/migration.md."
      })
  static final class Exchange extends DirectoryCommand {

    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "FILE",
        description = "The ldifde export (omit with --from-ldap).")
    Path file;

    @Option(names = "--dry-run", description = "Report what would be done; write nothing.")
    boolean dryRun;

    @Option(
        names = "--format",
        defaultValue = "text",
        paramLabel = "FORMAT",
        description = "text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @ArgGroup(exclusive = false, heading = "Reading from a live directory instead of a file:%n")
    FromLdap fromLdap;

    /** Where Exchange's directory is, when it is read live. */
    static final class FromLdap {
      @Option(
          names = "--from-ldap",
          required = true,
          paramLabel = "URL",
          description = "ldap:// or ldaps:// URL of the directory holding Exchange's objects.")
      String url;

      @Option(
          names = "--from-bind-dn",
          paramLabel = "DN",
          description = "DN to bind as in that directory.")
      String bindDn;

      @Option(
          names = "--from-bind-password-file",
          paramLabel = "FILE",
          description = "File holding that DN's password on its first line.")
      Path bindPasswordFile;

      @Option(
          names = "--from-base-dn",
          required = true,
          paramLabel = "DN",
          description =
              "Where to search, e.g. CN=<Org>,CN=Microsoft Exchange,CN=Services,"
                  + "CN=Configuration,DC=contoso,DC=com.")
      String baseDn;

      @Option(names = "--from-start-tls", description = "Secure an ldap:// URL with StartTLS.")
      boolean startTls;

      @Option(
          names = "--from-trust-store",
          paramLabel = "FILE",
          description = "CA certificates to trust for that directory's TLS (PEM, PKCS#12, JKS).")
      Path trustStore;
    }

    @Override
    public Integer call() {
      List<SourceRecord> records = read();
      ImportReport report =
          connection.with(store -> new ExchangeImport(store).run(records, dryRun));
      if (format == Format.json) {
        Output.json(out(), report.view());
      } else {
        out().print(report.toText());
      }
      return report.complete() ? 0 : Main.FAILURE;
    }

    private List<SourceRecord> read() {
      if (file != null && fromLdap != null) {
        throw new ParameterException(
            spec.commandLine(), "give either FILE or --from-ldap, not both");
      }
      if (file == null && fromLdap == null) {
        throw new ParameterException(
            spec.commandLine(), "give the ldifde export FILE, or --from-ldap with --from-base-dn");
      }
      if (file != null) {
        return LdifExport.read(file);
      }
      if ((fromLdap.bindDn == null) != (fromLdap.bindPasswordFile == null)) {
        throw new ParameterException(
            spec.commandLine(),
            fromLdap.bindDn == null
                ? "--from-bind-password-file is given without --from-bind-dn"
                : "--from-bind-dn needs --from-bind-password-file (a password is never given on"
                    + " the command line)");
      }
      DN base;
      try {
        base = new DN(fromLdap.baseDn);
      } catch (LDAPException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--from-base-dn \"" + fromLdap.baseDn + "\" is not a DN: " + e.getMessage());
      }
      DirectoryConfig config =
          DirectoryConfig.builder(fromLdap.url)
              .bind(fromLdap.bindDn, fromLdap.bindPasswordFile)
              .startTls(fromLdap.startTls)
              .trustStore(fromLdap.trustStore, null)
              .connectTimeout(Duration.ofSeconds(connection.timeoutSeconds))
              .responseTimeout(Duration.ofSeconds(Math.max(60, connection.timeoutSeconds)))
              .build();
      return LiveDirectory.read(config, base);
    }
  }
}
