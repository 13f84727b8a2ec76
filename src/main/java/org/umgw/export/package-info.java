/**
 * The nightly trust-list export: six formats for SIP proxies and firewalls, written atomically
 * (temp file, fsync, rename, fsync of the directory) behind a shrink guard.
 */
package org.umgw.export;
