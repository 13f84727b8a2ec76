package org.umgw.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.DirectoryStore;
import org.umgw.directory.EntryProblem;
import org.umgw.rules.DirectoryValidator;
import org.umgw.rules.RuleViolation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code umgw validate}: every rule over the whole directory; exit 1 when any is broken. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description =
        "Check every entry and every rule over the whole directory, naming the umgw command"
            + " that repairs each problem (\"repair\" in json); exit 1 when anything is wrong.")
final class ValidateCommand extends DirectoryCommand {

  @Option(names = "--format", defaultValue = "table", description = "table (text) or json.")
  Output.Format format;

  @Override
  public Integer call() {
    DirectoryRead read = connection.with(DirectoryStore::readAll);
    List<EntryProblem> problems = read.problems();
    List<RuleViolation> violations = DirectoryValidator.validate(read.contents());
    DirectoryLayout layout = DirectoryLayout.of(connection.baseDn);
    PrintWriter out = out();
    if (format == Output.Format.json) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("valid", problems.isEmpty() && violations.isEmpty());
      report.put("dialPlans", read.contents().dialPlans().size());
      report.put("gateways", read.contents().gateways().size());
      report.put("huntGroups", read.contents().huntGroups().size());
      report.put("servers", read.contents().servers().size());
      report.put(
          "problems",
          problems.stream()
              .map(
                  p -> {
                    Map<String, Object> m = Output.view(p);
                    m.put("repair", Repairs.of(p, problems, layout).orElse(null));
                    return m;
                  })
              .toList());
      report.put(
          "violations",
          violations.stream()
              .map(
                  v -> {
                    Map<String, Object> m = Output.view(v);
                    m.put("repair", Repairs.of(v).orElse(null));
                    return m;
                  })
              .toList());
      Output.json(out, report);
    } else {
      for (EntryProblem p : problems) {
        out.println("invalid entry: " + p);
        Repairs.of(p, problems, layout).ifPresent(c -> out.println("  repair: " + c));
      }
      for (RuleViolation v : violations) {
        out.println("rule " + v.rule() + ": " + v);
        Repairs.of(v).ifPresent(c -> out.println("  repair: " + c));
      }
      out.printf(
          "%d dial plans, %d gateways, %d hunt groups, %d servers: %d invalid entries, %d rule"
              + " violations%n",
          read.contents().dialPlans().size(),
          read.contents().gateways().size(),
          read.contents().huntGroups().size(),
          read.contents().servers().size(),
          problems.size(),
          violations.size());
    }
    return problems.isEmpty() && violations.isEmpty() ? 0 : Main.FAILURE;
  }
}
