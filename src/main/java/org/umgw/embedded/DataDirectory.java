package org.umgw.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFAddChangeRecord;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFDeleteChangeRecord;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.ldif.LDIFWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.UmgwException;

/**
 * The files of an embedded directory's data directory, and the rules that keep them recoverable.
 *
 * <pre>
 * lock                      held (fcntl) by the one process using the directory; holds its pid
 * snapshot.ldif             full content at the start of generation G (header: generation=G)
 * journal-0000000G.ldif     changes since that snapshot ({@link Journal})
 * hosts                     hosts file of the sample names, consulted before DNS
 * admin.pw                  password of the LDAP administrator of `umgw serve`
 * </pre>
 *
 * <p>A snapshot is only ever replaced by rename of a complete, fsync'd temporary file, so {@code
 * snapshot.ldif} is always whole. Recovery loads it and replays every journal of its generation or
 * later; older journals are leftovers of a compaction that was interrupted after the rename.
 */
final class DataDirectory implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

  static final String LOCK = "lock";
  static final String SNAPSHOT = "snapshot.ldif";
  static final String SNAPSHOT_TMP = "snapshot.ldif.tmp";
  static final String HOSTS = "hosts";
  static final String ADMIN_PASSWORD = "admin.pw";

  private static final Pattern JOURNAL = Pattern.compile("journal-(\\d{1,18})\\.ldif");
  private static final Pattern SNAPSHOT_HEADER =
      Pattern.compile("# umgw-snapshot generation=(\\d{1,18}) base=(.*)");
  private static final Pattern SNAPSHOT_TRAILER =
      Pattern.compile("# umgw-snapshot-end entries=(\\d+)");

  /** Virtual attributes the server derives; storing them would only risk stale copies. */
  static final List<String> DERIVED_ATTRIBUTES = List.of("entryDN", "subschemaSubentry");

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private DataDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Creates {@code dir} if needed and takes its lock.
   *
   * @throws UmgwException when another process (or another open in this one) holds the lock
   */
  static DataDirectory lock(Path dir) {
    Path lockFile = dir.resolve(LOCK);
    FileChannel channel = null;
    try {
      Files.createDirectories(dir);
      channel =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String pid = readPid(lockFile);
        channel.close();
        throw new UmgwException(
            "data directory " + dir + " is in use by another umgw process (pid " + pid + ")");
      }
      channel.truncate(0);
      byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
      channel.write(ByteBuffer.wrap(pid), 0);
      return new DataDirectory(dir, channel, lock);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new UmgwException("cannot use data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static String readPid(Path lockFile) {
    try {
      String text = Files.readString(lockFile, StandardCharsets.US_ASCII).trim();
      return text.isEmpty() ? "unknown" : text;
    } catch (IOException e) {
      return "unknown";
    }
  }

  Path dir() {
    return dir;
  }

  Path journalFile(long generation) {
    return journalFile(dir, generation);
  }

  static Path journalFile(Path dir, long generation) {
    return dir.resolve(String.format(Locale.ROOT, "journal-%08d.ldif", generation));
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      LOG.warn("cannot release the lock of {}: {}", dir, e.getMessage());
    }
    closeQuietly(lockChannel);
  }

  // ---------------------------------------------------------------- recovery

  /**
   * The state recovery found.
   *
   * @param image the content, or {@code null} when the directory holds no data yet (first use)
   * @param generation the highest generation on disk (0 on first use): the next compaction writes
   *     generation + 1
   * @param appendable the journal to keep appending to when it is the only one and holds nothing,
   *     or {@code null} when a compaction must start a fresh one
   * @param appendableReplay what reading {@code appendable} found
   * @param warnings what was ignored (torn writes), already logged
   */
  record Recovered(
      DirectoryImage image,
      long generation,
      Path appendable,
      Journal.Replay appendableReplay,
      List<String> warnings) {}

  /**
   * Rebuilds the content from the snapshot and the journals. Writes nothing but the removal of
   * leftovers of an interrupted first use or compaction (a temporary snapshot, empty journals).
   *
   * @throws UmgwException when the files are damaged beyond a crash's doing, or hold another base
   */
  static Recovered recover(Path dir, DN base) {
    try {
      Files.deleteIfExists(dir.resolve(SNAPSHOT_TMP));
      TreeMap<Long, Path> journals = journals(dir);
      Path snapshot = dir.resolve(SNAPSHOT);
      if (!Files.exists(snapshot)) {
        // A journal is created just before the first snapshot is renamed into place, and written
        // to only after: without a snapshot, an empty journal is a first use cut short.
        for (Path j : journals.values()) {
          if (!Journal.read(j).transactions().isEmpty()) {
            throw new UmgwException(
                "data directory "
                    + dir
                    + " holds changes in "
                    + j.getFileName()
                    + " but no "
                    + SNAPSHOT
                    + ": it is damaged; restore it from a backup or move it away to start afresh");
          }
        }
        for (Path j : journals.values()) {
          Files.delete(j);
        }
        return new Recovered(null, 0, null, null, List.of());
      }
      DirectoryImage image = new DirectoryImage();
      long generation = readSnapshot(snapshot, base, image);
      long highest = generation;
      List<String> warnings = new ArrayList<>();
      Path appendable = null;
      Journal.Replay appendableReplay = null;
      boolean clean = true;
      for (var j : journals.entrySet()) {
        if (j.getKey() < generation) {
          continue;
        }
        highest = Math.max(highest, j.getKey());
        Journal.Replay replay = Journal.read(j.getValue());
        for (List<LDIFChangeRecord> txn : replay.transactions()) {
          apply(image, txn, j.getValue());
        }
        if (replay.tornBytes() > 0) {
          String w =
              "journal "
                  + j.getValue()
                  + ": ignored "
                  + replay.tornBytes()
                  + " bytes after the last complete transaction (at byte "
                  + replay.validLength()
                  + "): a write cut short by a crash, never acknowledged";
          LOG.warn(w);
          warnings.add(w);
        }
        if (j.getKey() == generation && replay.transactions().isEmpty()) {
          appendable = j.getValue();
          appendableReplay = replay;
        }
        clean &= replay.transactions().isEmpty() && replay.tornBytes() == 0;
      }
      if (!clean || highest != generation || appendable == null) {
        appendable = null;
        appendableReplay = null;
      }
      return new Recovered(image, highest, appendable, appendableReplay, List.copyOf(warnings));
    } catch (IOException e) {
      throw new UmgwException("cannot read data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void apply(DirectoryImage image, List<LDIFChangeRecord> txn, Path file) {
    for (LDIFChangeRecord r : txn) {
      try {
        if (r instanceof LDIFAddChangeRecord add) {
          image.put(add.getEntryToAdd());
        } else if (r instanceof LDIFDeleteChangeRecord) {
          image.removeSubtree(r.getParsedDN());
        } else {
          throw new UmgwException(
              "journal "
                  + file
                  + " holds a "
                  + r.getChangeType()
                  + " record for "
                  + r.getDN()
                  + "; umgw journals only add and delete records");
        }
      } catch (LDAPException e) {
        throw new UmgwException(
            "journal " + file + " holds an invalid DN \"" + r.getDN() + "\": " + e.getMessage(), e);
      }
    }
  }

  static TreeMap<Long, Path> journals(Path dir) throws IOException {
    TreeMap<Long, Path> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      files.forEach(
          p -> {
            Matcher m = JOURNAL.matcher(p.getFileName().toString());
            if (m.matches()) {
              out.put(Long.parseLong(m.group(1)), p);
            }
          });
    }
    return out;
  }

  /** Loads {@code snapshot} into {@code image}; returns its generation. */
  private static long readSnapshot(Path snapshot, DN base, DirectoryImage image)
      throws IOException {
    byte[] data = Files.readAllBytes(snapshot);
    String text = new String(data, StandardCharsets.UTF_8);
    int eol = text.indexOf('\n');
    Matcher header = SNAPSHOT_HEADER.matcher(eol < 0 ? text : text.substring(0, eol));
    if (!header.matches()) {
      throw new UmgwException(snapshot + " is not a umgw snapshot: its first line is not a header");
    }
    long generation = Long.parseLong(header.group(1));
    try {
      DN stored = new DN(header.group(2));
      if (!stored.equals(base)) {
        throw new UmgwException(
            "data directory "
                + snapshot.getParent()
                + " holds base DN "
                + stored
                + ", not "
                + base
                + ": give --base-dn "
                + stored
                + " or another --data-dir");
      }
    } catch (LDAPException e) {
      throw new UmgwException(snapshot + " names an invalid base DN: " + header.group(2), e);
    }
    String trimmed = text.stripTrailing();
    Matcher trailer = SNAPSHOT_TRAILER.matcher(trimmed.substring(trimmed.lastIndexOf('\n') + 1));
    if (!trailer.matches()) {
      throw new UmgwException(snapshot + " is incomplete: its end line is missing");
    }
    long expected = Long.parseLong(trailer.group(1));
    try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(data))) {
      Entry e;
      while ((e = reader.readEntry()) != null) {
        image.put(e);
      }
    } catch (LDIFException | LDAPException e) {
      throw new UmgwException(snapshot + " is not valid LDIF: " + e.getMessage(), e);
    }
    if (image.size() != expected) {
      throw new UmgwException(
          snapshot + " holds " + image.size() + " entries where its end line says " + expected);
    }
    return generation;
  }

  // ---------------------------------------------------------------- writing

  /**
   * Writes the server's content as the snapshot of {@code generation} to a temporary file, fsync'd.
   * {@link #renameSnapshotIntoPlace} and a directory fsync then replace {@code snapshot.ldif}, so
   * that a crash at any point leaves either the old snapshot or the new one, whole.
   */
  void writeSnapshotTemp(InMemoryDirectoryServer server, DN base, long generation)
      throws IOException, LDAPException {
    Path tmp = dir.resolve(SNAPSHOT_TMP);
    try (FileOutputStream file = new FileOutputStream(tmp.toFile());
        OutputStream out = new BufferedOutputStream(file, 1 << 16)) {
      out.write(
          ("# umgw-snapshot generation=" + generation + " base=" + base + "\n")
              .getBytes(StandardCharsets.UTF_8));
      out.write(
          ("# Full content of the umgw embedded directory; "
                  + journalFile(generation).getFileName()
                  + " holds the changes made after it.\n")
              .getBytes(StandardCharsets.UTF_8));
      LDIFWriter writer = new LDIFWriter(out, 0, DataDirectory::withoutDerived);
      int count = server.exportToLDIF(writer, false, true, false);
      writer.flush();
      out.write(("# umgw-snapshot-end entries=" + count + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      file.getChannel().force(true);
    }
  }

  /** Renames the temporary snapshot over {@code snapshot.ldif} (atomic; not yet fsync'd). */
  void renameSnapshotIntoPlace() throws IOException {
    moveAtomically(dir.resolve(SNAPSHOT_TMP), dir.resolve(SNAPSHOT));
  }

  static Entry withoutDerived(Entry entry) {
    Entry copy = entry.duplicate();
    for (String a : DERIVED_ATTRIBUTES) {
      copy.removeAttribute(a);
    }
    return copy;
  }

  /** Writes a small file atomically (temp, fsync, rename, directory fsync) unless it exists. */
  boolean writeIfAbsent(String name, byte[] content, boolean ownerOnly) throws IOException {
    Path target = dir.resolve(name);
    if (Files.exists(target)) {
      return false;
    }
    Path tmp = dir.resolve(name + ".tmp");
    Files.deleteIfExists(tmp);
    if (ownerOnly && supportsPosix(dir)) {
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(tmp);
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(content));
      ch.force(true);
    }
    moveAtomically(tmp, target);
    fsyncDirectory(dir);
    return true;
  }

  /** Copies a classpath resource into the directory unless the file exists. */
  void copyResourceIfAbsent(String resource, String name) throws IOException {
    try (InputStream in = DataDirectory.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new UmgwException("resource " + resource + " is missing from the jar");
      }
      writeIfAbsent(name, in.readAllBytes(), false);
    }
  }

  /** Deletes the journals older than {@code generation}: a snapshot has superseded them. */
  void deleteJournalsBefore(long generation) {
    try {
      for (var j : journals(dir).headMap(generation, false).values()) {
        Files.deleteIfExists(j);
      }
    } catch (IOException e) {
      LOG.warn("cannot delete superseded journals in {}: {}", dir, e.getMessage());
    }
  }

  static boolean supportsPosix(Path dir) {
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      throw new IOException("cannot rename " + from + " to " + to + " atomically", e);
    }
  }

  /** Makes renames, creations and deletions in {@code dir} durable (where the OS allows it). */
  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Windows cannot open a directory as a channel; NTFS journals renames itself.
      if (supportsPosix(dir)) {
        throw e;
      }
    }
  }

  private static void closeQuietly(Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // Nothing useful to do: the lock goes with the process anyway.
      }
    }
  }
}
