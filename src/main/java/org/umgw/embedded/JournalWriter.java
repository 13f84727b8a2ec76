package org.umgw.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldif.LDIFChangeRecord;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of the data directory's journal and snapshots: it serializes writes under one fair
 * lock, appends each write's records (fsync'd) and replaces the snapshot when the journal grows.
 *
 * <p>It exists apart from {@link JournalingInterceptor}, which decides <em>what</em> a write
 * changed and when in an operation's life to journal it, so that the file-level order of steps that
 * makes a crash at any point recoverable ({@link #compact}) is written in one place, and so that
 * {@link EmbeddedDirectory} can compact and close without going through the interceptor. After a
 * change could not be made durable it refuses every further write.
 */
final class JournalWriter {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
  private static final long LOCK_TIMEOUT_SECONDS = 60;

  /** What clients hear of a durability failure; the log names the file and the cause. */
  static final String FAILED =
      "the directory could not make a change durable and refuses writes until umgw restarts"
          + " (see its log)";

  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final DataDirectory files;
  private final DN base;
  private final long compactAfterBytes;
  private final long compactAfterTransactions;

  private volatile InMemoryDirectoryServer server;

  /** Set when a change could not be made durable: the directory refuses writes from then on. */
  private volatile String failure;

  // Guarded by writeLock.
  private Journal journal;
  private long generation;

  JournalWriter(
      DataDirectory files, DN base, long compactAfterBytes, long compactAfterTransactions) {
    this.files = files;
    this.base = base;
    this.compactAfterBytes = compactAfterBytes;
    this.compactAfterTransactions = compactAfterTransactions;
  }

  /** The server whose content a snapshot writes. */
  void attach(InMemoryDirectoryServer server) {
    this.server = server;
  }

  /** Continues appending to a journal recovery found clean and empty. */
  void resume(Journal journal, long generation) {
    writeLock.lock();
    try {
      this.journal = journal;
      this.generation = generation;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Writes a snapshot of the current content as the next generation and starts its empty journal;
   * {@code generation} is the highest generation on disk. Waits for writes in progress.
   */
  void compact(long afterGeneration) throws IOException, LDAPException {
    writeLock.lock();
    try {
      compactLocked(Math.max(afterGeneration, generation) + 1);
    } finally {
      writeLock.unlock();
    }
  }

  /** Compacts unless the journal holds nothing, for {@code close()}. */
  void compactIfChanged() throws IOException, LDAPException {
    writeLock.lock();
    try {
      if (failure == null && journal != null && journal.transactions() > 0) {
        compactLocked(generation + 1);
      }
    } finally {
      writeLock.unlock();
    }
  }

  void close() {
    writeLock.lock();
    try {
      if (journal != null) {
        journal.close();
        journal = null;
      }
    } catch (IOException e) {
      LOG.warn("cannot close the journal: {}", e.getMessage());
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Takes the write lock for one write, waiting at most a minute for the writes before it.
   *
   * @throws LDAPException busy (51) after the wait or on an interrupt; unavailable (52) once a
   *     change could not be made durable or after {@link #close()}; the lock is then not held
   */
  void lock() throws LDAPException {
    refuseIfFailed();
    boolean locked;
    try {
      locked = writeLock.tryLock(LOCK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LDAPException(ResultCode.BUSY, "interrupted while waiting for other writes");
    }
    if (!locked) {
      throw new LDAPException(
          ResultCode.BUSY,
          "other writes held the embedded directory for " + LOCK_TIMEOUT_SECONDS + " s");
    }
    if (failure != null || journal == null) {
      writeLock.unlock();
      refuseIfFailed();
      throw new LDAPException(ResultCode.UNAVAILABLE, "the embedded directory is closed");
    }
  }

  void unlock() {
    writeLock.unlock();
  }

  /** The records of one applied write; reading them may fail like appending them. */
  interface Records {
    List<LDIFChangeRecord> get() throws LDAPException;
  }

  /**
   * Appends one applied write to the journal (under the lock of {@link #lock()}), then compacts if
   * the journal has grown past a threshold.
   *
   * @return false when the change could not be made durable: logged, and every later write is
   *     refused
   */
  boolean append(String dn, Records records) {
    try {
      journal.append(records.get());
    } catch (IOException | LDAPException | RuntimeException e) {
      failure =
          "a change to "
              + dn
              + " could not be written to "
              + journal.file()
              + " ("
              + e
              + "), so it is not durable; the embedded directory refuses writes until umgw"
              + " restarts";
      LOG.error(failure, e);
      return false;
    }
    if (journal.size() >= compactAfterBytes || journal.transactions() >= compactAfterTransactions) {
      try {
        compactLocked(generation + 1);
      } catch (IOException | LDAPException | RuntimeException e) {
        // The change itself is durable in the current journal, which stays in use.
        LOG.warn("compaction of {} failed, journal kept: {}", files.dir(), e.toString());
      }
    }
    return true;
  }

  void refuseIfFailed() throws LDAPException {
    if (failure != null) {
      throw new LDAPException(ResultCode.UNAVAILABLE, FAILED);
    }
  }

  /**
   * The order of steps is what makes a crash at any point recoverable: the new journal exists
   * (empty) before the new snapshot is renamed into place, so whichever snapshot a crash leaves,
   * the journals of its generation and later hold every acknowledged change made after it; the old
   * journal is deleted only once the new snapshot is durable.
   */
  private void compactLocked(long next) throws IOException, LDAPException {
    Journal fresh = Journal.create(files.journalFile(next), next);
    try {
      files.writeSnapshotTemp(server, base, next);
      files.renameSnapshotIntoPlace();
    } catch (IOException | LDAPException | RuntimeException e) {
      closeQuietly(fresh);
      throw e;
    }
    try {
      DataDirectory.fsyncDirectory(files.dir());
    } catch (IOException e) {
      // The rename happened but may not survive a crash: neither journal is safe to append to.
      closeQuietly(fresh);
      failure =
          "the data directory "
              + files.dir()
              + " could not be synced after a compaction ("
              + e.getMessage()
              + "); restart umgw";
      throw e;
    }
    Journal old = journal;
    journal = fresh;
    generation = next;
    if (old != null) {
      closeQuietly(old);
    }
    files.deleteJournalsBefore(next);
    LOG.debug("compacted {} into generation {}", files.dir(), next);
  }

  private static void closeQuietly(Journal j) {
    try {
      j.close();
    } catch (IOException e) {
      LOG.debug("cannot close {}: {}", j.file(), e.getMessage());
    }
  }
}
