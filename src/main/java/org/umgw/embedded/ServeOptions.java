package org.umgw.embedded;

import java.nio.file.Path;
import java.util.List;

/**
 * How {@link EmbeddedDirectory#serve} publishes the directory.
 *
 * <pre>{@code
 * dir.serve("127.0.0.1", 10389, ServeOptions.defaults()
 *     .withStartTls(Path.of("server.p12"), Path.of("server.p12.pw"))
 *     .withRequireTls(true)
 *     .withWriterDns(List.of("cn=provisioning,ou=people,dc=umgw,dc=example")));
 * }</pre>
 *
 * @param keyStore PKCS#12 or JKS key store holding the server certificate for StartTLS, or {@code
 *     null} for no StartTLS
 * @param keyStorePasswordFile file whose first line is the key store password
 * @param adminPasswordFile file whose first line is the password of {@code cn=admin,<base>}, or
 *     {@code null} for {@code <data dir>/admin.pw}, generated on first use
 * @param writerDns DNs besides the administrator that may write once bound (their entries carry a
 *     {@code userPassword}); every other identity is read-only
 * @param requireTls refuse simple binds with a DN on a connection that has not done StartTLS (needs
 *     a key store)
 * @param limits connection, result size and time limits of the listener
 */
public record ServeOptions(
    Path keyStore,
    Path keyStorePasswordFile,
    Path adminPasswordFile,
    List<String> writerDns,
    boolean requireTls,
    ServeLimits limits) {
  public ServeOptions {
    if ((keyStore == null) != (keyStorePasswordFile == null)) {
      throw new IllegalArgumentException("StartTLS needs both a key store and its password file");
    }
    if (requireTls && keyStore == null) {
      throw new IllegalArgumentException("requiring TLS needs a key store to offer StartTLS with");
    }
    writerDns = List.copyOf(writerDns == null ? List.of() : writerDns);
    limits = limits == null ? ServeLimits.defaults() : limits;
  }

  /** The options of earlier versions: no other writers, TLS optional, default limits. */
  public ServeOptions(Path keyStore, Path keyStorePasswordFile, Path adminPasswordFile) {
    this(keyStore, keyStorePasswordFile, adminPasswordFile, List.of(), false, null);
  }

  /**
   * Plain LDAP, administrator password from {@code <data dir>/admin.pw}, only the administrator
   * writes, {@link ServeLimits#defaults()}.
   */
  public static ServeOptions defaults() {
    return new ServeOptions(null, null, null);
  }

  public ServeOptions withStartTls(Path keyStore, Path keyStorePasswordFile) {
    return new ServeOptions(
        keyStore, keyStorePasswordFile, adminPasswordFile, writerDns, requireTls, limits);
  }

  public ServeOptions withAdminPasswordFile(Path file) {
    return new ServeOptions(keyStore, keyStorePasswordFile, file, writerDns, requireTls, limits);
  }

  public ServeOptions withWriterDns(List<String> dns) {
    return new ServeOptions(
        keyStore, keyStorePasswordFile, adminPasswordFile, dns, requireTls, limits);
  }

  public ServeOptions withRequireTls(boolean require) {
    return new ServeOptions(
        keyStore, keyStorePasswordFile, adminPasswordFile, writerDns, require, limits);
  }

  public ServeOptions withLimits(ServeLimits limits) {
    return new ServeOptions(
        keyStore, keyStorePasswordFile, adminPasswordFile, writerDns, requireTls, limits);
  }

  public boolean startTls() {
    return keyStore != null;
  }
}
