/**
 * Value types of the directory: UM IP gateways, hunt groups, dial plans and UM servers.
 *
 * <p>Every type is an immutable record that validates itself in its compact constructor, so an
 * instance that exists is one the rules of the object allow; enum constants carry the exact
 * spellings of the LDAP values ({@code IPv4Only}, {@code NoNewCalls}, {@code SIPSecured}).
 */
package org.umgw.model;
