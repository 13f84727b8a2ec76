package org.umgw.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/** Test plumbing over data directories: crash images and tampering with journals. */
final class DataDirs {
  private DataDirs() {}

  /**
   * Copies the files of an open data directory (but its lock) to {@code to}: what the disk holds if
   * the process died now, since every acknowledged change is already fsync'd.
   */
  static Path crashImage(Path from, Path to) {
    try {
      Files.createDirectories(to);
      try (Stream<Path> files = Files.list(from)) {
        for (Path f : files.toList()) {
          if (!f.getFileName().toString().equals(DataDirectory.LOCK)) {
            Files.copy(f, to.resolve(f.getFileName()));
          }
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The journal files, oldest first. */
  static List<Path> journals(Path dir) {
    try {
      return List.copyOf(DataDirectory.journals(dir).values());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest journal file. */
  static Path journal(Path dir) {
    List<Path> all = journals(dir);
    if (all.isEmpty()) {
      throw new IllegalStateException("no journal in " + dir);
    }
    return all.get(all.size() - 1);
  }

  static void append(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generation in the first line of {@code snapshot.ldif}. */
  static long snapshotGeneration(Path dir) {
    try (Stream<String> lines = Files.lines(dir.resolve(DataDirectory.SNAPSHOT))) {
      String header = lines.findFirst().orElseThrow();
      String g = header.replaceAll("^# umgw-snapshot generation=(\\d+) .*$", "$1");
      return Long.parseLong(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
