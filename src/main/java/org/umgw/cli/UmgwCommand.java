package org.umgw.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** The root command: {@code umgw <command> ...}. */
@Command(
    name = "umgw",
    mixinStandardHelpOptions = true,
    version = "umgw 0.1.0",
    description = "Directory-backed SIP trust service: UM IP gateways, hunt groups, dial plans.",
    subcommands = {
      InitCommand.class,
      GatewayCommand.class,
      HuntGroupCommand.class,
      DialPlanCommand.class,
      ServerCommand.class,
      ValidateCommand.class,
      TrustListCommand.class,
      ProbeCommand.class,
      ConsoleCommand.class,
      SipResponderCommand.class,
      SchemaCommand.class,
      ServeCommand.class,
      ImportCommand.class,
      AutoComplete.GenerateCompletion.class
    })
final class UmgwCommand {}
