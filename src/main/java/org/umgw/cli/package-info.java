/**
 * The {@code umgw} command line (picocli): the UM cmdlets as verbs over the directory store, the
 * schema printer and the LDAP server for browsers. {@link org.umgw.cli.Main#run} runs a command
 * in-process and returns its exit code: 0 success, 1 failure, 2 usage error.
 *
 * <p>Internal: not library API; it may change in any commit (docs/library.md, Stable API).
 */
package org.umgw.cli;
