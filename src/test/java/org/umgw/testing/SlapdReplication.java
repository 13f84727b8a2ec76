package org.umgw.testing;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Joins running {@link Slapd} instances into OpenLDAP N-way multi-provider replication, through
 * cn=config as an administrator would: a distinct {@code olcServerID} per provider, then on the
 * database an {@code olcSyncrepl} (refreshAndPersist, retry every second for ever) to every other
 * provider and {@code olcMultiProvider: TRUE}. The syncprov overlay every {@link Slapd} already has
 * serves the others. The changes are written to each server's {@code slapd.d}, so {@link
 * Slapd#restart()} brings a provider back into the set with its data.
 *
 * <pre>{@code
 * try (Slapd a = Slapd.start(); Slapd b = Slapd.start()) {
 *   SlapdReplication.multiProvider(List.of(a, b));
 *   a.ldapTool("ldapadd", "-f", Slapd.projectPath("ldif/sample.ldif").toString()).assertOk();
 *   SlapdReplication.awaitConverged(List.of(a, b), Duration.ofSeconds(20));
 * }
 * }</pre>
 *
 * <p>Configure the set while the databases are empty (load data on one provider afterwards): two
 * providers loaded separately hold different entryUUIDs for the same names and never converge.
 */
public final class SlapdReplication {
  private SlapdReplication() {}

  /** Makes every provider replicate from every other one; server IDs are 1..n in list order. */
  public static void multiProvider(List<Slapd> providers) {
    if (providers.size() < 2) {
      throw new IllegalArgumentException("multi-provider needs two servers or more");
    }
    for (int i = 0; i < providers.size(); i++) {
      serverId(providers.get(i), i + 1);
    }
    for (int i = 0; i < providers.size(); i++) {
      Slapd self = providers.get(i);
      StringBuilder ldif =
          new StringBuilder("dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\n");
      ldif.append("add: olcSyncrepl\n");
      int n = 0;
      for (int j = 0; j < providers.size(); j++) {
        if (j != i) {
          ldif.append("olcSyncrepl: {")
              .append(n++)
              .append('}')
              .append(syncrepl(j + 1, providers.get(j)))
              .append('\n');
        }
      }
      ldif.append("-\nreplace: olcMultiProvider\nolcMultiProvider: TRUE\n-\n");
      config(self, ldif.toString());
    }
  }

  /**
   * Makes {@code consumer} a read-only replica of {@code provider} (plain syncrepl, no server ID,
   * no multi-provider): the replica near a SIP server. Its own syncprov serves feeds in turn.
   */
  public static void consumer(Slapd consumer, Slapd provider, int rid) {
    config(
        consumer,
        "dn: olcDatabase={1}mdb,cn=config\nchangetype: modify\nadd: olcSyncrepl\nolcSyncrepl: "
            + syncrepl(rid, provider)
            + "\n-\n");
  }

  /**
   * Restores a backup of {@code source} into {@code target} as an administrator would build a
   * standby: {@code slapcat} of the running source (entryUUIDs, entryCSNs and contextCSN kept),
   * {@code slapadd} into the target while it is stopped, then the target is started again. The
   * target does not replicate: it holds the source's state as of now.
   */
  public static void restoreBackup(Slapd source, Slapd target) {
    try {
      Path backup = Files.createTempFile(target.workDir(), "backup-", ".ldif");
      source
          .exec(
              "slapcat",
              "-F",
              source.workDir().resolve("slapd.d").toString(),
              "-b",
              source.suffix(),
              "-l",
              backup.toString())
          .assertOk();
      target.stop();
      target
          .exec(
              "slapadd",
              "-F",
              target.workDir().resolve("slapd.d").toString(),
              "-b",
              target.suffix(),
              "-l",
              backup.toString())
          .assertOk();
      Files.delete(backup);
      target.restart();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot restore a backup of " + source + " into " + target, e);
    }
  }

  /**
   * Gives {@code slapd} a server ID (1..4095), the part of each CSN that names the provider which
   * made a change; a cookie's CSN set then carries it.
   */
  public static void serverId(Slapd slapd, int id) {
    config(slapd, "dn: cn=config\nchangetype: modify\nreplace: olcServerID\nolcServerID: " + id);
  }

  /** The suffix entry's contextCSN values, sorted ({@code []} when the database is empty). */
  public static List<String> contextCsn(Slapd slapd) {
    try (LDAPConnection c = slapd.connect()) {
      Entry e = c.getEntry(slapd.suffix(), "contextCSN");
      if (e == null || e.getAttributeValues("contextCSN") == null) {
        return List.of();
      }
      Set<String> sorted = new TreeSet<>(List.of(e.getAttributeValues("contextCSN")));
      return List.copyOf(sorted);
    } catch (LDAPException e) {
      throw new IllegalStateException("cannot read the contextCSN of " + slapd, e);
    }
  }

  /**
   * Waits until every provider has the same non-empty contextCSN set, i.e. each has applied every
   * change the others made.
   *
   * @throws AssertionError naming each server's contextCSN when they do not converge in time
   */
  public static void awaitConverged(List<Slapd> providers, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<List<String>> seen = new ArrayList<>();
    while (true) {
      seen.clear();
      for (Slapd s : providers) {
        seen.add(contextCsn(s));
      }
      if (!seen.get(0).isEmpty() && seen.stream().distinct().count() == 1) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "providers did not converge within " + timeout + ": contextCSN " + seen);
      }
      Thread.sleep(50);
    }
  }

  private static String syncrepl(int rid, Slapd provider) {
    return "rid="
        + String.format("%03d", rid)
        + " provider="
        + provider.url()
        + " bindmethod=simple binddn=\""
        + provider.rootDn()
        + "\" credentials="
        + provider.rootPassword()
        + " searchbase=\""
        + provider.suffix()
        + "\" type=refreshAndPersist retry=\"1 +\" timeout=1 network-timeout=1";
  }

  private static void config(Slapd slapd, String ldif) {
    try {
      Path file = Files.createTempFile(slapd.workDir(), "replication-", ".ldif");
      Files.writeString(file, ldif + "\n");
      slapd.configTool("ldapmodify", "-f", file.toString()).assertOk();
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure replication on " + slapd, e);
    }
  }
}
