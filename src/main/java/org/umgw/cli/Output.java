package org.umgw.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.umgw.directory.EntryProblem;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.UmServer;
import org.umgw.rules.RuleViolation;

/**
 * Renders objects as an aligned text table or as JSON. Both go through one ordered map per object,
 * so the two formats always carry the same fields under the same names.
 */
final class Output {
  /** How {@code get} and {@code validate} print. */
  enum Format {
    table,
    json
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private static final ObjectMapper JSON_LINE = new ObjectMapper();

  private Output() {}

  static Map<String, Object> view(Gateway g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", g.name());
    m.put("address", g.address().text());
    m.put("port", g.port());
    m.put("ipAddressFamily", g.ipAddressFamily().name());
    m.put("status", g.status().name());
    m.put("outcallsAllowed", g.outcallsAllowed());
    m.put("messageWaitingIndicatorAllowed", g.messageWaitingIndicatorAllowed());
    m.put("simulator", g.simulator());
    m.put("delayedSourcePartyInfoEnabled", g.delayedSourcePartyInfoEnabled());
    m.put("description", g.description());
    return m;
  }

  static Map<String, Object> view(HuntGroup h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gateway", h.gateway());
    m.put("name", h.name());
    m.put("dialPlan", h.dialPlan());
    m.put("pilotIdentifier", h.pilotIdentifier());
    m.put("description", h.description());
    return m;
  }

  static Map<String, Object> view(DialPlan d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.name());
    m.put("uriType", d.uriType().name());
    m.put("numberOfDigitsInExtension", d.numberOfDigitsInExtension());
    m.put("voipSecurity", d.voipSecurity().name());
    m.put("countryOrRegionCode", d.countryOrRegionCode());
    m.put("accessTelephoneNumbers", d.accessTelephoneNumbers());
    m.put("description", d.description());
    return m;
  }

  static Map<String, Object> view(UmServer s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("internalUrl", s.internalUrl().toString());
    m.put("description", s.description());
    return m;
  }

  static Map<String, Object> view(EntryProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dn", p.dn());
    m.put("attribute", p.attribute());
    m.put("value", p.value());
    m.put("message", p.message());
    return m;
  }

  static Map<String, Object> view(RuleViolation v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rule", v.rule().name());
    m.put("objectKind", v.object().kind().label());
    m.put("object", v.object().name());
    m.put("attribute", v.attribute());
    m.put("value", v.value());
    m.put("message", v.toString());
    return m;
  }

  static void json(PrintWriter out, Object value) {
    try {
      out.println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  /** One JSON value on one line (for streams of objects, one per line). */
  static void jsonLine(PrintWriter out, Object value) {
    try {
      out.println(JSON_LINE.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  /** Prints rows of ordered maps as a table with the given columns (keys of the maps). */
  static void table(PrintWriter out, List<Map<String, Object>> rows, String... columns) {
    List<String[]> cells = new ArrayList<>();
    cells.add(columns);
    for (Map<String, Object> row : rows) {
      String[] line = new String[columns.length];
      for (int i = 0; i < columns.length; i++) {
        Object v = row.get(columns[i]);
        line[i] =
            v == null ? "" : v instanceof List<?> l ? String.join(", ", str(l)) : v.toString();
      }
      cells.add(line);
    }
    int[] width = new int[columns.length];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].codePointCount(0, line[i].length()));
      }
    }
    for (String[] line : cells) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        s.append(line[i]);
        if (i < line.length - 1) {
          s.append(" ".repeat(width[i] - line[i].codePointCount(0, line[i].length()) + 2));
        }
      }
      out.println(s.toString().stripTrailing());
    }
  }

  private static List<String> str(List<?> values) {
    return values.stream().map(String::valueOf).toList();
  }

  /**
   * Prints {@code rows} as JSON (one object when {@code single}, else an array) or as a table of
   * {@code columns}.
   */
  static void print(
      PrintWriter out,
      Format format,
      boolean single,
      List<Map<String, Object>> rows,
      String... columns) {
    if (format == Format.json) {
      json(out, single ? rows.get(0) : rows);
    } else {
      table(out, rows, columns);
    }
  }

  /** The objects of a listing, after warning about the entries left out of it. */
  static <T> List<T> listing(PrintWriter err, org.umgw.directory.Loaded<T> loaded) {
    warnProblems(err, loaded.problems());
    return loaded.objects();
  }

  /** Warns on stderr about entries left out of a listing, so a bad entry is never silent. */
  static void warnProblems(PrintWriter err, List<EntryProblem> problems) {
    for (EntryProblem p : problems) {
      err.println("umgw: warning: skipped invalid entry " + p);
    }
  }
}
