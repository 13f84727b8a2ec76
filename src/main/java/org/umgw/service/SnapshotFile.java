package org.umgw.service;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.net.InetAddresses;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntryMappingException;
import org.umgw.export.AtomicFileWriter;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UmServer;
import org.umgw.model.UmgwException;
import org.umgw.trust.NameKey;
import org.umgw.trust.ResolvedName;
import org.umgw.trust.TrustSnapshot;

/**
 * The on-disk copy of the last good trust snapshot: the directory objects (as the LDAP entries
 * {@link EntryMapper} writes, so reading them back runs the same checks as reading the directory)
 * and the DNS answers they resolved to. A SIP server that restarts while the directory is down
 * starts from it and still admits its peers. Package-private: only the service reads and writes it
 * ({@code TrustService.Builder.snapshotFile}).
 *
 * <p>The file is JSON, replaced atomically ({@link AtomicFileWriter}), so a crash leaves the old
 * copy or the new one, never half of one:
 *
 * <pre>{@code
 * {"format":"umgw-trust-snapshot","version":1,"savedAt":"2026-11-25T01:00:00Z",
 *  "source":"ldap://127.0.0.1:389","baseDn":"dc=umgw,dc=example",
 *  "entries":[{"dn":"cn=gw1,ou=gateways,dc=umgw,dc=example","attributes":{"cn":["gw1"],...}}],
 *  "names":[{"name":"gw1.example.test","family":"Any","addresses":["192.0.2.10"]}]}
 * }</pre>
 */
final class SnapshotFile {
  static final String FORMAT = "umgw-trust-snapshot";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;
  private final EntryMapper mapper;

  /** What a saved copy holds. */
  public record Saved(
      DirectoryContents contents,
      Map<NameKey, ResolvedName> names,
      Instant savedAt,
      String source) {
    public Saved {
      requireNonNull(contents, "contents == null");
      names = Map.copyOf(names);
      requireNonNull(savedAt, "savedAt == null");
      requireNonNull(source, "source == null");
    }
  }

  public SnapshotFile(Path path, DirectoryLayout layout) {
    this.path = requireNonNull(path, "path == null");
    this.mapper = new EntryMapper(requireNonNull(layout, "layout == null"));
  }

  public Path path() {
    return path;
  }

  /**
   * Replaces the file with {@code snapshot}.
   *
   * @throws UmgwException naming the file when it cannot be written; the old copy then stays
   */
  public void save(TrustSnapshot snapshot, String source, Instant savedAt) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("savedAt", savedAt.toString());
    root.put("source", source);
    root.put("baseDn", mapper.layout().base().toString());
    ArrayNode entries = root.putArray("entries");
    DirectoryContents c = snapshot.contents();
    c.dialPlans().forEach(d -> addEntry(entries, mapper.toEntry(d)));
    c.gateways().forEach(g -> addEntry(entries, mapper.toEntry(g)));
    c.huntGroups().forEach(h -> addEntry(entries, mapper.toEntry(h)));
    c.servers().forEach(s -> addEntry(entries, mapper.toEntry(s)));
    ArrayNode names = root.putArray("names");
    List<Map.Entry<NameKey, ResolvedName>> sorted = new ArrayList<>(snapshot.resolved().entrySet());
    sorted.sort(Comparator.comparing(e -> e.getKey().toString()));
    for (Map.Entry<NameKey, ResolvedName> e : sorted) {
      if (e.getValue().addresses().isEmpty()) {
        continue;
      }
      ObjectNode n = names.addObject();
      n.put("name", e.getKey().name());
      n.put("family", e.getKey().family().name());
      ArrayNode a = n.putArray("addresses");
      e.getValue().addresses().forEach(ip -> a.add(InetAddresses.toAddrString(ip)));
    }
    try {
      byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
      AtomicFileWriter.write(path, bytes);
    } catch (IOException e) {
      throw new UmgwException("cannot write the trust snapshot copy " + path + ": " + e, e);
    }
  }

  /**
   * Reads the copy back.
   *
   * @return empty-handed callers get {@link java.util.Optional#empty()} when there is no file yet
   * @throws UmgwException naming the file and what is wrong when it exists but cannot be used
   */
  public java.util.Optional<Saved> load() {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(path));
    } catch (NoSuchFileException e) {
      return java.util.Optional.empty();
    } catch (IOException e) {
      throw new UmgwException("cannot read the trust snapshot copy " + path + ": " + e, e);
    }
    try {
      return java.util.Optional.of(parse(root));
    } catch (RuntimeException e) {
      throw new UmgwException(
          "the trust snapshot copy " + path + " is not usable: " + e.getMessage(), e);
    }
  }

  private Saved parse(JsonNode root) {
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw new IllegalArgumentException("not a " + FORMAT + " file");
    }
    if (root.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException(
          "version " + root.path("version") + " is not supported (expected " + VERSION + ")");
    }
    String base = root.path("baseDn").asText();
    if (!DirectoryLayout.of(base).equals(mapper.layout())) {
      throw new IllegalArgumentException(
          "it was saved for base DN \"" + base + "\", not " + mapper.layout().base());
    }
    List<DialPlan> dialPlans = new ArrayList<>();
    List<Gateway> gateways = new ArrayList<>();
    List<HuntGroup> huntGroups = new ArrayList<>();
    List<UmServer> servers = new ArrayList<>();
    for (JsonNode e : root.path("entries")) {
      Entry entry = new Entry(e.path("dn").asText());
      for (Iterator<Map.Entry<String, JsonNode>> it = e.path("attributes").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> a = it.next();
        List<String> values = new ArrayList<>();
        a.getValue().forEach(v -> values.add(v.asText()));
        entry.addAttribute(new Attribute(a.getKey(), values));
      }
      try {
        switch (EntryMapper.kindOf(entry)
            .orElseThrow(
                () -> new IllegalArgumentException(entry.getDN() + ": not a umgw object"))) {
          case GATEWAY -> gateways.add(mapper.gateway(entry));
          case HUNT_GROUP -> huntGroups.add(mapper.huntGroup(entry));
          case DIAL_PLAN -> dialPlans.add(mapper.dialPlan(entry));
          case SERVER -> servers.add(mapper.server(entry));
        }
      } catch (EntryMappingException ex) {
        throw new IllegalArgumentException(ex.problem().toString(), ex);
      }
    }
    Map<NameKey, ResolvedName> names = new HashMap<>();
    for (JsonNode n : root.path("names")) {
      NameKey key =
          new NameKey(n.path("name").asText(), IpAddressFamily.valueOf(n.path("family").asText()));
      List<InetAddress> addresses = new ArrayList<>();
      for (JsonNode a : n.path("addresses")) {
        addresses.add(InetAddresses.forString(a.asText()));
      }
      names.put(key, new ResolvedName(addresses, true));
    }
    return new Saved(
        new DirectoryContents(dialPlans, gateways, huntGroups, servers),
        names,
        Instant.parse(root.path("savedAt").asText()),
        root.path("source").asText());
  }

  private static void addEntry(ArrayNode entries, Entry entry) {
    ObjectNode e = entries.addObject();
    e.put("dn", entry.getDN());
    ObjectNode attributes = e.putObject("attributes");
    for (Attribute a : entry.getAttributes()) {
      ArrayNode values = attributes.putArray(a.getName());
      for (String v : a.getValues()) {
        values.add(v);
      }
    }
  }
}
