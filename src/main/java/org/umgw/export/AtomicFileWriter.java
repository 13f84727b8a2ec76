package org.umgw.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.umgw.model.UmgwException;

/**
 * Replaces a file so that a reader, or a crash at any moment, sees either the old file or the
 * complete new one: the content goes to a temporary file in the target's directory, is fsync'd,
 * renamed over the target atomically, and the directory is fsync'd so the rename itself is on disk.
 * The old file is untouched until the new one is complete.
 */
public final class AtomicFileWriter {
  /** Writes the content of a file, in one go or as a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFileWriter() {}

  public static void write(Path target, byte[] content) {
    write(target, out -> out.write(content));
  }

  /**
   * @throws UmgwException naming the file when any step fails; the target is then unchanged
   */
  public static void write(Path target, Content content) {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
          OutputStream out = Channels.newOutputStream(channel)) {
        content.writeTo(out);
        out.flush();
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new UmgwException(
            "cannot replace " + file + " atomically on this file system: " + e.getMessage(), e);
      }
      temp = null;
      try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
        d.force(true);
      }
    } catch (IOException e) {
      throw new UmgwException("cannot write " + file + ": " + e, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // Best effort: a leftover hidden .tmp file harms nothing.
        }
      }
    }
  }
}
