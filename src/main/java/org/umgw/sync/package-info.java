/**
 * {@code umgw trust-list sync}: keeps a non-Java consumer (Kamailio, nftables, FreeSWITCH,
 * Asterisk) in step with the live {@link org.umgw.service.TrustService}. {@link TrustListSync}
 * rewrites the consumer's file atomically when the content of its format changes and then tells the
 * consumer through a {@link Reloader}: Kamailio's JSON-RPC ({@link KamailioRpcReloader}) or a
 * command run without a shell ({@link CommandReloader}). Failed reloads are retried with backoff;
 * events 9601 to 9605 report what happened.
 */
package org.umgw.sync;
