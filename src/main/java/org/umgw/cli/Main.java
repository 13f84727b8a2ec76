package org.umgw.cli;

import java.io.PrintWriter;
import java.util.Map;
import org.umgw.model.UmgwException;
import picocli.CommandLine;

/**
 * Entry point of {@code java -jar umgw.jar}. Tests call {@link #run} and assert on the exit code
 * and the output, with no {@code System.exit}.
 */
public final class Main {
  /** Exit code of a command that failed (a rule broken, an object missing, a server down). */
  public static final int FAILURE = 1;

  /** Exit code of a command line picocli could not parse. */
  public static final int USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(args, out, err, System.getenv()));
  }

  /**
   * Runs one command line.
   *
   * @param env the environment ({@code UMGW_LDAP_URL} and friends supply option defaults)
   * @return 0 on success, 1 on failure, 2 on a usage error
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    CommandLine cli = commandLine(env);
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cli = new CommandLine(new UmgwCommand());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    EnvironmentDefaults defaults = new EnvironmentDefaults(env);
    cli.setDefaultValueProvider(defaults);
    cli.setExecutionStrategy(
        parsed -> {
          OptionChecks.check(parsed, defaults);
          return new CommandLine.RunLast().execute(parsed);
        });
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          if (e instanceof UmgwException) {
            err.println("umgw: " + e.getMessage());
          } else {
            // A bug of ours, not a mistake of the user's: say so in one line; the stack trace
            // only when asked for (UMGW_DEBUG=1), never in the way of the message.
            err.println(
                "umgw: internal error ("
                    + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); please report it with the command line (UMGW_DEBUG=1 shows the trace)");
            if ("1".equals(env.get("UMGW_DEBUG"))) {
              e.printStackTrace(err);
            }
          }
          err.flush();
          return FAILURE;
        });
    return cli;
  }

  /**
   * A command line that does not parse or a value out of its domain: one line naming the option and
   * the value, then where to find help; exit 2.
   */
  private static int usageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    String message = e.getMessage() == null ? "invalid command line" : e.getMessage();
    err.println(
        "umgw: "
            + org.umgw.events.Untrusted.text(message, 400)
            + " (see: "
            + cl.getCommandSpec().qualifiedName()
            + " --help)");
    err.flush();
    return USAGE;
  }
}
