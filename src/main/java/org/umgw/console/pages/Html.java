package org.umgw.console.pages;

/**
 * HTML built by construction, escaped by default: text and attribute values always go through
 * {@link #escape}; tag and attribute names are constants of the page code. Names in the directory
 * (gateway names, descriptions, DNS names) are untrusted, so there is no way to add unescaped text
 * from outside this class.
 */
public final class Html {
  private final StringBuilder b;

  public Html() {
    this(4096);
  }

  public Html(int capacity) {
    b = new StringBuilder(capacity);
  }

  /**
   * Opens {@code tag} with attributes given as name/value pairs; a {@code null} value leaves the
   * attribute out, an empty one writes it bare ({@code required}).
   */
  public Html open(String tag, String... attrs) {
    b.append('<').append(tag);
    attributes(attrs);
    b.append('>');
    return this;
  }

  /** A void element ({@code input}, {@code meta}, {@code link}). */
  public Html empty(String tag, String... attrs) {
    return open(tag, attrs);
  }

  public Html close(String tag) {
    b.append("</").append(tag).append('>');
    return this;
  }

  /** {@code <tag attrs>text</tag>}. */
  public Html el(String tag, Object text, String... attrs) {
    return open(tag, attrs).text(text).close(tag);
  }

  /** Escaped text; {@code null} writes nothing. */
  public Html text(Object text) {
    if (text != null) {
      escapeInto(b, String.valueOf(text));
    }
    return this;
  }

  /** A link: {@code <a href=...>text</a>}. */
  public Html link(String href, Object text, String... attrs) {
    String[] all = new String[attrs.length + 2];
    all[0] = "href";
    all[1] = href;
    System.arraycopy(attrs, 0, all, 2, attrs.length);
    return el("a", text, all);
  }

  /** Appends markup built by another {@code Html} (so itself escaped). */
  public Html add(Html other) {
    b.append(other.b);
    return this;
  }

  /** The doctype, the only markup not built from elements. */
  Html doctype() {
    b.append("<!DOCTYPE html>\n");
    return this;
  }

  private void attributes(String[] attrs) {
    if (attrs.length % 2 != 0) {
      throw new IllegalArgumentException("attributes come in name/value pairs");
    }
    for (int i = 0; i < attrs.length; i += 2) {
      String value = attrs[i + 1];
      if (value == null) {
        continue;
      }
      b.append(' ').append(attrs[i]);
      if (!value.isEmpty()) {
        b.append("=\"");
        escapeInto(b, value);
        b.append('"');
      }
    }
  }

  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    escapeInto(out, s);
    return out.toString();
  }

  private static void escapeInto(StringBuilder out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t') {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
  }

  @Override
  public String toString() {
    return b.toString();
  }
}
