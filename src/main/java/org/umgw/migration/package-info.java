/**
 * Migration from Exchange Unified Messaging: reads an organisation's UM IP gateways, hunt groups
 * and dial plans from an {@code ldifde} export or a live Active Directory, maps them to umgw's
 * objects, and writes them through the same {@link org.umgw.directory.DirectoryStore} and {@link
 * org.umgw.rules.Rules} as the CLI.
 *
 * <p>A package of its own because it is the only code that knows Exchange's directory schema
 * (attribute names, integer encodings, flag bits); everything Exchange-specific is in {@link
 * org.umgw.migration.ExchangeTable}, so a corrected encoding is one line there and nothing else in
 * umgw depends on Exchange. Each object's outcome is a value ({@link
 * org.umgw.migration.ObjectOutcome}): one object that cannot be mapped or would break a rule is
 * refused and reported, never stopping the others.
 */
package org.umgw.migration;
