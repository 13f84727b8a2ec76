package org.umgw.service;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.umgw.directory.DirectoryConfig;
import org.umgw.directory.DirectoryLayout;
import org.umgw.dns.NameResolver;
import org.umgw.health.HealthOptions;
import org.umgw.sip.ProberOptions;
import org.umgw.trust.TrustedPeers;

/**
 * What a {@link TrustService.Builder} was given, checked: a directory (URLs or a pool) and a
 * resolver are required; everything else has its default already.
 *
 * @param config the directory servers, or {@code null} when {@code pool} is given
 * @param pool a pool the caller owns, or {@code null} when {@code config} is given
 * @param snapshotFile the on-disk copy, or {@code null} for none
 * @param proberOptions OPTIONS probing, or {@code null} when off (with {@code healthOptions})
 */
record ServiceSettings(
    DirectoryConfig config,
    LDAPConnectionPool pool,
    DirectoryLayout layout,
    NameResolver resolver,
    TrustedPeers.Options peerOptions,
    TrustService.FeedFactory feedFactory,
    Path snapshotFile,
    Duration startTimeout,
    Clock clock,
    ProberOptions proberOptions,
    HealthOptions healthOptions) {

  /**
   * @throws IllegalStateException when no directory or resolver was given
   */
  ServiceSettings {
    if (config == null && pool == null) {
      throw new IllegalStateException("a directory (URLs or a connection pool) is required");
    }
    if (resolver == null) {
      throw new IllegalStateException("a NameResolver is required (DnsResolver.builder())");
    }
    requireNonNull(feedFactory, "feedFactory == null");
  }
}
