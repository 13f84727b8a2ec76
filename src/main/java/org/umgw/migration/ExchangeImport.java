package org.umgw.migration;

import static java.util.Objects.requireNonNull;

import java.util.List;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.UmgwException;

/**
 * Imports an Exchange organisation's UM objects into umgw: dial plans first, then gateways, then
 * hunt groups, each through {@link DirectoryStore} so every rule the CLI enforces applies.
 *
 * <pre>{@code
 * ImportReport report = new ExchangeImport(store).run(LdifExport.read(Path.of("um.ldf")), false);
 * System.out.print(report.toText());
 * }</pre>
 *
 * <p>An object equal to what umgw holds is left alone ("unchanged"), so running the same import
 * again writes nothing. Objects umgw holds that the export lacks are never removed. A dry run
 * imports into a throw-away copy of the target, so it reports exactly what a real run would.
 */
public final class ExchangeImport {
  private final DirectoryStore target;

  public ExchangeImport(DirectoryStore target) {
    this.target = requireNonNull(target, "target == null");
  }

  /**
   * Imports {@code records}; with {@code dryRun} nothing is written to the target.
   *
   * @throws UmgwException when the target cannot be read, or (not dry) its containers cannot be
   *     created; problems of single objects are in the report instead
   */
  public ImportReport run(List<SourceRecord> records, boolean dryRun) {
    requireNonNull(records, "records == null");
    if (dryRun) {
      try (ScratchDirectory scratch = ScratchDirectory.copyOf(target)) {
        return new ImportRun(scratch.store()).apply(records, true);
      }
    }
    target.init();
    return new ImportRun(target).apply(records, false);
  }
}
