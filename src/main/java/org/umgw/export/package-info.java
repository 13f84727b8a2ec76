/**
 * The nightly trust-list export: six formats for SIP proxies and firewalls, written atomically
 * (temp file, fsync, rename, fsync of the directory) behind a shrink guard.
 *
 * <p>Internal for now: the command line's exporter, not yet library API (docs/library.md, Stable
 * API).
 */
package org.umgw.export;
