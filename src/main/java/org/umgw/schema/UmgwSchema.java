package org.umgw.schema;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The umgw LDAP schema and its three shipped forms, all derived from {@code schema/umgw.ldif}.
 *
 * <pre>{@code
 * String conf = UmgwSchema.load().format(SchemaFormat.OPENLDAP_SCHEMA);
 * Schema forInMemory = UmgwSchema.load().withStandardSchema();
 * }</pre>
 *
 * <p>Only the RFC 4512 file is edited by hand; the OpenLDAP forms are generated here, and a test
 * checks that the files under {@code schema/} equal what this class generates.
 */
public final class UmgwSchema {
  /** Classpath location of the source of truth (the Maven build copies {@code schema/}). */
  public static final String RESOURCE = "/umgw/schema/umgw.ldif";

  private static final Set<String> KEYWORDS =
      Set.of(
          "NAME",
          "DESC",
          "OBSOLETE",
          "SUP",
          "EQUALITY",
          "ORDERING",
          "SUBSTR",
          "SYNTAX",
          "SINGLE-VALUE",
          "COLLECTIVE",
          "NO-USER-MODIFICATION",
          "USAGE",
          "ABSTRACT",
          "STRUCTURAL",
          "AUXILIARY",
          "MUST",
          "MAY");

  private final String source;
  private final List<String> attributeTypes;
  private final List<String> objectClasses;

  private UmgwSchema(String source, List<String> attributeTypes, List<String> objectClasses) {
    this.source = source;
    this.attributeTypes = List.copyOf(attributeTypes);
    this.objectClasses = List.copyOf(objectClasses);
  }

  /** Reads the schema shipped in the jar. */
  public static UmgwSchema load() {
    try (InputStream in = UmgwSchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("schema resource " + RESOURCE + " missing from the jar");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /**
   * @throws IllegalArgumentException when {@code rfc4512Ldif} is not one subschema entry
   */
  public static UmgwSchema parse(String rfc4512Ldif) {
    try (LDIFReader reader =
        new LDIFReader(new ByteArrayInputStream(rfc4512Ldif.getBytes(StandardCharsets.UTF_8)))) {
      Entry entry = reader.readEntry();
      if (entry == null) {
        throw new IllegalArgumentException("the schema LDIF holds no entry");
      }
      return new UmgwSchema(
          rfc4512Ldif, values(entry, "attributeTypes"), values(entry, "objectClasses"));
    } catch (IOException | LDIFException e) {
      throw new IllegalArgumentException("the schema LDIF does not parse: " + e.getMessage(), e);
    }
  }

  private static List<String> values(Entry entry, String attribute) {
    Attribute a = entry.getAttribute(attribute);
    return a == null ? List.of() : List.of(a.getValues());
  }

  /** RFC 4512 attribute type descriptions, one line each. */
  public List<String> attributeTypes() {
    return attributeTypes;
  }

  /** RFC 4512 object class descriptions, one line each. */
  public List<String> objectClasses() {
    return objectClasses;
  }

  /** Our definitions merged into UnboundID's standard schema (ours alone would lack top). */
  public Schema withStandardSchema() {
    try {
      Entry entry = new Entry("cn=schema");
      entry.addAttribute("attributeTypes", attributeTypes);
      entry.addAttribute("objectClasses", objectClasses);
      return Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(entry));
    } catch (LDAPException e) {
      throw new IllegalStateException("UnboundID's standard schema does not load", e);
    }
  }

  /** The schema in {@code format}, byte for byte what {@code schema/} ships. */
  public String format(SchemaFormat format) {
    return switch (format) {
      case RFC4512 -> source;
      case OPENLDAP_LDIF -> openLdapLdif();
      case OPENLDAP_SCHEMA -> openLdapSchema();
    };
  }

  private String openLdapLdif() {
    StringBuilder out = new StringBuilder();
    header(out, "#", SchemaFormat.OPENLDAP_LDIF);
    out.append("# Load: ldapadd -Y EXTERNAL -H ldapi:/// -f umgw-openldap.ldif\n");
    out.append("# or name it in an include: line of the cn=config LDIF given to slapadd -n 0.\n");
    out.append("dn: cn=umgw,cn=schema,cn=config\n");
    out.append("objectClass: olcSchemaConfig\n");
    out.append("cn: umgw\n");
    for (String d : attributeTypes) {
      out.append("olcAttributeTypes: ").append(fold(d, "\n  ")).append('\n');
    }
    for (String d : objectClasses) {
      out.append("olcObjectClasses: ").append(fold(d, "\n  ")).append('\n');
    }
    return out.toString();
  }

  private String openLdapSchema() {
    StringBuilder out = new StringBuilder();
    header(out, "#", SchemaFormat.OPENLDAP_SCHEMA);
    out.append("# Load: include /etc/ldap/schema/umgw.schema in slapd.conf.\n");
    for (String d : attributeTypes) {
      out.append("\nattributetype ").append(fold(d, "\n\t")).append('\n');
    }
    for (String d : objectClasses) {
      out.append("\nobjectclass ").append(fold(d, "\n\t")).append('\n');
    }
    return out.toString();
  }

  private static void header(StringBuilder out, String comment, SchemaFormat format) {
    out.append(comment)
        .append(" umgw LDAP schema, ")
        .append(format.cliName())
        .append(" form. GENERATED from umgw.ldif: do not edit; regenerate with\n")
        .append(comment)
        .append(" java -jar target/umgw.jar schema --format ")
        .append(format.cliName())
        .append(" > schema/")
        .append(format.fileName())
        .append('\n');
  }

  /**
   * Breaks a one-line description before each top-level keyword, outside quoted strings and
   * parenthesised lists, so the generated files read like the hand-written source.
   */
  static String fold(String description, String breakWith) {
    StringBuilder out = new StringBuilder();
    boolean quoted = false;
    int depth = 0;
    int i = 0;
    while (i < description.length()) {
      char c = description.charAt(i);
      if (c == '\'') {
        quoted = !quoted;
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')') {
        depth--;
      } else if (!quoted && depth == 1 && c == ' ' && startsKeyword(description, i + 1)) {
        out.append(breakWith);
        i++;
        continue;
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean startsKeyword(String s, int from) {
    int end = s.indexOf(' ', from);
    String word = s.substring(from, end < 0 ? s.length() : end);
    return KEYWORDS.contains(word) || word.startsWith("X-");
  }
}
