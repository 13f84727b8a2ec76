package org.umgw.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the CLI in-process for tests of other packages. */
public final class CliRunner {
  /** Exit code and the two streams. */
  public record Result(int code, String out, String err) {
    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  private CliRunner() {}

  public static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(args, new PrintWriter(out), new PrintWriter(err), env);
    return new Result(code, out.toString(), err.toString());
  }
}
