package org.umgw.cli;

import java.util.List;
import org.umgw.model.DialPlan;
import org.umgw.model.ObjectRef;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code umgw dialplan ...}: the *-UMDialPlan cmdlets. */
@Command(
    name = "dialplan",
    mixinStandardHelpOptions = true,
    description = "Manage UM dial plans.",
    subcommands = {
      DialPlanCommand.New.class,
      DialPlanCommand.Set.class,
      DialPlanCommand.Get.class,
      DialPlanCommand.Remove.class
    })
final class DialPlanCommand {
  private DialPlanCommand() {}

  @Command(name = "new", mixinStandardHelpOptions = true, description = "New-UMDialPlan.")
  static final class New extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--uri-type",
        required = true,
        paramLabel = "T",
        description = "TelExtn, E164 or SipName.")
    UriType uriType;

    @Option(names = "--number-of-digits-in-extension", required = true, paramLabel = "N")
    int digits;

    @Option(
        names = "--voip-security",
        defaultValue = "Unsecured",
        paramLabel = "S",
        description = "Unsecured, SIPSecured or Secured (default: ${DEFAULT-VALUE}).")
    VoipSecurity security;

    @Option(names = "--country-or-region-code", paramLabel = "C")
    String country;

    @Option(names = "--access-telephone-number", paramLabel = "NUMBER")
    List<String> accessNumbers = List.of();

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Override
    public Integer call() {
      DialPlan dp =
          new DialPlan(name, uriType, digits, security, country, accessNumbers, description);
      connection.run(store -> store.createDialPlan(dp));
      out().println("created " + dp.ref());
      return 0;
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description =
          "Set-UMDialPlan. --uri-type and --number-of-digits-in-extension cannot change after"
              + " creation; giving a different value is refused.")
  static final class Set extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--uri-type", paramLabel = "T")
    UriType uriType;

    @Option(names = "--number-of-digits-in-extension", paramLabel = "N")
    Integer digits;

    @Option(names = "--voip-security", paramLabel = "S")
    VoipSecurity security;

    @Option(names = "--country-or-region-code", paramLabel = "C", description = "Empty to clear.")
    String country;

    @Option(
        names = "--access-telephone-number",
        paramLabel = "NUMBER",
        description = "Replaces the list; repeat for several.")
    List<String> accessNumbers;

    @Option(names = "--description", paramLabel = "TEXT", description = "Empty to clear.")
    String description;

    @Override
    public Integer call() {
      DialPlan after =
          connection.with(
              store ->
                  store.updateDialPlan(
                      name,
                      dp ->
                          new DialPlan(
                              dp.name(),
                              uriType != null ? uriType : dp.uriType(),
                              digits != null ? digits : dp.numberOfDigitsInExtension(),
                              security != null ? security : dp.voipSecurity(),
                              country != null
                                  ? (country.isEmpty() ? null : country)
                                  : dp.countryOrRegionCode(),
                              accessNumbers != null ? accessNumbers : dp.accessTelephoneNumbers(),
                              description != null
                                  ? (description.isEmpty() ? null : description)
                                  : dp.description())));
      out().println("updated " + after.ref());
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Get-UMDialPlan.")
  static final class Get extends DirectoryCommand
      implements ConnectionOptions.CreatesDataDirectory {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--format", defaultValue = "table", description = "table or json.")
    Output.Format format;

    @Override
    public Integer call() {
      List<DialPlan> plans =
          connection.with(
              store ->
                  name != null
                      ? List.of(store.requireDialPlan(name))
                      : Output.listing(err(), store.dialPlans()));
      Output.print(
          out(),
          format,
          name != null,
          plans.stream().map(Output::view).toList(),
          "name",
          "uriType",
          "numberOfDigitsInExtension",
          "voipSecurity",
          "countryOrRegionCode",
          "accessTelephoneNumbers");
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove-UMDialPlan (refused while hunt groups link to it).")
  static final class Remove extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      connection.run(store -> store.removeDialPlan(name));
      out().println("removed " + ObjectRef.dialPlan(name));
      return 0;
    }
  }
}
