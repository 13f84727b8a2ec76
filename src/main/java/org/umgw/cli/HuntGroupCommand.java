package org.umgw.cli;

import java.util.List;
import org.umgw.directory.ObjectNotFoundException;
import org.umgw.model.HuntGroup;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmgwException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code umgw huntgroup ...}: hunt groups are created and removed, never modified. */
@Command(
    name = "huntgroup",
    mixinStandardHelpOptions = true,
    description = "Manage UM hunt groups (a gateway's link to a dial plan for a pilot).",
    subcommands = {
      HuntGroupCommand.New.class,
      HuntGroupCommand.Get.class,
      HuntGroupCommand.Remove.class
    })
final class HuntGroupCommand {
  private HuntGroupCommand() {}

  @Command(name = "new", mixinStandardHelpOptions = true, description = "New-UMHuntGroup.")
  static final class New extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--gateway", required = true, paramLabel = "G")
    String gateway;

    @Option(names = "--dial-plan", required = true, paramLabel = "DP")
    String dialPlan;

    @Option(
        names = "--pilot-identifier",
        paramLabel = "P",
        description = "Pilot number or SIP URI user part; omit for the catch-all.")
    String pilot;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Override
    public Integer call() {
      HuntGroup h = new HuntGroup(gateway, name, dialPlan, pilot, description);
      connection.run(store -> store.createHuntGroup(h));
      spec.commandLine()
          .getOut()
          .println("created " + h.ref() + " in " + ObjectRef.dialPlan(dialPlan));
      return 0;
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Get-UMHuntGroup: all hunt groups, those of --gateway, or GATEWAY/NAME.")
  static final class Get extends DirectoryCommand
      implements ConnectionOptions.CreatesDataDirectory {

    @Parameters(index = "0", arity = "0..1", paramLabel = "GATEWAY/NAME")
    String id;

    @Option(names = "--gateway", paramLabel = "G")
    String gateway;

    @Option(names = "--format", defaultValue = "table", description = "table or json.")
    Output.Format format;

    @Override
    public Integer call() {
      List<HuntGroup> groups =
          connection.with(
              store -> {
                if (id == null) {
                  return Output.listing(
                      err(), gateway == null ? store.huntGroups() : store.huntGroups(gateway));
                }
                String[] parts = split(id);
                return List.of(
                    store
                        .huntGroup(parts[0], parts[1])
                        .orElseThrow(
                            () ->
                                new ObjectNotFoundException(
                                    ObjectRef.huntGroup(parts[0], parts[1]))));
              });
      Output.print(
          out(),
          format,
          id != null,
          groups.stream().map(Output::view).toList(),
          "gateway",
          "name",
          "dialPlan",
          "pilotIdentifier");
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove-UMHuntGroup.")
  static final class Remove extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "GATEWAY/NAME")
    String id;

    @Override
    public Integer call() {
      String[] parts = split(id);
      connection.run(store -> store.removeHuntGroup(parts[0], parts[1]));
      out().println("removed " + ObjectRef.huntGroup(parts[0], parts[1]));
      return 0;
    }
  }

  /** Gateway names cannot contain '/', so the first one separates gateway and hunt group. */
  static String[] split(String id) {
    int slash = id.indexOf('/');
    if (slash <= 0 || slash == id.length() - 1) {
      throw new UmgwException(
          "hunt group \"" + id + "\": expected GATEWAY/NAME, e.g. \"gw1/Default Hunt Group\"");
    }
    return new String[] {id.substring(0, slash), id.substring(slash + 1)};
  }
}
