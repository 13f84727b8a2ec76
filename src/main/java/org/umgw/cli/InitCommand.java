package org.umgw.cli;

import com.unboundid.ldap.sdk.DN;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code umgw init}: creates the base entry if needed and the three containers. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Create ou=gateways, ou=dialplans and ou=servers under the base DN (idempotent).")
final class InitCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ConnectionOptions.Directory d = connection.open()) {
      List<DN> created = d.store().init();
      if (created.isEmpty()) {
        spec.commandLine().getOut().println("already initialised: " + d.store().layout().base());
      }
      for (DN dn : created) {
        spec.commandLine().getOut().println("created " + dn);
      }
      return 0;
    }
  }
}
