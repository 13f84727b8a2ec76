package org.umgw.embedded;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.schema.AttributeSyntaxDefinition;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.EntryValidator;
import com.unboundid.ldap.sdk.schema.Schema;

/**
 * Refuses a value that breaks its attribute's syntax with invalidAttributeSyntax (21) and a message
 * in slapd's words ({@code umPort: value #0 invalid per syntax}), before UnboundID would answer
 * objectClassViolation (65) with the text of a Java exception.
 */
final class SyntaxCheck {
  private static final int MAX_VALUE_SHOWN = 64;

  private final Schema schema;
  private final EntryValidator syntaxOnly;

  SyntaxCheck(Schema schema) {
    this.schema = schema;
    this.syntaxOnly = new EntryValidator(schema);
    syntaxOnly.setCheckAttributeSyntax(true);
    syntaxOnly.setCheckEntryMissingRDNValues(false);
    syntaxOnly.setCheckMalformedDNs(false);
    syntaxOnly.setCheckMissingAttributes(false);
    syntaxOnly.setCheckMissingSuperiorObjectClasses(false);
    syntaxOnly.setCheckNameForms(false);
    syntaxOnly.setCheckProhibitedAttributes(false);
    syntaxOnly.setCheckProhibitedObjectClasses(false);
    syntaxOnly.setCheckSingleValuedAttributes(false);
    syntaxOnly.setCheckStructuralObjectClasses(false);
    syntaxOnly.setCheckUndefinedAttributes(false);
    syntaxOnly.setCheckUndefinedObjectClasses(false);
  }

  /**
   * @throws LDAPException invalidAttributeSyntax naming the attribute, the value's position, the
   *     value (cut to 64 characters) and the syntax
   */
  void check(Entry entry) throws LDAPException {
    if (syntaxOnly.entryIsValid(entry, null)) {
      return;
    }
    for (Attribute a : entry.getAttributes()) {
      String[] values = a.getValues();
      for (int i = 0; i < values.length; i++) {
        // The validator needs object classes to look at an entry at all; theirs are checked too.
        Entry probe = new Entry(entry.getDN());
        Attribute classes = entry.getObjectClassAttribute();
        if (classes != null) {
          probe.addAttribute(classes);
        }
        probe.addAttribute(a.getName(), values[i]);
        if (!syntaxOnly.entryIsValid(probe, null)) {
          throw new LDAPException(
              ResultCode.INVALID_ATTRIBUTE_SYNTAX,
              a.getName()
                  + ": value #"
                  + i
                  + " \""
                  + shown(values[i])
                  + "\" invalid per syntax"
                  + syntaxName(a.getBaseName()));
        }
      }
    }
  }

  private String syntaxName(String attribute) {
    AttributeTypeDefinition type = schema.getAttributeType(attribute);
    if (type == null) {
      return "";
    }
    AttributeSyntaxDefinition syntax = schema.getAttributeSyntax(type.getSyntaxOID(schema));
    String description = syntax == null ? null : syntax.getDescription();
    return description == null ? "" : " (" + description + ")";
  }

  private static String shown(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length() && out.length() < MAX_VALUE_SHOWN; i++) {
      char c = value.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return value.length() > MAX_VALUE_SHOWN ? out + "..." : out.toString();
  }
}
