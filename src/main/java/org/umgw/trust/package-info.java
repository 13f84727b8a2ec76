/**
 * Trusted SIP peers: the immutable {@link org.umgw.trust.TrustSnapshot} built from the directory
 * and DNS (peers by IP, event 1175 for shared IPs, admission and hunt-group routing, outbound
 * gateway choice), and {@link org.umgw.trust.TrustedPeers}, which keeps it current by re-resolving
 * every name when its TTL runs out and swaps snapshots atomically.
 */
package org.umgw.trust;
