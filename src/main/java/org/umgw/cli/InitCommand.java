package org.umgw.cli;

import com.unboundid.ldap.sdk.DN;
import java.util.List;
import org.umgw.directory.DirectoryStore;
import picocli.CommandLine.Command;

/** {@code umgw init}: creates the base entry if needed and the three containers. */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = "Create ou=gateways, ou=dialplans and ou=servers under the base DN (idempotent).")
final class InitCommand extends DirectoryCommand implements ConnectionOptions.CreatesDataDirectory {

  @Override
  public Integer call() {
    List<DN> created = connection.with(DirectoryStore::init);
    for (DN dn : created) {
      out().println("created " + dn);
    }
    if (created.isEmpty()) {
      out().println("the containers exist already");
    }
    return 0;
  }
}
