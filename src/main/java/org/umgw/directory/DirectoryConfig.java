package org.umgw.directory;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.umgw.model.UmgwException;

/**
 * How to reach the directory: one or more LDAP URLs tried in order (failover), an optional simple
 * bind whose password is read from a file, TLS settings and timeouts.
 *
 * <pre>{@code
 * DirectoryConfig c = DirectoryConfig.builder("ldap://ldap1:389,ldaps://ldap2:636")
 *     .bind("cn=umgw,dc=example", Path.of("/etc/umgw/bind.pw"))
 *     .startTls(true)
 *     .trustStore(Path.of("/etc/umgw/ca.p12"), null)
 *     .build();
 * }</pre>
 *
 * @param trustStore trusted CA certificates: a PEM file (recognized by its content, like OpenLDAP's
 *     {@code TLS_CACERT}) or a JKS or PKCS#12 key store; {@code null} for the JVM's
 * @param trustStorePasswordFile file holding a JKS or PKCS#12 trust store's password, or {@code
 *     null} (never for PEM)
 */
public record DirectoryConfig(
    List<LDAPURL> urls,
    String bindDn,
    Path bindPasswordFile,
    boolean startTls,
    Path trustStore,
    Path trustStorePasswordFile,
    Duration connectTimeout,
    Duration responseTimeout,
    int maxConnections) {

  /**
   * @throws UmgwException when the settings contradict each other
   */
  public DirectoryConfig {
    urls = List.copyOf(urls);
    requireNonNull(connectTimeout, "connectTimeout == null");
    requireNonNull(responseTimeout, "responseTimeout == null");
    if (urls.isEmpty()) {
      throw new UmgwException("at least one LDAP URL is required");
    }
    for (LDAPURL url : urls) {
      if (startTls && url.getScheme().equals("ldaps")) {
        throw new UmgwException(
            "--start-tls cannot be used with " + url + ": ldaps:// is TLS from the start");
      }
    }
    if ((bindDn == null) != (bindPasswordFile == null)) {
      throw new UmgwException(
          bindDn == null
              ? "a bind password file was given without a bind DN"
              : "bind DN \"" + bindDn + "\" needs a bind password file (--bind-password-file)");
    }
    if (maxConnections < 1) {
      throw new UmgwException("maxConnections must be at least 1, not " + maxConnections);
    }
  }

  /**
   * @param urls one or more ldap:// or ldaps:// URLs separated by commas
   * @throws UmgwException naming the URL that does not parse
   */
  public static Builder builder(String urls) {
    List<LDAPURL> parsed = new ArrayList<>();
    for (String u : urls.split(",")) {
      String s = u.strip();
      if (s.isEmpty()) {
        continue;
      }
      try {
        LDAPURL url = new LDAPURL(s);
        if (!url.hostProvided()) {
          throw new UmgwException("LDAP URL \"" + s + "\" names no host");
        }
        parsed.add(url);
      } catch (LDAPException e) {
        throw new UmgwException(
            "LDAP URL \"" + s + "\" is not an ldap:// or ldaps:// URL: " + e.getMessage(), e);
      }
    }
    return new Builder(parsed);
  }

  public boolean usesTls() {
    return startTls || urls.stream().anyMatch(u -> u.getScheme().equals("ldaps"));
  }

  /** Optional settings with safe defaults: no bind, no StartTLS, JVM trust store, 5 s/30 s. */
  public static final class Builder {
    private final List<LDAPURL> urls;
    private String bindDn;
    private Path bindPasswordFile;
    private boolean startTls;
    private Path trustStore;
    private Path trustStorePasswordFile;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration responseTimeout = Duration.ofSeconds(30);
    private int maxConnections = 4;

    private Builder(List<LDAPURL> urls) {
      this.urls = urls;
    }

    public Builder bind(String dn, Path passwordFile) {
      this.bindDn = dn;
      this.bindPasswordFile = passwordFile;
      return this;
    }

    public Builder startTls(boolean value) {
      this.startTls = value;
      return this;
    }

    public Builder trustStore(Path file, Path passwordFile) {
      this.trustStore = file;
      this.trustStorePasswordFile = passwordFile;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public Builder responseTimeout(Duration value) {
      this.responseTimeout = value;
      return this;
    }

    public Builder maxConnections(int value) {
      this.maxConnections = value;
      return this;
    }

    public DirectoryConfig build() {
      return new DirectoryConfig(
          urls,
          bindDn,
          bindPasswordFile,
          startTls,
          trustStore,
          trustStorePasswordFile,
          connectTimeout,
          responseTimeout,
          maxConnections);
    }
  }
}
