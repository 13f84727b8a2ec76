package org.umgw.cli;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.umgw.export.AtomicFileWriter;
import org.umgw.export.ExportOptions;
import org.umgw.model.UmgwException;
import picocli.CommandLine.Option;

/**
 * The options of a written trust list that {@code export} (nightly) and {@code sync} (live) share:
 * the formats' settings and the file's mode. Their values were checked by {@link OptionChecks}.
 */
final class ExportFileMixin {
  @Option(
      names = "--mode",
      paramLabel = "OCTAL",
      description =
          "Mode of FILE, e.g. 0640 (default: the replaced file's, 0644 for a new one). Read and"
              + " write bits only.")
  String mode;

  @Option(
      names = "--kamailio-group",
      defaultValue = "1",
      paramLabel = "N",
      description = "Permissions group of the addresses (default: ${DEFAULT-VALUE}).")
  int kamailioGroup;

  @Option(
      names = "--list-name",
      defaultValue = "umgw",
      paramLabel = "NAME",
      description =
          "FreeSWITCH list, nftables table and Asterisk section prefix (default:"
              + " ${DEFAULT-VALUE}).")
  String listName;

  ExportOptions exportOptions() {
    try {
      return new ExportOptions(kamailioGroup, listName);
    } catch (IllegalArgumentException e) {
      throw new UmgwException(e.getMessage(), e);
    }
  }

  /** {@code null}: keep the replaced file's mode. */
  Set<PosixFilePermission> mode() {
    return mode == null ? null : AtomicFileWriter.parseMode(mode);
  }
}
