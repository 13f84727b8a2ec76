package org.umgw.embedded;

import com.unboundid.asn1.ASN1Exception;
import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedCompareRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedExtendedRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchResult;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.ReadOnlySearchRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.controls.AssertionRequestControl;
import com.unboundid.ldap.sdk.controls.ProxiedAuthorizationV1RequestControl;
import com.unboundid.ldap.sdk.controls.ProxiedAuthorizationV2RequestControl;
import com.unboundid.ldap.sdk.controls.ServerSideSortRequestControl;
import com.unboundid.ldap.sdk.controls.SortKey;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Who may do what on the {@code serve} listener: the access control UnboundID's in-memory server
 * lacks (it lets any authenticated identity write and anyone read every attribute).
 *
 * <ul>
 *   <li>Writes (add, modify, delete, modify DN) need a bind as the administrator or a writer DN
 *       ({@code --writer-dn}); anyone else gets insufficientAccessRights (50).
 *   <li>Proxied authorization (v1 and v2 controls) is honoured for the administrator only (a writer
 *       acting as the administrator would read passwords), and a write on behalf of an identity
 *       that may not write is refused; anyone else using it gets authorizationDenied (123), as
 *       slapd answers without {@code authzTo}.
 *   <li>Only the administrator reads password-like attributes (they are removed from entries, and
 *       filter components testing them match nothing) and the changelog; in changelog records
 *       nobody sees a password.
 *   <li>The root DSE advertises only what works; searches are held to the size and time limits.
 *       UnboundID checks a search's time limit once, before it starts, so the time limit is
 *       enforced here as well: entries due after it are not sent and the search ends with
 *       timeLimitExceeded (3), as slapd does for a client too slow to take its entries.
 *   <li>With {@code requireTls}, a simple bind with a DN on a connection without TLS is refused
 *       with confidentialityRequired (13).
 * </ul>
 *
 * <p>Connections of the process itself (the in-process listener) are not the listener's clients and
 * pass untouched: {@link ServeSockets#connection} returns no state for them.
 */
final class ServeAccess extends InMemoryOperationInterceptor {
  /** The operation property holding a search's {@link Deadline}. */
  private static final String DEADLINE = ServeAccess.class.getName() + ".deadline";

  /**
   * When a search's time limit runs out ({@link System#nanoTime()}), and whether an entry was held
   * back for it. Entry and result hooks can read an operation's properties but not set them, so the
   * request hook stores this one mutable holder; the hooks of one search run on one thread.
   */
  private static final class Deadline {
    final long nanos;
    boolean passed;

    Deadline(long nanos) {
      this.nanos = nanos;
    }
  }

  private final DN adminDn;
  private volatile Settings settings;

  /** What {@code serve} configured; replaced as a whole when it starts. */
  private record Settings(
      Set<DN> writers, boolean startTls, boolean requireTls, ServeLimits limits) {}

  ServeAccess(DN adminDn) {
    this.adminDn = adminDn;
    this.settings = new Settings(Set.of(adminDn), false, false, ServeLimits.defaults());
  }

  void configure(Set<DN> writers, boolean startTls, boolean requireTls, ServeLimits limits) {
    java.util.Set<DN> all = new java.util.LinkedHashSet<>(writers);
    all.add(adminDn);
    this.settings = new Settings(Set.copyOf(all), startTls, requireTls, limits);
  }

  /** The listener connection of the operation, or {@code null} for the process's own. */
  private static ServeConnection client(Object operation) {
    return ServeSockets.current();
  }

  // ---------------------------------------------------------------- binds

  @Override
  public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request)
      throws LDAPException {
    ServeConnection c = client(request);
    if (c == null) {
      return;
    }
    // A new bind starts anonymous: a failed one must not leave the previous identity in place.
    c.bound(DN.NULL_DN);
    String dn = request.getRequest().getBindDN();
    Settings s = settings;
    if (s.requireTls() && !c.tls() && dn != null && !dn.isEmpty()) {
      throw new LDAPException(
          ResultCode.CONFIDENTIALITY_REQUIRED,
          "simple binds need TLS on this server: use StartTLS (for example ldapsearch -ZZ)");
    }
  }

  @Override
  public void processSASLBindRequest(
      com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSASLBindRequest request) {
    ServeConnection c = client(request);
    if (c != null) {
      c.bound(DN.NULL_DN); // refused by AdminBind; the attempt still ends the old bind
    }
  }

  @Override
  public void processSimpleBindResult(InMemoryInterceptedSimpleBindResult result) {
    ServeConnection c = client(result);
    if (c == null || result.getResult().getResultCode() != ResultCode.SUCCESS) {
      return;
    }
    String dn = result.getRequest().getBindDN();
    try {
      c.bound(dn == null || dn.isEmpty() ? DN.NULL_DN : new DN(dn));
    } catch (LDAPException e) {
      c.bound(DN.NULL_DN); // unreachable: the server refused an invalid DN before succeeding
    }
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void processAddRequest(InMemoryInterceptedAddRequest request) throws LDAPException {
    authorizeWrite(request, request.getRequest().getControls());
  }

  @Override
  public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
    authorizeWrite(request, request.getRequest().getControls());
  }

  @Override
  public void processDeleteRequest(InMemoryInterceptedDeleteRequest request) throws LDAPException {
    authorizeWrite(request, request.getRequest().getControls());
  }

  @Override
  public void processModifyDNRequest(InMemoryInterceptedModifyDNRequest request)
      throws LDAPException {
    authorizeWrite(request, request.getRequest().getControls());
  }

  private void authorizeWrite(InMemoryInterceptedRequest request, Control[] controls)
      throws LDAPException {
    ServeConnection c = client(request);
    if (c == null) {
      return;
    }
    Settings s = settings;
    DN effective = effectiveIdentity(c, controls, s);
    if (!adminDn.equals(effective)) {
      refusePasswordTests(controls);
    }
    if (!s.writers().contains(c.bound()) || !s.writers().contains(effective)) {
      throw new LDAPException(
          ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
          "writes to this directory need a bind as "
              + adminDn
              + (s.writers().size() > 1 ? " or as a configured writer" : "")
              + "; "
              + (effective.isNullDN() ? "anonymous clients" : effective + " may")
              + " only read");
    }
  }

  /**
   * The identity the operation runs as: the proxied one when a proxied authorization control is
   * attached (allowed to the administrator only), else the bound one.
   */
  private DN effectiveIdentity(ServeConnection c, Control[] controls, Settings s)
      throws LDAPException {
    DN proxied = null;
    for (Control control : controls) {
      String oid = control.getOID();
      boolean v1 =
          ProxiedAuthorizationV1RequestControl.PROXIED_AUTHORIZATION_V1_REQUEST_OID.equals(oid);
      boolean v2 =
          ProxiedAuthorizationV2RequestControl.PROXIED_AUTHORIZATION_V2_REQUEST_OID.equals(oid);
      if (!v1 && !v2) {
        continue;
      }
      if (!adminDn.equals(c.bound())) {
        throw new LDAPException(
            ResultCode.AUTHORIZATION_DENIED,
            "not authorized to use proxied authorization: "
                + (c.bound().isNullDN() ? "anonymous clients" : c.bound().toString())
                + " may not act as another identity");
      }
      proxied =
          v1
              ? proxyDn(control)
              : authzId(new ProxiedAuthorizationV2RequestControl(control).getAuthorizationID());
    }
    return proxied == null ? c.bound() : proxied;
  }

  /**
   * Refuses, for anyone but the administrator, the controls that would test a password: an
   * assertion on one (its success or failure would answer a guess) or a sort by one.
   */
  private static void refusePasswordTests(Control[] controls) throws LDAPException {
    for (Control control : controls) {
      boolean tests = false;
      if (AssertionRequestControl.ASSERTION_REQUEST_OID.equals(control.getOID())) {
        Filter f = new AssertionRequestControl(control).getFilter();
        tests = ServeVisibility.withoutPasswordTests(f) != f;
      } else if (ServerSideSortRequestControl.SERVER_SIDE_SORT_REQUEST_OID.equals(
          control.getOID())) {
        for (SortKey key : new ServerSideSortRequestControl(control).getSortKeys()) {
          tests |= ServeVisibility.isPasswordAttribute(key.getAttributeName());
        }
      }
      if (tests) {
        throw new LDAPException(
            ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
            "only the administrator may assert or sort on a password attribute");
      }
    }
  }

  /**
   * The DN of a v1 control: a sequence holding the DN as the draft says, or the bare DN string
   * OpenLDAP's tools send ({@code -e proxydn=...}).
   */
  private static DN proxyDn(Control control) throws LDAPException {
    try {
      return new DN(new ProxiedAuthorizationV1RequestControl(control).getProxyDN());
    } catch (LDAPException notASequence) {
      try {
        return new DN(
            ASN1OctetString.decodeAsOctetString(control.getValue().getValue()).stringValue());
      } catch (ASN1Exception | LDAPException | RuntimeException e) {
        throw new LDAPException(
            ResultCode.PROTOCOL_ERROR, "the proxied authorization control holds no DN");
      }
    }
  }

  private static DN authzId(String id) throws LDAPException {
    if (id == null || id.isEmpty()) {
      return DN.NULL_DN;
    }
    if (id.regionMatches(true, 0, "dn:", 0, 3)) {
      try {
        return new DN(id.substring(3));
      } catch (LDAPException e) {
        throw new LDAPException(
            ResultCode.AUTHORIZATION_DENIED, "the authorization ID is not a valid DN");
      }
    }
    throw new LDAPException(
        ResultCode.AUTHORIZATION_DENIED, "only dn: authorization IDs are supported");
  }

  // ---------------------------------------------------------------- reads

  @Override
  public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
    ServeConnection c = client(request);
    if (c == null) {
      return;
    }
    Settings s = settings;
    ReadOnlySearchRequest r = request.getRequest();
    boolean admin = adminDn.equals(effectiveIdentity(c, r.getControls(), s));
    SearchRequest limited = r.duplicate();
    int size = s.limits().sizeLimit();
    int time = s.limits().timeLimitSeconds();
    limited.setSizeLimit(r.getSizeLimit() <= 0 ? size : Math.min(r.getSizeLimit(), size));
    limited.setTimeLimitSeconds(
        r.getTimeLimitSeconds() <= 0 ? time : Math.min(r.getTimeLimitSeconds(), time));
    request.setProperty(
        DEADLINE,
        new Deadline(System.nanoTime() + TimeUnit.SECONDS.toNanos(limited.getTimeLimitSeconds())));
    if (!admin) {
      refusePasswordTests(r.getControls());
      DN base = r.getParsedBaseDN();
      limited.setFilter(
          ServeVisibility.inChangelog(base)
              ? ServeVisibility.nothing()
              : ServeVisibility.withoutPasswordTests(r.getFilter()));
    }
    request.setRequest(limited);
  }

  @Override
  public void processSearchEntry(InMemoryInterceptedSearchEntry entry) {
    ServeConnection c = client(entry);
    if (c == null) {
      return;
    }
    if (entry.getProperty(DEADLINE) instanceof Deadline d
        && (d.passed || System.nanoTime() - d.nanos > 0)) {
      d.passed = true;
      entry.setSearchEntry(null);
      return;
    }
    Settings s = settings;
    boolean admin;
    try {
      admin = adminDn.equals(effectiveIdentity(c, entry.getRequest().getControls(), s));
    } catch (LDAPException e) {
      admin = false; // refused when the request came in; nothing is sent anyway
    }
    SearchResultEntry e = entry.getSearchEntry();
    DN dn;
    try {
      dn = e.getParsedDN();
    } catch (LDAPException invalid) {
      entry.setSearchEntry(null); // the server holds no invalid DN; never send what is not known
      return;
    }
    if (dn.isNullDN()) {
      entry.setSearchEntry(ServeVisibility.rootDse(e, s.startTls(), admin));
    } else if (ServeVisibility.inChangelog(dn)) {
      entry.setSearchEntry(admin ? ServeVisibility.changelogWithoutPasswords(e) : null);
    } else if (!admin) {
      Entry visible = ServeVisibility.withoutPasswords(e);
      if (visible != e) {
        entry.setSearchEntry(visible);
      }
    }
  }

  /** A search that dropped entries past its time limit ends with timeLimitExceeded. */
  @Override
  public void processSearchResult(InMemoryInterceptedSearchResult result) {
    LDAPResult r = result.getResult();
    if (!(result.getProperty(DEADLINE) instanceof Deadline d && d.passed)
        || (r.getResultCode() != ResultCode.SUCCESS
            && r.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED)) {
      return;
    }
    result.setResult(
        new LDAPResult(
            r.getMessageID(),
            ResultCode.TIME_LIMIT_EXCEEDED,
            "the search ran past its time limit of "
                + result.getRequest().getTimeLimitSeconds()
                + " s; the entries due after it were not sent",
            null,
            (String[]) null,
            r.getResponseControls()));
  }

  @Override
  public void processCompareRequest(InMemoryInterceptedCompareRequest request)
      throws LDAPException {
    ServeConnection c = client(request);
    if (c == null) {
      return;
    }
    if (adminDn.equals(effectiveIdentity(c, request.getRequest().getControls(), settings))) {
      return;
    }
    refusePasswordTests(request.getRequest().getControls());
    if (ServeVisibility.isPasswordAttribute(request.getRequest().getAttributeName())
        || ServeVisibility.inChangelog(new DN(request.getRequest().getDN()))) {
      throw new LDAPException(
          ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
          "only the administrator may compare passwords or changelog entries");
    }
  }

  @Override
  public void processExtendedRequest(InMemoryInterceptedExtendedRequest request)
      throws LDAPException {
    ServeConnection c = client(request);
    if (c != null) {
      effectiveIdentity(c, request.getRequest().getControls(), settings);
    }
  }
}
