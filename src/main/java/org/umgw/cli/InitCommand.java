package org.umgw.cli;

import com.unboundid.ldap.sdk.DN;
import java.util.List;
import java.util.concurrent.Callable;
import org.umgw.directory.DirectoryStore;
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
    List<DN> created = connection.with(DirectoryStore::init);
    for (DN dn : created) {
      spec.commandLine().getOut().println("created " + dn);
    }
    if (created.isEmpty()) {
      spec.commandLine().getOut().println("the containers exist already");
    }
    return 0;
  }
}
