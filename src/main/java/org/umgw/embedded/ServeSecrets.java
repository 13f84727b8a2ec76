package org.umgw.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConnector;
import org.umgw.model.UmgwException;

/** The secrets {@code serve} loads when it starts: the administrator password and the key store. */
final class ServeSecrets {
  private static final Logger LOG = LoggerFactory.getLogger(ServeSecrets.class);

  private ServeSecrets() {}

  /**
   * The administrator password from the configured file, or from {@code admin.pw} in the data
   * directory, generated (mode 0600) on first use.
   */
  static String adminPassword(DataDirectory files, ServeOptions options) {
    Path file =
        options.adminPasswordFile() != null
            ? options.adminPasswordFile()
            : defaultAdminPasswordFile(files);
    warnIfReadableByOthers(file);
    return DirectoryConnector.readSecret(file, "administrator");
  }

  private static Path defaultAdminPasswordFile(DataDirectory files) {
    Path file = files.dir().resolve(DataDirectory.ADMIN_PASSWORD);
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try {
      if (files.writeIfAbsent(
          DataDirectory.ADMIN_PASSWORD, password.getBytes(StandardCharsets.US_ASCII), true)) {
        LOG.info("generated the administrator password in {}", file);
      }
    } catch (IOException e) {
      throw new UmgwException(
          "cannot create the administrator password file " + file + ": " + e.getMessage(), e);
    }
    return file;
  }

  private static void warnIfReadableByOthers(Path file) {
    try {
      if (Files.exists(file) && DataDirectory.supportsPosix(file.toAbsolutePath().getParent())) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ)
            || perms.contains(PosixFilePermission.OTHERS_READ)) {
          LOG.warn("{} is readable by other users: chmod 600 it", file);
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot check the permissions of {}: {}", file, e.getMessage());
    }
  }

  /** The StartTLS socket factory of the configured key store. */
  static SSLSocketFactory startTls(ServeOptions options) {
    char[] pin =
        DirectoryConnector.readSecret(options.keyStorePasswordFile(), "key store").toCharArray();
    try {
      KeyStore keyStore = KeyStore.getInstance(options.keyStore().toFile(), pin);
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(keyStore, pin);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return context.getSocketFactory();
    } catch (IOException | GeneralSecurityException e) {
      throw new UmgwException(
          "cannot load the key store " + options.keyStore() + " for StartTLS: " + e.getMessage(),
          e);
    }
  }
}
