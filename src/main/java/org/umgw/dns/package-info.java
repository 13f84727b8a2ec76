/**
 * Host name resolution for the trusted-peer list: {@link org.umgw.dns.NameResolver} is the seam,
 * {@link org.umgw.dns.DnsResolver} the dnsjava implementation (hosts files, retries and failover,
 * bounded concurrency, optional DNSSEC), and {@link org.umgw.dns.Resolution} the per-name outcome.
 * Nothing here caches answers: callers re-resolve when a TTL runs out.
 */
package org.umgw.dns;
