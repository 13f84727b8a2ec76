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
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import com.unboundid.ldif.LDIFAddChangeRecord;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFDeleteChangeRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import org.umgw.directory.DirectoryLayout;

/**
 * Makes every write durable before its success is reported and checks it against the rules first.
 *
 * <p>UnboundID calls an interceptor's request hook before the in-memory server applies an operation
 * and its result hook afterwards, before the response is sent, on the same thread. The request hook
 * takes the write lock and the result hook releases it, so writes are applied and journaled one at
 * a time in the same order. While holding the lock the result hook reads the entries the operation
 * changed and appends their new state to the journal ({@link JournalWriter}), fsync'd; only then
 * does the client (a pool connection of this process or an LDAP client of {@code serve}) hear of
 * its success. A failed operation journals nothing.
 *
 * <p>Writes that would bypass these hooks are refused: extended operations other than Who Am I
 * (transactions and password modify change entries inside the server), and entries outside the base
 * DN (nothing would persist them). Who may bind as the administrator is {@link AdminBind}'s
 * concern.
 */
final class JournalingInterceptor extends InMemoryOperationInterceptor {
  private static final String LOCKED = JournalingInterceptor.class.getName() + ".locked";

  private final JournalWriter writer;
  private final DN base;
  private final DN adminDn;
  private volatile InMemoryDirectoryServer server;
  private volatile RuleGuard guard;

  JournalingInterceptor(JournalWriter writer, DN base, DN adminDn) {
    this.writer = writer;
    this.base = base;
    this.adminDn = adminDn;
  }

  /** Starts checking and journaling the writes of {@code server}. */
  void attach(InMemoryDirectoryServer server) {
    this.server = server;
    writer.attach(server);
    try {
      this.guard = new RuleGuard(server, DirectoryLayout.of(base.toString()), server.getSchema());
    } catch (LDAPException e) {
      throw new IllegalStateException("the in-memory server has no schema", e);
    }
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
    writer.lock();
    try {
      rules.run();
    } catch (LDAPException | RuntimeException e) {
      writer.unlock();
      throw e;
    }
    request.setProperty(LOCKED, Boolean.TRUE);
  }

  private void endWrite(
      InMemoryInterceptedResult op,
      LDAPResult result,
      Consumer<LDAPResult> setResult,
      String dn,
      JournalWriter.Records records) {
    if (op.getProperty(LOCKED) == null) {
      return;
    }
    try {
      if (result.getResultCode() == ResultCode.SUCCESS) {
        if (!writer.append(dn, records)) {
          setResult.accept(replace(result, ResultCode.OTHER, JournalWriter.FAILED));
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
      writer.unlock();
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

  private static LDAPResult replace(LDAPResult result, ResultCode code, String message) {
    return new LDAPResult(
        result.getMessageID(),
        code,
        message,
        result.getMatchedDN(),
        result.getReferralURLs(),
        result.getResponseControls());
  }

  // ---------------------------------------------------------------- extended operations

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
}
