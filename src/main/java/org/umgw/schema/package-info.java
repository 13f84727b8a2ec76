/**
 * The LDAP schema: {@code schema/umgw.ldif} is the source of truth; {@link
 * org.umgw.schema.UmgwSchema} renders the OpenLDAP forms and merges ours into UnboundID's standard
 * schema.
 *
 * <p>Internal: used by the command line and the embedded directory, not library API
 * (docs/library.md, Stable API).
 */
package org.umgw.schema;
