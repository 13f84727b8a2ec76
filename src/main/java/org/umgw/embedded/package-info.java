/**
 * The built-in directory used without {@code --ldap-url}: UnboundID's in-memory server with the
 * umgw schema, made durable by a write-ahead journal, guarded by the rules.
 *
 * <p>Library users open it through {@link org.umgw.embedded.EmbeddedDirectory} and hand its pool to
 * the service; the rest is internal (docs/library.md, Stable API).
 */
package org.umgw.embedded;
