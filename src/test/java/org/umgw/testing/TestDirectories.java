package org.umgw.testing;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.umgw.directory.DirectoryLayout;

/** Test plumbing over raw LDAP: wiping the umgw containers and loading LDIF files. */
public final class TestDirectories {
  /**
   * Every address ldif/sample.ldif trusts (with ldif/sample.hosts, localhost being 127.0.0.1): the
   * linked gateways that are not Disabled (Contoso-SBC1, Fabrikam-SBC via localhost, Fabrikam-Edge
   * and Legacy-PBX on 127.0.0.3, Contoso-PBX on ::1, Lab Simulator, Tokyo-Gateway) and both UM
   * servers (um01.contoso.test, 127.0.0.9). Not trusted: Retired-Gateway (127.0.0.4, Disabled) and
   * Spare-Gateway (127.0.0.6, no hunt group).
   */
  public static final List<String> SAMPLE_TRUSTED =
      List.of(
          "127.0.0.1",
          "127.0.0.2",
          "127.0.0.3",
          "127.0.0.5",
          "127.0.0.7",
          "127.0.0.8",
          "127.0.0.9",
          "::1");

  private TestDirectories() {}

  /** Deletes everything below the three containers, deepest first. */
  public static void wipe(LDAPConnectionPool pool, DirectoryLayout layout) {
    for (DN container : List.of(layout.gateways(), layout.dialPlans(), layout.servers())) {
      List<DN> dns = new ArrayList<>();
      try {
        for (SearchResultEntry e :
            pool.search(container.toString(), SearchScope.SUB, Filter.present("objectClass"), "1.1")
                .getSearchEntries()) {
          DN dn = e.getParsedDN();
          if (!dn.equals(container)) {
            dns.add(dn);
          }
        }
        dns.sort(Comparator.comparingInt((DN d) -> d.getRDNs().length).reversed());
        for (DN dn : dns) {
          pool.delete(dn.toString());
        }
      } catch (LDAPException e) {
        if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
          throw new IllegalStateException("cannot wipe " + container + ": " + e.getMessage(), e);
        }
      }
    }
  }

  /** Reads every entry of an LDIF file (relative paths from the project root). */
  public static List<Entry> readLdif(String relative) {
    Path file = Slapd.projectPath(relative);
    List<Entry> entries = new ArrayList<>();
    try (LDIFReader reader = new LDIFReader(file.toFile())) {
      Entry e;
      while ((e = reader.readEntry()) != null) {
        entries.add(e);
      }
    } catch (IOException | LDIFException e) {
      throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return entries;
  }

  /** Adds the entries of an LDIF file, skipping those that exist (the base and containers). */
  public static void load(LDAPConnectionPool pool, String relative) {
    for (Entry e : readLdif(relative)) {
      try {
        pool.add(e);
      } catch (LDAPException ex) {
        if (ex.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
          throw new IllegalStateException("cannot add " + e.getDN() + ": " + ex.getMessage(), ex);
        }
      }
    }
  }

  /** Adds one raw entry, as an LDAP browser would, bypassing the store's rules. */
  public static void addRaw(LDAPConnectionPool pool, String... ldifLines) {
    try {
      pool.add(new Entry(ldifLines));
    } catch (LDAPException | LDIFException e) {
      throw new IllegalStateException("cannot add raw entry: " + e.getMessage(), e);
    }
  }
}
