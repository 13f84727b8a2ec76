package org.umgw.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * A plain {@link X509KeyManager} made usable by an {@link SSLEngine} (Jetty, any NIO server or
 * client). The JDK wraps a key manager that is not an {@link X509ExtendedKeyManager} so that its
 * engine methods choose no alias at all, and every handshake then fails; UnboundID's PEM key
 * manager is such a one. The engine methods here ask the socket methods. {@link TlsFiles} returns
 * its key managers wrapped.
 */
final class EngineKeyManager extends X509ExtendedKeyManager {
  private final X509KeyManager delegate;

  private EngineKeyManager(X509KeyManager delegate) {
    this.delegate = delegate;
  }

  static X509ExtendedKeyManager of(X509KeyManager km) {
    return km instanceof X509ExtendedKeyManager e ? e : new EngineKeyManager(km);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return delegate.chooseServerAlias(keyType, issuers, null);
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return delegate.chooseClientAlias(keyType, issuers, null);
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return delegate.getClientAliases(keyType, issuers);
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return delegate.chooseClientAlias(keyType, issuers, socket);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return delegate.getServerAliases(keyType, issuers);
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return delegate.chooseServerAlias(keyType, issuers, socket);
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return delegate.getCertificateChain(alias);
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return delegate.getPrivateKey(alias);
  }
}
