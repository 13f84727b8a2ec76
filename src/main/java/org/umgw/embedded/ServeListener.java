package org.umgw.embedded;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.UmgwException;

/**
 * The {@code serve} side of an {@link EmbeddedDirectory}: applies one {@link ServeOptions} to the
 * pieces that act on the listener's clients (the administrator's password in {@link AdminBind}, TLS
 * and the connection limit in {@link ServeSockets}, writers and limits in {@link ServeAccess}) and
 * only then starts the listener, so no client ever meets a half-configured server. Kept apart from
 * the directory's open and close, which a process that never serves goes through too.
 */
final class ServeListener {
  private static final Logger LOG = LoggerFactory.getLogger(ServeListener.class);

  private final InMemoryDirectoryServer server;
  private final DataDirectory files;
  private final DN adminDn;
  private final AdminBind adminBind;
  private final ServeSockets sockets;
  private final ServeAccess access;

  // Guarded by the EmbeddedDirectory's monitor.
  private InetSocketAddress serving;
  private String listener;

  ServeListener(
      InMemoryDirectoryServer server,
      DataDirectory files,
      DN adminDn,
      AdminBind adminBind,
      ServeSockets sockets,
      ServeAccess access) {
    this.server = server;
    this.files = files;
    this.adminDn = adminDn;
    this.adminBind = adminBind;
    this.sockets = sockets;
    this.access = access;
  }

  /** Where the listener listens, or {@code null}. */
  InetSocketAddress serving() {
    return serving;
  }

  /** See {@link EmbeddedDirectory#serve}. */
  InetSocketAddress start(String host, int port, ServeOptions options) {
    requireNonNull(options, "options == null");
    if (serving != null) {
      throw new UmgwException("the embedded directory is already served on " + serving);
    }
    Set<DN> writers = new LinkedHashSet<>();
    for (String w : options.writerDns()) {
      try {
        writers.add(new DN(w));
      } catch (LDAPException e) {
        throw new UmgwException("writer DN \"" + w + "\" is not a DN: " + e.getMessage(), e);
      }
    }
    String password = ServeSecrets.adminPassword(files, options);
    adminBind.adminPassword(password.getBytes(StandardCharsets.UTF_8));
    sockets.tls(options.startTls() ? ServeSecrets.startTls(options) : null);
    sockets.maxConnections(options.limits().maxConnections());
    access.configure(writers, options.startTls(), options.requireTls(), options.limits());
    InetSocketAddress address = new InetSocketAddress(host, port);
    if (address.isUnresolved()) {
      throw new UmgwException("cannot resolve the listen address " + host);
    }
    sockets.bindTo(address);
    listener =
        options.startTls()
            ? EmbeddedServerConfig.STARTTLS_LISTENER
            : EmbeddedServerConfig.LDAP_LISTENER;
    try {
      server.startListening(listener);
    } catch (LDAPException e) {
      throw new UmgwException(
          "cannot listen on " + host + ":" + port + ": " + e.getExceptionMessage(), e);
    }
    serving = new InetSocketAddress(address.getAddress(), server.getListenPort(listener));
    LOG.info(
        "serving {} over LDAP{} on {}; writes need a bind as {}{}; limits: {} connections, {}"
            + " entries, {} s per search",
        files.dir(),
        options.startTls()
            ? (options.requireTls() ? " (TLS required)" : " (StartTLS available)")
            : "",
        serving,
        adminDn,
        writers.isEmpty() ? "" : " or " + writers,
        options.limits().maxConnections(),
        options.limits().sizeLimit(),
        options.limits().timeLimitSeconds());
    return serving;
  }

  /** Stops the listener, if it was started; its clients' connections are closed. */
  void stop() {
    if (listener != null) {
      server.shutDown(listener, true);
    }
  }
}
