package org.umgw.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedExtendedRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSASLBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import com.unboundid.ldif.LDIFAddChangeRecord;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFDeleteChangeRecord;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryLayout;

/**
 * Makes every write durable before its success is reported, and guards who may write.
 *
 * <p>UnboundID calls an interceptor's request hook before the in-memory server applies an operation
 * and its result hook afterwards, before the response is sent, on the same thread. The request hook
 * takes the write lock and the result hook releases it, so writes are applied and journaled one at
 * a time in the same order. While holding the lock the result hook reads the entries the operation
 * changed and appends their new state to the journal, fsync'd; only then does the client (a pool
 * connection of this process or an LDAP client of {@code serve}) hear of its success. A failed
 * operation journals nothing.
 *
 * <p>Writes that would bypass these hooks are refused: extended operations other than Who Am I
 * (transactions and password modify change entries inside the server), and entries outside the base
 * DN (nothing would persist them).
 *
 * <p>Binds: the in-memory server knows one administrator, {@code cn=admin,<base>}, with a random
 * secret held only in memory, which the process's own connections use. A client's bind as that DN
 * with the password of {@code admin.pw} is translated to the secret, so the password can be read
 * (and changed) when {@code serve} starts, while the server configuration is fixed.
 */
final class JournalingInterceptor extends InMemoryOperationInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(JournalingInterceptor.class);
  private static final String LOCKED = JournalingInterceptor.class.getName() + ".locked";
  private static final long LOCK_TIMEOUT_SECONDS = 60;

  /** What clients hear of a durability failure; the log names the file and the cause. */
  private static final String FAILED =
      "the directory could not make a change durable and refuses writes until umgw restarts"
          + " (see its log)";

  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final DataDirectory files;
  private final DN base;
  private final DN adminDn;
  private final byte[] internalSecret;
  private final long compactAfterBytes;
  private final long compactAfterTransactions;

  private volatile InMemoryDirectoryServer server;
  private volatile RuleGuard guard;
  private volatile byte[] adminPassword;

  /** Set when a change could not be made durable: the directory refuses writes from then on. */
  private volatile String failure;

  // Guarded by writeLock.
  private Journal journal;
  private long generation;

  JournalingInterceptor(
      DataDirectory files,
      DN base,
      DN adminDn,
      byte[] internalSecret,
      long compactAfterBytes,
      long compactAfterTransactions) {
    this.files = files;
    this.base = base;
    this.adminDn = adminDn;
    this.internalSecret = internalSecret.clone();
    this.compactAfterBytes = compactAfterBytes;
    this.compactAfterTransactions = compactAfterTransactions;
  }

  void attach(InMemoryDirectoryServer server) {
    this.server = server;
    try {
      this.guard = new RuleGuard(server, DirectoryLayout.of(base.toString()), server.getSchema());
    } catch (LDAPException e) {
      throw new IllegalStateException("the in-memory server has no schema", e);
    }
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

  /** Sets the password an LDAP client gives to bind as the administrator. */
  void adminPassword(byte[] password) {
    this.adminPassword = password.clone();
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

  void closeJournal() {
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

  String failure() {
    return failure;
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

  // ---------------------------------------------------------------- writes

  @Override
  public void processAddRequest(InMemoryInterceptedAddRequest request) throws LDAPException {
    beginWrite(
        request,
        request.getRequest().getDN(),
        null,
        () -> guard.checkAdd(request.getRequest().toEntry()));
  }

  @Override
  public void processAddResult(InMemoryInterceptedAddResult result) {
    String dn = result.getRequest().getDN();
    endWrite(result, result.getResult(), result::setResult, dn, () -> List.of(stateOf(dn)));
  }

  @Override
  public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
    beginWrite(
        request,
        request.getRequest().getDN(),
        null,
        () ->
            guard.checkModify(
                request.getRequest().getDN(), request.getRequest().getModifications()));
  }

  @Override
  public void processModifyResult(InMemoryInterceptedModifyResult result) {
    String dn = result.getRequest().getDN();
    endWrite(result, result.getResult(), result::setResult, dn, () -> List.of(stateOf(dn)));
  }

  @Override
  public void processDeleteRequest(InMemoryInterceptedDeleteRequest request) throws LDAPException {
    beginWrite(
        request,
        request.getRequest().getDN(),
        null,
        () -> guard.checkDelete(request.getRequest().getDN()));
  }

  @Override
  public void processDeleteResult(InMemoryInterceptedDeleteResult result) {
    String dn = result.getRequest().getDN();
    endWrite(
        result,
        result.getResult(),
        result::setResult,
        dn,
        () -> List.of(new LDIFDeleteChangeRecord(dn)));
  }

  @Override
  public void processModifyDNRequest(InMemoryInterceptedModifyDNRequest request)
      throws LDAPException {
    beginWrite(
        request,
        request.getRequest().getDN(),
        request.getRequest().getNewSuperiorDN(),
        () ->
            guard.checkModifyDN(
                request.getRequest().getDN(),
                request.getRequest().getNewRDN(),
                request.getRequest().deleteOldRDN(),
                request.getRequest().getNewSuperiorDN()));
  }

  @Override
  public void processModifyDNResult(InMemoryInterceptedModifyDNResult result) {
    String dn = result.getRequest().getDN();
    endWrite(
        result,
        result.getResult(),
        result::setResult,
        dn,
        () -> {
          DN old = new DN(dn);
          DN parent =
              result.getRequest().getNewSuperiorDN() == null
                  ? old.getParent()
                  : new DN(result.getRequest().getNewSuperiorDN());
          DN renamed = new DN(new RDN(result.getRequest().getNewRDN()), parent);
          List<LDIFChangeRecord> records = new ArrayList<>();
          records.add(new LDIFDeleteChangeRecord(dn));
          List<SearchResultEntry> moved =
              new ArrayList<>(
                  server
                      .search(renamed.toString(), SearchScope.SUB, "(objectClass=*)", "*", "+")
                      .getSearchEntries());
          moved.sort(Comparator.comparingInt(e -> parsed(e).getRDNs().length));
          for (SearchResultEntry e : moved) {
            records.add(new LDIFAddChangeRecord(DataDirectory.withoutDerived(e)));
          }
          return records;
        });
  }

  /** A check run under the write lock, before the operation applies. */
  private interface Check {
    void run() throws LDAPException;
  }

  private void beginWrite(
      InMemoryInterceptedRequest request, String dn, String newSuperior, Check rules)
      throws LDAPException {
    requireWithinBase(dn);
    if (newSuperior != null) {
      requireWithinBase(newSuperior);
    }
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
    try {
      rules.run();
    } catch (LDAPException | RuntimeException e) {
      writeLock.unlock();
      throw e;
    }
    request.setProperty(LOCKED, Boolean.TRUE);
  }

  private interface Records {
    List<LDIFChangeRecord> get() throws LDAPException;
  }

  private void endWrite(
      InMemoryInterceptedResult op,
      LDAPResult result,
      Consumer<LDAPResult> setResult,
      String dn,
      Records records) {
    if (op.getProperty(LOCKED) == null) {
      return;
    }
    try {
      if (result.getResultCode() == ResultCode.SUCCESS) {
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
          setResult.accept(replace(result, ResultCode.OTHER, FAILED));
          return;
        }
        if (journal.size() >= compactAfterBytes
            || journal.transactions() >= compactAfterTransactions) {
          try {
            compactLocked(generation + 1);
          } catch (IOException | LDAPException | RuntimeException e) {
            // The change itself is durable in the current journal, which stays in use.
            LOG.warn("compaction of {} failed, journal kept: {}", files.dir(), e.toString());
          }
        }
      } else if (result.getResultCode() == ResultCode.INSUFFICIENT_ACCESS_RIGHTS) {
        setResult.accept(
            replace(
                result,
                ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
                "writes to this directory need a bind as "
                    + adminDn
                    + "; anonymous clients may only read"));
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** The entry's whole current state, or its deletion if it is gone. */
  private LDIFChangeRecord stateOf(String dn) throws LDAPException {
    Entry e = server.getEntry(dn, "*", "+");
    return e == null
        ? new LDIFDeleteChangeRecord(dn)
        : new LDIFAddChangeRecord(DataDirectory.withoutDerived(e));
  }

  private static DN parsed(Entry e) {
    try {
      return e.getParsedDN();
    } catch (LDAPException ex) {
      throw new IllegalStateException("the server holds an invalid DN " + e.getDN(), ex);
    }
  }

  private void requireWithinBase(String dn) throws LDAPException {
    DN parsed;
    try {
      parsed = new DN(dn);
    } catch (LDAPException e) {
      throw new LDAPException(ResultCode.INVALID_DN_SYNTAX, "\"" + dn + "\" is not a DN", e);
    }
    if (!parsed.isDescendantOf(base, true)) {
      throw new LDAPException(
          ResultCode.UNWILLING_TO_PERFORM,
          "this directory stores only entries under " + base + "; " + dn + " is outside it");
    }
  }

  private void refuseIfFailed() throws LDAPException {
    if (failure != null) {
      throw new LDAPException(ResultCode.UNAVAILABLE, FAILED);
    }
  }

  private static LDAPResult replace(LDAPResult result, ResultCode code, String message) {
    return new LDAPResult(
        result.getMessageID(),
        code,
        message,
        result.getMatchedDN(),
        result.getReferralURLs(),
        result.getResponseControls());
  }

  // ---------------------------------------------------------------- binds and extended operations

  @Override
  public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request)
      throws LDAPException {
    SimpleBindRequest bind = request.getRequest();
    String dn = bind.getBindDN();
    if (dn == null || dn.isEmpty()) {
      return;
    }
    DN parsed;
    try {
      parsed = new DN(dn);
    } catch (LDAPException e) {
      return; // the server answers invalidDNSyntax itself
    }
    if (!parsed.equals(adminDn)) {
      return;
    }
    byte[] given = bind.getPassword() == null ? new byte[0] : bind.getPassword().getValue();
    if (MessageDigest.isEqual(given, internalSecret)) {
      return;
    }
    byte[] expected = adminPassword;
    if (expected != null && given.length > 0 && MessageDigest.isEqual(given, expected)) {
      request.setRequest(new SimpleBindRequest(dn, internalSecret, bind.getControls()));
      return;
    }
    throw new LDAPException(ResultCode.INVALID_CREDENTIALS, "invalid credentials");
  }

  @Override
  public void processSASLBindRequest(InMemoryInterceptedSASLBindRequest request)
      throws LDAPException {
    throw new LDAPException(
        ResultCode.AUTH_METHOD_NOT_SUPPORTED, "this directory takes simple binds only");
  }

  @Override
  public void processExtendedRequest(InMemoryInterceptedExtendedRequest request)
      throws LDAPException {
    String oid = request.getRequest().getOID();
    if (!WhoAmIExtendedRequest.WHO_AM_I_REQUEST_OID.equals(oid)) {
      // What slapd and 389-DS answer for an extended operation they do not implement.
      throw new LDAPException(
          ResultCode.PROTOCOL_ERROR,
          "unsupported extended operation "
              + oid
              + ": this directory implements Who Am I (and StartTLS when configured); change"
              + " entries with add, modify, delete or modify DN");
    }
  }

  private static void closeQuietly(Journal j) {
    try {
      j.close();
    } catch (IOException e) {
      LOG.debug("cannot close {}: {}", j.file(), e.getMessage());
    }
  }
}
