package org.umgw.embedded;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;
import org.umgw.model.UmgwException;

/**
 * The content of a new data directory. Under the default base it is the sample directory (with its
 * hosts file), so {@code umgw} without any setup has gateways to list, export and probe; under
 * another base it is the base entry and the three empty containers the store writes into.
 */
final class Seed {
  private static final Logger LOG = LoggerFactory.getLogger(Seed.class);
  static final String SAMPLE_LDIF = "/umgw/ldif/sample.ldif";
  static final String SAMPLE_HOSTS = "/umgw/ldif/sample.hosts";

  private Seed() {}

  /** The first image of {@code files}; also installs the sample hosts file. */
  static DirectoryImage image(DataDirectory files, DirectoryLayout layout)
      throws IOException, LDAPException {
    files.copyResourceIfAbsent(SAMPLE_HOSTS, DataDirectory.HOSTS);
    DirectoryImage image = new DirectoryImage();
    if (layout.base().equals(new DN(DirectoryLayout.DEFAULT_BASE))) {
      try (InputStream in = Seed.class.getResourceAsStream(SAMPLE_LDIF)) {
        if (in == null) {
          throw new UmgwException("resource " + SAMPLE_LDIF + " is missing from the jar");
        }
        LDIFReader reader = new LDIFReader(in);
        Entry e;
        while ((e = reader.readEntry()) != null) {
          image.put(e);
        }
      } catch (LDIFException e) {
        throw new UmgwException(SAMPLE_LDIF + " is not valid LDIF: " + e.getMessage(), e);
      }
      LOG.info("new data directory {}: seeded with the sample directory", files.dir());
    } else {
      image.put(layout.baseEntry());
      for (Entry container : layout.containerEntries()) {
        image.put(container);
      }
      LOG.info("new data directory {}: base {} with empty containers", files.dir(), layout.base());
    }
    return image;
  }
}
