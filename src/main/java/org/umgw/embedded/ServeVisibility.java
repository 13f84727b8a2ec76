package org.umgw.embedded;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a client of {@code serve} may see of an entry, a filter and the root DSE: the pure functions
 * {@link ServeAccess} applies.
 *
 * <p>Passwords: an attribute is password-like when its name contains {@code password} or {@code
 * pwd} ({@code userPassword}, {@code authPassword}, {@code sambaNTPassword}, {@code unicodePwd},
 * ...). Only the administrator reads them; in the changelog nobody does, since a change record
 * would otherwise show every password ever set.
 */
final class ServeVisibility {
  static final DN CHANGELOG = dn("cn=changelog");

  /** The only extended operations the server performs (Password Modify and transactions not). */
  static final List<String> EXTENSIONS = List.of(WhoAmIExtendedRequest.WHO_AM_I_REQUEST_OID);

  /** Root DSE attributes that describe the changelog, the administrator's only. */
  private static final List<String> CHANGELOG_POINTERS =
      List.of("changelog", "firstChangeNumber", "lastChangeNumber");

  /** Controls UnboundID advertises for operations this server refuses (transactions). */
  private static final List<String> UNSUPPORTED_CONTROLS = List.of("1.3.6.1.1.21.2");

  /** Change record attributes of {@code cn=changelog} entries, in LDIF. */
  private static final List<String> CHANGE_TEXT = List.of("changes", "deletedEntryAttrs");

  private ServeVisibility() {}

  static boolean isPasswordAttribute(String name) {
    String base = name.toLowerCase(Locale.ROOT);
    int options = base.indexOf(';');
    if (options >= 0) {
      base = base.substring(0, options);
    }
    return base.contains("password") || base.contains("pwd");
  }

  static boolean inChangelog(DN dn) {
    return dn.isDescendantOf(CHANGELOG, true);
  }

  /** The entry without its password-like attributes, or the entry itself when it has none. */
  static Entry withoutPasswords(Entry entry) {
    Entry out = null;
    for (Attribute a : entry.getAttributes()) {
      if (isPasswordAttribute(a.getName())) {
        if (out == null) {
          out = entry.duplicate();
        }
        out.removeAttribute(a.getName());
      }
    }
    return out == null ? entry : out;
  }

  /** A changelog entry whose change text holds no password-like attribute or modification. */
  static Entry changelogWithoutPasswords(Entry entry) {
    Entry out = withoutPasswords(entry);
    for (String name : CHANGE_TEXT) {
      Attribute a = out.getAttribute(name);
      if (a == null) {
        continue;
      }
      List<String> cleaned = new ArrayList<>();
      for (String v : a.getValues()) {
        cleaned.add(stripPasswords(v));
      }
      if (out == entry) {
        out = entry.duplicate();
      }
      out.setAttribute(name, cleaned);
    }
    return out;
  }

  /**
   * LDIF change text without the lines of password-like attributes (with their continuation lines)
   * and without the modifications of them ({@code replace: userPassword} up to its {@code -}).
   */
  static String stripPasswords(String ldif) {
    StringBuilder out = new StringBuilder();
    boolean skipping = false;
    boolean skippingModification = false;
    for (String line : ldif.split("\n", -1)) {
      if (skippingModification) {
        if (line.equals("-")) {
          skippingModification = false;
        }
        continue;
      }
      if (skipping && line.startsWith(" ")) {
        continue;
      }
      skipping = false;
      int colon = line.indexOf(':');
      if (colon > 0) {
        String name = line.substring(0, colon);
        String value = line.substring(colon + 1).replaceFirst("^:? *", "");
        if ((name.equalsIgnoreCase("add")
                || name.equalsIgnoreCase("replace")
                || name.equalsIgnoreCase("delete")
                || name.equalsIgnoreCase("increment"))
            && isPasswordAttribute(value.trim())) {
          skippingModification = true;
          continue;
        }
        if (isPasswordAttribute(name)) {
          skipping = true;
          continue;
        }
      }
      out.append(line).append('\n');
    }
    return out.substring(0, Math.max(0, out.length() - 1));
  }

  /**
   * The root DSE as it should be advertised: only the extended operations that work (StartTLS only
   * when a key store is loaded), no SASL mechanism, no transaction control, and the changelog
   * pointers for the administrator only.
   */
  static Entry rootDse(Entry entry, boolean startTls, boolean admin) {
    Entry out = entry.duplicate();
    if (out.hasAttribute("supportedExtension")) {
      List<String> extensions = new ArrayList<>(EXTENSIONS);
      if (startTls) {
        extensions.add(StartTLSExtendedRequest.STARTTLS_REQUEST_OID);
      }
      out.setAttribute("supportedExtension", extensions);
    }
    out.removeAttribute("supportedSASLMechanisms");
    for (String oid : UNSUPPORTED_CONTROLS) {
      out.removeAttributeValue("supportedControl", oid);
    }
    if (!admin) {
      for (String name : CHANGELOG_POINTERS) {
        out.removeAttribute(name);
      }
      out.removeAttributeValue("namingContexts", CHANGELOG.toString());
    }
    return out;
  }

  /**
   * The filter with every component on a password-like attribute replaced by one that matches
   * nothing, so that a search cannot test passwords (slapd treats a filter on an attribute the
   * client may not read the same way: the component is never true).
   */
  static Filter withoutPasswordTests(Filter filter) {
    switch (filter.getFilterType()) {
      case Filter.FILTER_TYPE_AND, Filter.FILTER_TYPE_OR -> {
        Filter[] parts = filter.getComponents();
        Filter[] cleaned = new Filter[parts.length];
        boolean changed = false;
        for (int i = 0; i < parts.length; i++) {
          cleaned[i] = withoutPasswordTests(parts[i]);
          changed |= cleaned[i] != parts[i];
        }
        if (!changed) {
          return filter;
        }
        return filter.getFilterType() == Filter.FILTER_TYPE_AND
            ? Filter.createANDFilter(cleaned)
            : Filter.createORFilter(cleaned);
      }
      case Filter.FILTER_TYPE_NOT -> {
        Filter inner = withoutPasswordTests(filter.getNOTComponent());
        return inner == filter.getNOTComponent() ? filter : Filter.createNOTFilter(inner);
      }
      default -> {
        String attribute = filter.getAttributeName();
        return attribute != null && isPasswordAttribute(attribute) ? nothing() : filter;
      }
    }
  }

  /** A filter no entry matches: the empty OR (RFC 4526's absolute false). */
  static Filter nothing() {
    return Filter.createORFilter();
  }

  private static DN dn(String text) {
    try {
      return new DN(text);
    } catch (com.unboundid.ldap.sdk.LDAPException e) {
      throw new IllegalStateException(text + " is not a DN", e);
    }
  }
}
