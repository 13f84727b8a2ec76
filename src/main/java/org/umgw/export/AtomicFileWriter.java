package org.umgw.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.UmgwException;

/**
 * Replaces a file so that a reader, or a crash at any moment, sees either the old file or the
 * complete new one: the content goes to a temporary file in the target's directory, is fsync'd,
 * renamed over the target atomically, and the directory is fsync'd so the rename itself is on disk.
 * The old file is untouched until the new one is complete.
 *
 * <p>The new file keeps the old one's mode, owner and group, which an operator set for its reader
 * ({@code root:kamailio 0640}); a new file gets 0644, or the mode asked for. A file that would
 * change hands (the owner cannot be kept by a user that is not root) is refused, the old file left
 * as it was. On a file system without POSIX attributes (FAT, some network shares) only the content
 * is replaced.
 */
public final class AtomicFileWriter {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicFileWriter.class);

  /** The mode of a new file when none is asked for: rw-r--r--. */
  public static final Set<PosixFilePermission> NEW_FILE_MODE =
      PosixFilePermissions.fromString("rw-r--r--");

  /** Writes the content of a file, in one go or as a stream. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFileWriter() {}

  public static void write(Path target, byte[] content) {
    write(target, out -> out.write(content), null);
  }

  public static void write(Path target, byte[] content, Set<PosixFilePermission> mode) {
    write(target, out -> out.write(content), mode);
  }

  public static void write(Path target, Content content) {
    write(target, content, null);
  }

  /**
   * @param mode the file's mode, or {@code null} to keep the existing file's (0644 for a new one)
   * @throws UmgwException naming the file when any step fails; the target is then unchanged
   */
  public static void write(Path target, Content content, Set<PosixFilePermission> mode) {
    Path file = target.toAbsolutePath();
    Path dir = file.getParent();
    Path temp = null;
    try {
      boolean posix =
          Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
      if (!posix && mode != null) {
        throw new UmgwException(
            "cannot give "
                + file
                + " the mode "
                + PosixFilePermissions.toString(mode)
                + ": its file system has no POSIX permissions");
      }
      temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
      if (posix) {
        keepAttributes(file, temp, mode);
      }
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
      syncDirectory(dir, posix);
    } catch (IOException e) {
      throw new UmgwException("cannot write " + file + ": " + describe(e), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException e) {
          LOG.debug("left the temporary file {} behind: {}", temp, e.toString());
        }
      }
    }
  }

  /** Gives {@code temp} the mode, owner and group {@code file} has (or the new-file mode). */
  private static void keepAttributes(Path file, Path temp, Set<PosixFilePermission> mode)
      throws IOException {
    PosixFileAttributes old;
    try {
      old = Files.readAttributes(file, PosixFileAttributes.class);
    } catch (NoSuchFileException e) {
      Files.setPosixFilePermissions(temp, mode == null ? NEW_FILE_MODE : mode);
      return;
    }
    PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
    PosixFileAttributes fresh = view.readAttributes();
    UserPrincipal owner = old.owner();
    GroupPrincipal group = old.group();
    try {
      if (!fresh.group().equals(group)) {
        view.setGroup(group);
      }
      if (!fresh.owner().equals(owner)) {
        view.setOwner(owner);
      }
    } catch (FileSystemException e) {
      throw new UmgwException(
          "cannot keep the owner "
              + owner.getName()
              + " and group "
              + group.getName()
              + " of "
              + file
              + " ("
              + describe(e)
              + "): run as root or as its owner, or change its owner; "
              + file
              + " is unchanged",
          e);
    }
    // After the owner: a change of owner may clear bits, and the mode must be the old one.
    Files.setPosixFilePermissions(temp, mode == null ? old.permissions() : mode);
  }

  private static void syncDirectory(Path dir, boolean posix) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      if (posix) {
        throw e instanceof IOException io ? io : new IOException(e);
      }
      // FAT and friends cannot open a directory: the rename is done, only its fsync is not.
      LOG.debug("cannot fsync the directory {} on this file system: {}", dir, e.toString());
    }
  }

  /** {@code Permission denied}, not {@code java.nio.file.AccessDeniedException: /x/y}. */
  private static String describe(IOException e) {
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  /**
   * Parses an octal mode ({@code 0640}, {@code 640}): read and write bits only, no set-id or sticky
   * bits, no execute (an export is not a program).
   *
   * @throws IllegalArgumentException saying what a mode is
   */
  public static Set<PosixFilePermission> parseMode(String text) {
    if (text == null || !text.matches("0?[0-7]{3}")) {
      throw new IllegalArgumentException("expected an octal mode such as 0640 or 644");
    }
    String digits = text.length() == 4 ? text.substring(1) : text;
    StringBuilder rwx = new StringBuilder();
    for (char c : digits.toCharArray()) {
      int bits = c - '0';
      if ((bits & 1) != 0) {
        throw new IllegalArgumentException("no execute bits in an export's mode: " + text);
      }
      rwx.append((bits & 4) != 0 ? 'r' : '-').append((bits & 2) != 0 ? 'w' : '-').append('-');
    }
    if (rwx.charAt(0) != 'r') {
      throw new IllegalArgumentException("the owner must be able to read it: " + text);
    }
    return PosixFilePermissions.fromString(rwx.toString());
  }
}
