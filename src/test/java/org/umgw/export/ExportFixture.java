package org.umgw.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.umgw.cli.CliRunner;
import org.umgw.testing.InMemoryLdap;
import org.umgw.testing.Nsd;
import org.umgw.testing.TestDirectories;

/**
 * The sample directory in an LDAP server and its FQDNs in a real nsd; runs the CLI against both
 * with no hosts file, so every name is answered by nsd.
 */
final class ExportFixture implements AutoCloseable {
  final InMemoryLdap ldap;
  final Nsd nsd;

  private static String zone(String origin, String... records) {
    return "$ORIGIN "
        + origin
        + ".\n$TTL 300\n@ 3600 IN SOA ns hostmaster 1 3600 600 86400 60\n@ NS ns\nns A 127.0.0.1\n"
        + String.join("\n", records)
        + "\n";
  }

  ExportFixture() {
    ldap = InMemoryLdap.start();
    var pool = ldap.pool();
    TestDirectories.load(pool, "ldif/sample.ldif");
    pool.close();
    nsd =
        Nsd.start(
            Map.of(
                "fabrikam.test", zone("fabrikam.test", "edge A 127.0.0.3", "edge AAAA ::1"),
                "contoso.test", zone("contoso.test", "pbx A 127.0.0.3", "um01 A 127.0.0.8"),
                "localhost", zone("localhost", "@ A 127.0.0.1")));
  }

  String ldapUrl() {
    return "ldap://127.0.0.1:" + ldap.server().getListenPort();
  }

  List<String> connection() {
    return new ArrayList<>(
        List.of(
            "--ldap-url",
            ldapUrl(),
            "--dns-server",
            "127.0.0.1:" + nsd.port(),
            "--hosts-file",
            "/dev/null",
            "--dns-timeout",
            "500"));
  }

  CliRunner.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(connection());
    return CliRunner.run(Map.of(), all.toArray(String[]::new));
  }

  @Override
  public void close() {
    nsd.close();
    ldap.close();
  }
}
