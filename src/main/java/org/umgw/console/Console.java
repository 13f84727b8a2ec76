package org.umgw.console;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509KeyManager;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.umgw.console.auth.LdapLogin;
import org.umgw.console.auth.Sessions;
import org.umgw.console.live.LiveState;
import org.umgw.model.UmgwException;
import org.umgw.service.TrustService;

/**
 * The web console ({@code umgw console}): Jetty serving the pages over a running {@link
 * TrustService}, with logins checked by binding to the directory ({@link LdapLogin}).
 */
public final class Console implements AutoCloseable {
  /**
   * @param tlsKey the server certificate's key manager for HTTPS, or {@code null} for HTTP
   * @param anonymousRead pages readable without a login (edits still need one)
   * @param sessionIdle a session ends after this long without a request
   * @param maxEvents the events the console remembers (and the events page shows)
   * @param directory which directory the service follows, for the pages' status line
   */
  public record Options(
      String host,
      int port,
      X509KeyManager tlsKey,
      boolean anonymousRead,
      Duration sessionIdle,
      int maxEvents,
      String directory) {}

  private final Server server;
  private final Sessions sessions;
  private final URI uri;

  private Console(Server server, Sessions sessions, URI uri) {
    this.server = server;
    this.sessions = sessions;
    this.uri = uri;
  }

  /**
   * Starts listening. {@code live} must listen to {@code service} already (it keeps the events).
   *
   * @throws UmgwException when the address cannot be bound or TLS not set up
   */
  public static Console start(
      Options options, TrustService service, LiveState live, LdapLogin login) {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("umgw-console");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector;
    if (options.tlsKey() != null) {
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      // Operators reach the console by IP or by a name the certificate may not carry; the
      // browser checks the certificate against what it asked for, which is what matters.
      secure.setSniHostCheck(false);
      http.addCustomizer(secure);
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setSslContext(sslContext(options.tlsKey()));
      connector =
          new ServerConnector(
              server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
    } else {
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
    }
    connector.setHost(options.host());
    connector.setPort(options.port());
    connector.setIdleTimeout(60_000);
    server.addConnector(connector);
    Sessions sessions = new Sessions(options.sessionIdle(), Clock.systemUTC());
    server.setHandler(
        new ConsoleHandler(
            service,
            live,
            sessions,
            login,
            options.anonymousRead(),
            options.maxEvents(),
            options.directory()));
    server.setStopTimeout(2_000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stop) {
        e.addSuppressed(stop);
      }
      throw new UmgwException(
          "cannot listen on " + options.host() + ":" + options.port() + ": " + e.getMessage(), e);
    }
    int port = connector.getLocalPort();
    String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
    URI uri = URI.create((options.tlsKey() != null ? "https" : "http") + "://" + host + ":" + port);
    return new Console(server, sessions, uri);
  }

  private static SSLContext sslContext(X509KeyManager key) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(new KeyManager[] {key}, null, null); // TlsFiles: usable by an SSLEngine
      return c;
    } catch (GeneralSecurityException e) {
      throw new UmgwException("cannot set up HTTPS: " + e.getMessage(), e);
    }
  }

  /** Where it listens, e.g. {@code http://127.0.0.1:8080}. */
  public URI uri() {
    return uri;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(uri.getHost(), uri.getPort());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new UmgwException("cannot stop the console: " + e.getMessage(), e);
    } finally {
      sessions.close();
    }
  }
}
