package org.umgw.embedded;

import java.nio.file.Path;

/**
 * How {@link EmbeddedDirectory#serve} publishes the directory.
 *
 * <pre>{@code
 * dir.serve("127.0.0.1", 10389, ServeOptions.defaults()
 *     .withStartTls(Path.of("server.p12"), Path.of("server.p12.pw")));
 * }</pre>
 *
 * @param keyStore PKCS#12 or JKS key store holding the server certificate for StartTLS, or {@code
 *     null} for no StartTLS
 * @param keyStorePasswordFile file whose first line is the key store password
 * @param adminPasswordFile file whose first line is the password of {@code cn=admin,<base>}, or
 *     {@code null} for {@code <data dir>/admin.pw}, generated on first use
 */
public record ServeOptions(Path keyStore, Path keyStorePasswordFile, Path adminPasswordFile) {
  public ServeOptions {
    if ((keyStore == null) != (keyStorePasswordFile == null)) {
      throw new IllegalArgumentException("StartTLS needs both a key store and its password file");
    }
  }

  /** Plain LDAP, administrator password from {@code <data dir>/admin.pw}. */
  public static ServeOptions defaults() {
    return new ServeOptions(null, null, null);
  }

  public ServeOptions withStartTls(Path keyStore, Path keyStorePasswordFile) {
    return new ServeOptions(keyStore, keyStorePasswordFile, adminPasswordFile);
  }

  public ServeOptions withAdminPasswordFile(Path file) {
    return new ServeOptions(keyStore, keyStorePasswordFile, file);
  }

  public boolean startTls() {
    return keyStore != null;
  }
}
