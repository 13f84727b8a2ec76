package org.umgw.testing;

import java.util.List;

/**
 * The LDIF {@link Ds389} applies to an instance: its settings (loopback, plugins) and the ACIs and
 * accounts docs/scaling.md tells a 389 administrator to create.
 */
final class Ds389Ldif {
  private Ds389Ldif() {}

  /**
   * Listen on {@code host} only; with {@code contentSync} the Retro Changelog (recording the two
   * IDs content sync names deleted entries by, for {@code suffix} only) and the Content
   * Synchronization plugins, as {@code dsconf INSTANCE plugin retro-changelog enable} and {@code
   * plugin contentsync enable} would. Both take effect at the next start.
   */
  static String settings(String host, String suffix, boolean contentSync) {
    StringBuilder ldif = new StringBuilder();
    ldif.append("dn: cn=config\nchangetype: modify\nreplace: nsslapd-listenhost\n")
        .append("nsslapd-listenhost: ")
        .append(host)
        .append("\n");
    if (contentSync) {
      ldif.append(
          """

          dn: cn=Retro Changelog Plugin,cn=plugins,cn=config
          changetype: modify
          replace: nsslapd-pluginEnabled
          nsslapd-pluginEnabled: on
          -
          replace: nsslapd-attribute
          nsslapd-attribute: nsuniqueid:targetUniqueId
          nsslapd-attribute: entryuuid:targetEntryUUID
          -
          replace: nsslapd-include-suffix
          """);
      ldif.append("nsslapd-include-suffix: ").append(suffix).append("\n");
      ldif.append(
          """

          dn: cn=Content Synchronization,cn=plugins,cn=config
          changetype: modify
          replace: nsslapd-pluginEnabled
          nsslapd-pluginEnabled: on
          """);
    }
    return ldif.toString();
  }

  /**
   * The access docs/scaling.md tells a 389 administrator to grant (389 denies what no ACI allows,
   * and operational attributes are not part of {@code targetattr="*"}): anyone reads the umgw
   * entries with their entryUUID and nsUniqueId (the feed's keys); the writer adds, changes and
   * deletes below the three containers; the reader is the bound follower content sync needs, and
   * with the plugins on it also reads the retro changelog.
   */
  static String access(
      String base,
      boolean changelog,
      String writerDn,
      String writerPassword,
      String readerDn,
      String readerPassword) {
    StringBuilder ldif = new StringBuilder();
    ldif.append("dn: ").append(base).append("\nchangetype: modify\nadd: aci\n");
    ldif.append(
        "aci: (targetattr=\"* || entryUUID || nsUniqueId || createTimestamp || modifyTimestamp\")"
            + "(version 3.0; acl \"umgw: anyone reads the umgw directory\";"
            + " allow (read, search, compare) userdn=\"ldap:///anyone\";)\n");
    account(ldif, writerDn, writerPassword);
    account(ldif, readerDn, readerPassword);
    if (changelog) {
      // The changelog mode reads cn=changelog, which no ACI opens by default (content sync does
      // not need this: the plugin reads the changelog itself).
      ldif.append("\ndn: cn=changelog\nchangetype: modify\nadd: aci\n");
      ldif.append("aci: (targetattr=\"*\")(version 3.0; acl \"umgw: the reader follows the")
          .append(" retro changelog\"; allow (read, search, compare) userdn=\"ldap:///")
          .append(readerDn)
          .append("\";)\n");
    }
    for (String container : List.of("ou=gateways", "ou=dialplans", "ou=servers")) {
      ldif.append("\ndn: ").append(container).append(',').append(base);
      ldif.append("\nchangetype: modify\nadd: aci\n");
      ldif.append("aci: (targetattr=\"*\")(version 3.0; acl \"umgw: the writer manages ")
          .append(container)
          .append("\"; allow (add, delete, write) userdn=\"ldap:///")
          .append(writerDn)
          .append("\";)\n");
    }
    return ldif.toString();
  }

  private static void account(StringBuilder ldif, String dn, String password) {
    String cn = dn.substring(3, dn.indexOf(','));
    ldif.append("\ndn: ").append(dn).append("\nchangetype: add\n");
    ldif.append("objectClass: top\nobjectClass: applicationProcess\n");
    ldif.append("objectClass: simpleSecurityObject\ncn: ").append(cn).append('\n');
    ldif.append("userPassword: ").append(password).append('\n');
  }
}
