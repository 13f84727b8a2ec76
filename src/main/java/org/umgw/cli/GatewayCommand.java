package org.umgw.cli;

import java.io.PrintWriter;
import java.util.List;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.ObjectRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code umgw gateway ...}: the *-UMIPGateway cmdlets. */
@Command(
    name = "gateway",
    mixinStandardHelpOptions = true,
    description = "Manage UM IP gateways (VoIP gateways, IP PBXs, session border controllers).",
    subcommands = {
      GatewayCommand.New.class,
      GatewayCommand.Set.class,
      GatewayCommand.Get.class,
      GatewayCommand.Enable.class,
      GatewayCommand.Disable.class,
      GatewayCommand.Remove.class
    })
final class GatewayCommand {
  private GatewayCommand() {}

  /** Options every writing gateway verb shares. */
  abstract static class Properties extends DirectoryCommand {
    @Option(names = "--port", paramLabel = "N", description = "SIP port; 0 = transport default.")
    Integer port;

    @Option(
        names = "--ip-address-family",
        paramLabel = "F",
        description = "IPv4Only, IPv6Only or Any (default: from an IP literal, else IPv4Only).")
    IpAddressFamily family;

    @Option(names = "--outcalls-allowed", arity = "1", paramLabel = "B")
    Boolean outcallsAllowed;

    @Option(names = "--message-waiting-indicator-allowed", arity = "1", paramLabel = "B")
    Boolean mwiAllowed;

    @Option(names = "--simulator", arity = "1", paramLabel = "B")
    Boolean simulator;

    @Option(names = "--delayed-source-party-info-enabled", arity = "1", paramLabel = "B")
    Boolean delayedInfo;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    Gateway.Builder apply(Gateway.Builder b) {
      if (port != null) {
        b.port(port);
      }
      if (family != null) {
        b.ipAddressFamily(family);
      }
      if (outcallsAllowed != null) {
        b.outcallsAllowed(outcallsAllowed);
      }
      if (mwiAllowed != null) {
        b.messageWaitingIndicatorAllowed(mwiAllowed);
      }
      if (simulator != null) {
        b.simulator(simulator);
      }
      if (delayedInfo != null) {
        b.delayedSourcePartyInfoEnabled(delayedInfo);
      }
      if (description != null) {
        b.description(description.isEmpty() ? null : description);
      }
      return b;
    }
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description =
          "New-UMIPGateway: create a gateway; with --dial-plan also its \"Default Hunt Group\".")
  static final class New extends Properties {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(
        names = "--address",
        required = true,
        paramLabel = "A",
        description = "IPv4 literal, IPv6 literal (brackets optional) or FQDN.")
    String address;

    @Option(names = "--dial-plan", paramLabel = "DP", description = "Link to this dial plan.")
    String dialPlan;

    @Override
    public Integer call() {
      Gateway g = apply(Gateway.builder(name, address)).build();
      connection.with(store -> store.createGateway(g, dialPlan));
      PrintWriter out = out();
      out.println("created " + g.ref() + " at " + g.address());
      if (dialPlan != null) {
        out.println(
            "created "
                + ObjectRef.huntGroup(name, HuntGroup.DEFAULT_NAME)
                + " in "
                + ObjectRef.dialPlan(dialPlan));
      }
      return 0;
    }
  }

  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Set-UMIPGateway: change properties of a gateway.")
  static final class Set extends Properties {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--address", paramLabel = "A")
    String address;

    @Override
    public Integer call() {
      Gateway after =
          connection.with(
              store ->
                  store.updateGateway(
                      name,
                      g -> {
                        Gateway.Builder b = g.toBuilder();
                        if (address != null) {
                          b.address(address);
                        }
                        return apply(b).build();
                      }));
      out().println("updated " + after.ref());
      return 0;
    }
  }

  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Get-UMIPGateway: show one gateway by name, or all.")
  static final class Get extends DirectoryCommand
      implements ConnectionOptions.CreatesDataDirectory {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--format", defaultValue = "table", description = "table or json.")
    Output.Format format;

    @Override
    public Integer call() {
      List<Gateway> gateways =
          connection.with(
              store ->
                  name != null
                      ? List.of(store.requireGateway(name))
                      : Output.listing(err(), store.gateways()));
      Output.print(
          out(),
          format,
          name != null,
          gateways.stream().map(Output::view).toList(),
          "name",
          "address",
          "port",
          "ipAddressFamily",
          "status",
          "outcallsAllowed",
          "messageWaitingIndicatorAllowed",
          "simulator");
      return 0;
    }
  }

  @Command(
      name = "enable",
      mixinStandardHelpOptions = true,
      description = "Enable-UMIPGateway: let the gateway take calls again.")
  static final class Enable extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      Gateway g = connection.with(store -> store.enableGateway(name));
      out().println(g.ref() + " is now " + g.status());
      return 0;
    }
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description =
          "Disable-UMIPGateway: refuse new calls and let current ones finish (NoNewCalls), or"
              + " with --immediate drop them at once (Disabled).")
  static final class Disable extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--immediate", description = "Drop calls in progress (Status Disabled).")
    boolean immediate;

    @Override
    public Integer call() {
      Gateway g = connection.with(store -> store.disableGateway(name, immediate));
      out().println(g.ref() + " is now " + g.status());
      return 0;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = "Remove-UMIPGateway: delete the gateway and its hunt groups.")
  static final class Remove extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      connection.run(store -> store.removeGateway(name));
      out().println("removed " + ObjectRef.gateway(name));
      return 0;
    }
  }
}
