package org.umgw.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.umgw.events.Event;
import org.umgw.model.Gateway;
import org.umgw.trust.Peer;
import org.umgw.trust.PeerMember;

/**
 * Renders a {@link TrustList} in each format. Every allow-list format admits exactly the addresses
 * of {@link TrustList#allowed()}, in the order of the list (IPv4 first, numerically).
 */
public final class Renderer {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Renderer() {}

  public static String render(ExportFormat format, TrustList list, ExportOptions options) {
    return switch (format) {
      case json -> json(list);
      case text -> text(list);
      case kamailio -> kamailio(list, options);
      case freeswitch -> freeswitch(list, options);
      case asterisk -> asterisk(list, options);
      case nftables -> nftables(list, options);
    };
  }

  private static String header(String comment, TrustList list, String format) {
    return comment
        + " umgw trusted SIP peers ("
        + format
        + "), generated "
        + list.generatedAt()
        + "\n"
        + comment
        + " "
        + list.allowed().size()
        + " addresses; Disabled gateways left out, NoNewCalls kept. Do not edit: the nightly"
        + " export replaces this file.\n";
  }

  static String json(TrustList list) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("generatedAt", list.generatedAt().toString());
    List<Map<String, Object>> peers = new ArrayList<>();
    for (Peer p : list.peers()) {
      peers.add(view(p));
    }
    doc.put("peers", peers);
    List<Map<String, Object>> events = new ArrayList<>();
    for (Event e : list.events()) {
      Map<String, Object> m = e.toMap();
      m.remove("time");
      events.add(m);
    }
    doc.put("events", events);
    try {
      return JSON.writeValueAsString(doc) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the trust list as JSON", e);
    }
  }

  /** The JSON shape of one peer (interface.md). */
  public static Map<String, Object> view(Peer p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", p.addressText());
    m.put("family", p.family());
    m.put("port", p.port());
    m.put("transport", p.transport().name());
    m.put("gateways", p.gatewayNames());
    m.put("servers", p.servers());
    m.put("fqdns", p.fqdns());
    m.put("status", p.status().name());
    m.put("stale", p.stale());
    List<Map<String, Object>> members = new ArrayList<>();
    for (PeerMember pm : p.members()) {
      members.add(view(pm));
    }
    m.put("members", members);
    return m;
  }

  /** One gateway's or server's own values on an IP (the IP-wide fields above summarize them). */
  private static Map<String, Object> view(PeerMember pm) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", pm.kind().name().toLowerCase(java.util.Locale.ROOT));
    m.put("name", pm.name());
    m.put("status", pm.status().name());
    m.put("transport", pm.transport().name());
    m.put("port", pm.port());
    m.put("fqdn", pm.fqdn());
    m.put("allowListed", pm.allowListed());
    return m;
  }

  static String text(TrustList list) {
    StringBuilder out = new StringBuilder(header("#", list, "text"));
    for (Peer p : list.allowed()) {
      out.append(p.addressText()).append('\n');
    }
    return out.toString();
  }

  /** Kamailio permissions address file: {@code grp ip mask port tag}, port 0 = any. */
  static String kamailio(TrustList list, ExportOptions options) {
    StringBuilder out = new StringBuilder(header("#", list, "kamailio permissions address file"));
    out.append(
            "# group ip_addr mask port tag; load with modparam(\"permissions\", \"address_file\",")
        .append(" ...), reload with the RPC permissions.addressReload\n");
    for (Peer p : list.allowed()) {
      out.append(options.kamailioGroup())
          .append(' ')
          .append(p.addressText())
          .append(' ')
          .append(p.family().equals("IPv4") ? 32 : 128)
          .append(" 0 ")
          .append(tag(p))
          .append('\n');
    }
    return out.toString();
  }

  /**
   * The name of the first allow-listed member (gateways by name, then servers), reduced to
   * characters safe in every format: never a Disabled gateway's name on an IP a server keeps.
   */
  static String tag(Peer p) {
    String name =
        p.members().stream()
            .filter(PeerMember::allowListed)
            .findFirst()
            .orElse(p.members().get(0))
            .name();
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      s.append(
          c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_') ? c : '_');
    }
    return s.toString();
  }

  static String freeswitch(TrustList list, ExportOptions options) {
    StringBuilder out = new StringBuilder();
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.append("<!--")
        .append(xmlComment(header("", list, "FreeSWITCH acl.conf.xml")))
        .append("-->\n");
    out.append("<configuration name=\"acl.conf\" description=\"Network Lists\">\n");
    out.append("  <network-lists>\n");
    out.append("    <list name=\"").append(options.listName()).append("\" default=\"deny\">\n");
    for (Peer p : list.allowed()) {
      out.append("      <!--").append(xmlComment(" " + names(p) + " ")).append("-->\n");
      out.append("      <node type=\"allow\" cidr=\"")
          .append(p.addressText())
          .append(p.family().equals("IPv4") ? "/32" : "/128")
          .append("\"/>\n");
    }
    out.append("    </list>\n  </network-lists>\n</configuration>\n");
    return out.toString();
  }

  /** XML comments may not contain "--": names are free text. */
  private static String xmlComment(String text) {
    String s = text.replace("--", "- -").replace("\n", " ").strip();
    return " " + (s.endsWith("-") ? s + " " : s) + " ";
  }

  private static String names(Peer p) {
    List<String> all = new ArrayList<>();
    for (PeerMember m : p.members()) {
      all.add(
          m.kind() == PeerMember.Kind.SERVER
              ? "server " + m.name()
              : m.allowListed() ? m.name() : m.name() + " (Disabled)");
    }
    return String.join(", ", all);
  }

  /**
   * Asterisk pjsip.conf: one {@code type=identify} section per gateway or server. Asterisk takes an
   * address from one identify section only, so an IP shared by several (event 1175) is matched by
   * its first gateway by name that is not Disabled, and the others are named in a comment.
   */
  static String asterisk(TrustList list, ExportOptions options) {
    StringBuilder out =
        new StringBuilder(header(";", list, "Asterisk pjsip.conf identify sections"));
    out.append("; Each section's endpoint must be defined elsewhere in pjsip.conf.\n");
    TreeMap<String, List<String>> byEndpoint = new TreeMap<>();
    TreeMap<String, List<String>> shared = new TreeMap<>();
    for (Peer p : list.allowed()) {
      List<String> owners = new ArrayList<>();
      for (Gateway g : p.gateways()) {
        if (g.status() != org.umgw.model.GatewayStatus.Disabled) {
          owners.add(section(g.name()));
        }
      }
      for (String s : p.servers()) {
        owners.add(section(s));
      }
      byEndpoint.computeIfAbsent(owners.get(0), k -> new ArrayList<>()).add(p.addressText());
      if (owners.size() > 1) {
        shared
            .computeIfAbsent(owners.get(0), k -> new ArrayList<>())
            .add(
                p.addressText()
                    + " also reaches "
                    + String.join(", ", owners.subList(1, owners.size())));
      }
    }
    for (Map.Entry<String, List<String>> e : byEndpoint.entrySet()) {
      out.append('\n');
      for (String note : shared.getOrDefault(e.getKey(), List.of())) {
        out.append("; ").append(note).append(" (event 1175)\n");
      }
      out.append('[')
          .append(options.listName())
          .append('-')
          .append(e.getKey())
          .append("]\n")
          .append("type=identify\n")
          .append("endpoint=")
          .append(e.getKey())
          .append('\n')
          .append("match=")
          .append(String.join(",", e.getValue()))
          .append('\n');
    }
    return out.toString();
  }

  private static String section(String name) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      s.append(
          c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_') ? c : '_');
    }
    return s.toString();
  }

  /**
   * nftables: declares the table and its two sets (a no-op when they exist), flushes them and adds
   * the elements. {@code nft -f} applies the file as one transaction, so the firewall never sees a
   * half-filled set, and rules elsewhere that use {@code @trusted_peers_v4} keep working.
   */
  static String nftables(TrustList list, ExportOptions options) {
    String table = options.listName();
    StringBuilder out = new StringBuilder(header("#", list, "nftables"));
    out.append(
        "# Use in rules: ip saddr @trusted_peers_v4 accept; ip6 saddr @trusted_peers_v6 accept\n");
    out.append("table inet ").append(table).append(" {\n");
    out.append("  set trusted_peers_v4 {\n    type ipv4_addr\n  }\n");
    out.append("  set trusted_peers_v6 {\n    type ipv6_addr\n  }\n");
    out.append("}\n");
    out.append("flush set inet ").append(table).append(" trusted_peers_v4\n");
    out.append("flush set inet ").append(table).append(" trusted_peers_v6\n");
    List<String> v4 = new ArrayList<>();
    List<String> v6 = new ArrayList<>();
    for (Peer p : list.allowed()) {
      (p.family().equals("IPv4") ? v4 : v6).add(p.addressText());
    }
    elements(out, table, "trusted_peers_v4", v4);
    elements(out, table, "trusted_peers_v6", v6);
    return out.toString();
  }

  private static void elements(StringBuilder out, String table, String set, List<String> ips) {
    if (ips.isEmpty()) {
      return;
    }
    out.append("add element inet ").append(table).append(' ').append(set).append(" {\n");
    for (int i = 0; i < ips.size(); i++) {
      out.append("  ").append(ips.get(i)).append(i < ips.size() - 1 ? ",\n" : "\n");
    }
    out.append("}\n");
  }
}
