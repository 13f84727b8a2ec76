package org.umgw.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** File helpers shared by the server harnesses. */
public final class TestFiles {
  private TestFiles() {}

  /** Owner read/write only (0600), for passwords, keys and configs that hold a password. */
  public static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Nothing to restrict on this file system.
    }
  }

  /**
   * The end of a harness's {@code close()}: drops its JVM shutdown hook and deletes its work
   * directory, unless {@code -Dumgw.<name>.keep=true} asks to keep it for a post-mortem.
   */
  public static void release(String name, Thread shutdownHook, Path workDir) {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // The hook runs anyway and finds the processes gone.
    }
    if (Boolean.getBoolean("umgw." + name + ".keep")) {
      System.err.println(name + " work directory kept: " + workDir);
    } else {
      deleteRecursively(workDir);
    }
  }

  /** Deletes {@code dir} and everything below it. */
  public static void deleteRecursively(Path dir) {
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
