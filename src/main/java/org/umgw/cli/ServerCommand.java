package org.umgw.cli;

import java.util.List;
import org.umgw.directory.ObjectNotFoundException;
import org.umgw.model.ObjectRef;
import org.umgw.model.UmServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code umgw server ...}: UM servers, whose internal URL hosts are trusted peers. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Manage UM servers.",
    subcommands = {ServerCommand.New.class, ServerCommand.Get.class, ServerCommand.Remove.class})
final class ServerCommand {
  private ServerCommand() {}

  @Command(name = "new", mixinStandardHelpOptions = true, description = "Add a UM server.")
  static final class New extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--internal-url", required = true, paramLabel = "URL")
    String internalUrl;

    @Option(names = "--description", paramLabel = "TEXT")
    String description;

    @Override
    public Integer call() {
      UmServer s = UmServer.of(name, internalUrl, description);
      connection.run(store -> store.createServer(s));
      out().println("created " + s.ref());
      return 0;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Show UM servers.")
  static final class Get extends DirectoryCommand
      implements ConnectionOptions.CreatesDataDirectory {

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--format", defaultValue = "table", description = "table or json.")
    Output.Format format;

    @Override
    public Integer call() {
      List<UmServer> servers =
          connection.with(
              store ->
                  name != null
                      ? List.of(
                          store
                              .server(name)
                              .orElseThrow(
                                  () -> new ObjectNotFoundException(ObjectRef.server(name))))
                      : Output.listing(err(), store.servers()));
      Output.print(
          out(),
          format,
          name != null,
          servers.stream().map(Output::view).toList(),
          "name",
          "internalUrl",
          "description");
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a UM server.")
  static final class Remove extends DirectoryCommand {

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      connection.run(store -> store.removeServer(name));
      out().println("removed " + ObjectRef.server(name));
      return 0;
    }
  }
}
