/**
 * The rules of domain.md that span objects: unique addresses, secured dial plans, pilots, capacity,
 * the SIP URI outcalls rule, immutability and status transitions.
 *
 * <p>{@link org.umgw.rules.Rules} holds each rule once as a pure function of the objects it
 * concerns; the {@link org.umgw.rules.DirectoryValidator} feeds it the whole directory and the
 * store feeds it what a write touches, so a write is refused exactly when it would make the
 * validator complain.
 *
 * <p>Library users see {@link org.umgw.rules.RuleViolation} values; the rest is internal
 * (docs/library.md, Stable API).
 */
package org.umgw.rules;
