/**
 * The directory as LDAP: DIT layout, the one mapper between entries and model records, the
 * connection pool, and the store that reads and writes objects under the rules.
 */
package org.umgw.directory;
