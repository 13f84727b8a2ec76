package org.umgw.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Checks that our trust-list export files are accepted by what their consumers run: the real {@code
 * nft -c} for nftables, and parser-level checks of the shapes FreeSWITCH ({@code acl.conf.xml}) and
 * Asterisk ({@code pjsip.conf} identify sections) load, since neither is packaged in Debian 12.
 * Kamailio's address file is checked with the real server: see {@link Kamailio} and {@link Sipp}.
 *
 * <p>The parser checks fail with an {@link AssertionError} that names the file and what is wrong;
 * they return what the consumer would load, so a test can compare it with the expected peers.
 */
public final class ConsumerChecks {
  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern IDENTIFY_OPTION = Pattern.compile("([A-Za-z_]+)\\s*=>?\\s*(.*)");
  private static final Set<String> IDENTIFY_OPTIONS =
      Set.of("type", "endpoint", "match", "srv_lookups", "match_header", "match_request_uri");

  private ConsumerChecks() {}

  /** Exit code and combined stdout/stderr of one tool run. */
  public record ToolResult(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** One Asterisk {@code type=identify} section: {@code [name]}, its endpoint and match values. */
  public record Identify(String name, String endpoint, List<String> matches) {}

  // --- nftables ----------------------------------------------------------------------------

  /**
   * Runs {@code nft -c -f FILE}: nft parses the file and has the kernel check the whole batch (set
   * types, sizes, element syntax) without committing it. A file nft rejects gives a non-zero exit
   * code and nft's message; the caller asserts on the result.
   *
   * <p>nft resolves any element that is not an IP literal (a host name, or a typo like {@code
   * 192.0.2.300}) with the system resolver, which would send DNS queries off the machine. It is
   * therefore run as {@code unshare --net nft ...}: in a fresh network namespace, where no resolver
   * is reachable (such an element fails with "Could not resolve hostname"), and whose empty
   * nf_tables ruleset the check runs against (the host's ruleset is never read or touched).
   *
   * @throws IllegalStateException if nft or unshare is not installed
   * @throws AssertionError if nft cannot be used here at all (no CAP_SYS_ADMIN for the namespace,
   *     no CAP_NET_ADMIN or no nf_tables for netlink): a test that needs this check must then fail,
   *     never pass silently; run it as root where {@code .ci/run} runs
   */
  public static ToolResult nftCheck(Path file) {
    Path nft = requireBinary("nft", "nft not installed: run .ci/run or apt-get install nftables");
    Path unshare =
        requireBinary(
            "unshare", "unshare not installed: run .ci/run or apt-get install util-linux");
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    List<String> cmd =
        List.of(
            unshare.toString(),
            "--net",
            nft.toString(),
            "-c",
            "-f",
            file.toAbsolutePath().toString());
    ToolResult r = run(cmd, null, TOOL_TIMEOUT);
    String why = nftUnusable(r);
    if (why != null) {
      throw new AssertionError(
          "nft -c cannot run here ("
              + why
              + "), so "
              + file
              + " is unchecked: run the tests as root where nf_tables is usable, as .ci/run does"
              + (isCi() ? " (CI=true: this must not be skipped)" : "")
              + "\n$ "
              + String.join(" ", cmd)
              + "\n"
              + r.output());
    }
    return r;
  }

  /** Why a failed run says nothing about the file, or null when nft's verdict is about it. */
  private static String nftUnusable(ToolResult r) {
    if (r.ok()) {
      return null;
    }
    String out = r.output();
    if (out.contains("unshare failed")) {
      return "no new network namespace: unshare needs CAP_SYS_ADMIN";
    }
    // "netlink: Error: cache initialization failed: Operation not permitted" (no CAP_NET_ADMIN),
    // "... Protocol not supported" (no nf_tables in the kernel), and other netlink-level failures.
    if (out.startsWith("netlink:")
        || out.contains("Operation not permitted")
        || out.contains("Protocol not supported")
        || out.contains("Address family not supported by protocol")) {
      return "netlink/nf_tables unavailable";
    }
    return null;
  }

  // --- FreeSWITCH --------------------------------------------------------------------------

  /**
   * Checks a FreeSWITCH {@code acl.conf.xml} as our export writes it and returns every cidr in
   * document order:
   *
   * <pre>{@code
   * <configuration name="acl.conf" description="Network Lists">
   *   <network-lists>
   *     <list name="umgw-peers" default="deny">
   *       <node type="allow" cidr="192.0.2.10/32"/>
   *       <node type="allow" cidr="2001:db8::1/128"/>
   *     </list>
   *   </network-lists>
   * </configuration>
   * }</pre>
   *
   * <p>Well-formed XML (no DOCTYPE: the parser refuses one), root {@code configuration} with {@code
   * name="acl.conf"}, exactly one {@code network-lists}, at least one {@code list} with a unique
   * non-empty {@code name} and {@code default="deny"}, and in a list only {@code node} elements
   * with exactly the attributes {@code type="allow"} and {@code cidr}: an IPv4 literal with {@code
   * /32} or an IPv6 literal with {@code /128} (an IPv4-mapped IPv6 address counts as IPv6). A list
   * with no node is accepted (an empty trust list denies everything).
   *
   * @throws AssertionError naming the file and the first thing wrong
   */
  public static List<String> freeswitchAclWellFormed(Path file) {
    Document doc = parseXml(file);
    Element root = doc.getDocumentElement();
    String where = file + ": ";
    check(
        "configuration".equals(root.getTagName()),
        where + "root element is <" + root.getTagName() + ">, expected <configuration>");
    check(
        "acl.conf".equals(root.getAttribute("name")),
        where + "<configuration> has name=\"" + root.getAttribute("name") + "\", not acl.conf");
    List<Element> top = childElements(root, where + "<configuration>");
    check(
        top.size() == 1 && "network-lists".equals(top.get(0).getTagName()),
        where + "<configuration> must hold exactly one <network-lists>, holds " + names(top));
    List<Element> lists = childElements(top.get(0), where + "<network-lists>");
    check(!lists.isEmpty(), where + "<network-lists> holds no <list>");
    List<String> cidrs = new ArrayList<>();
    Set<String> listNames = new HashSet<>();
    for (Element list : lists) {
      check("list".equals(list.getTagName()), where + "unexpected <" + list.getTagName() + ">");
      String name = list.getAttribute("name");
      check(!name.isBlank(), where + "a <list> has no name");
      check(listNames.add(name), where + "two lists named " + name);
      String in = where + "list " + name + ": ";
      check(
          "deny".equals(list.getAttribute("default")),
          in + "default=\"" + list.getAttribute("default") + "\", expected deny");
      for (Element node : childElements(list, in)) {
        check("node".equals(node.getTagName()), in + "unexpected <" + node.getTagName() + ">");
        NamedNodeMap attrs = node.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
          String attr = attrs.item(i).getNodeName();
          check(
              attr.equals("type") || attr.equals("cidr"),
              in + "<node> has attribute " + attr + " (only type and cidr are expected)");
        }
        check(
            "allow".equals(node.getAttribute("type")),
            in + "<node> type=\"" + node.getAttribute("type") + "\", expected allow");
        check(node.hasAttribute("cidr"), in + "<node> without cidr");
        String cidr = node.getAttribute("cidr");
        checkHostCidr(cidr, in);
        cidrs.add(cidr);
      }
    }
    return cidrs;
  }

  private static void checkHostCidr(String cidr, String where) {
    int slash = cidr.indexOf('/');
    check(slash > 0, where + "cidr \"" + cidr + "\" has no /prefix");
    String ip = cidr.substring(0, slash);
    String prefix = cidr.substring(slash + 1);
    InetAddress address = ipLiteral(ip, where + "cidr \"" + cidr + "\"");
    boolean six = ip.contains(":");
    String expected = six ? "128" : "32";
    check(
        prefix.equals(expected),
        where
            + "cidr \""
            + cidr
            + "\": a single "
            + (six ? "IPv6" : "IPv4")
            + " host needs /"
            + expected);
    check(six || address instanceof Inet4Address, where + "cidr \"" + cidr + "\" is not IPv4");
  }

  private static Document parseXml(Path file) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      f.setXIncludeAware(false);
      f.setExpandEntityReferences(false);
      f.setNamespaceAware(false);
      DocumentBuilder b = f.newDocumentBuilder();
      b.setErrorHandler(new DefaultHandler()); // no "[Fatal Error]" on stderr; errors still throw
      return b.parse(file.toFile());
    } catch (SAXException e) {
      throw new AssertionError(file + ": not well-formed XML: " + e.getMessage(), e);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("JDK XML parser lacks a secure-processing feature", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<Element> childElements(Element parent, String where) {
    List<Element> out = new ArrayList<>();
    NodeList children = parent.getChildNodes();
    for (int i = 0; i < children.getLength(); i++) {
      Node n = children.item(i);
      switch (n.getNodeType()) {
        case Node.ELEMENT_NODE -> out.add((Element) n);
        case Node.TEXT_NODE ->
            check(
                n.getNodeValue().isBlank(),
                where + " holds text \"" + n.getNodeValue().strip() + "\"");
        case Node.COMMENT_NODE -> {
          // Comments are fine.
        }
        default -> throw new AssertionError(where + " holds unexpected " + n.getNodeName());
      }
    }
    return out;
  }

  private static String names(List<Element> elements) {
    return elements.stream().map(e -> "<" + e.getTagName() + ">").toList().toString();
  }

  // --- Asterisk ----------------------------------------------------------------------------

  /**
   * Checks an Asterisk {@code pjsip.conf} fragment of {@code type=identify} sections and returns
   * every match address in file order (as written, duplicates kept).
   *
   * @see #asteriskIdentifySections(Path)
   */
  public static List<String> asteriskIdentifyParses(Path file) {
    return asteriskIdentifySections(file).stream().flatMap(s -> s.matches().stream()).toList();
  }

  /**
   * Parses a {@code pjsip.conf} fragment the way Asterisk's config loader and the identify object
   * see it, for files that only hold our identify sections:
   *
   * <pre>
   * ; comment
   * [gw1-identify]
   * type=identify
   * endpoint=gw1
   * match=192.0.2.10,2001:db8::1
   * match=192.0.2.11
   * </pre>
   *
   * <p>{@code ;} starts a comment ({@code \;} is a literal semicolon); {@code key=value} and {@code
   * key => value} are both accepted; {@code match} may repeat and holds comma-separated values.
   * Each section must be {@code type=identify} with exactly one non-empty {@code endpoint} and at
   * least one {@code match}; section names must be unique (sorcery ids), options must be identify
   * options (Asterisk rejects the object otherwise), and every match value must be an IP literal,
   * optionally with {@code /32} (IPv4) or {@code /128} (IPv6): host names would be resolved once at
   * load, which is what our export exists to avoid. A file with no section (comments only) is an
   * empty list.
   *
   * @throws AssertionError naming the file, line and the first thing wrong
   */
  public static List<Identify> asteriskIdentifySections(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    String currentName = null;
    for (int i = 0; i < lines.size(); i++) {
      String where = file + ":" + (i + 1) + ": ";
      String line = stripAsteriskComment(lines.get(i)).strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("[")) {
        int close = line.indexOf(']');
        check(close > 1, where + "bad section header \"" + line + "\"");
        check(
            line.substring(close + 1).isBlank(),
            where + "template or text after the section header: \"" + line + "\"");
        currentName = line.substring(1, close).strip();
        check(!currentName.isEmpty(), where + "empty section name");
        check(!sections.containsKey(currentName), where + "section [" + currentName + "] twice");
        current = new LinkedHashMap<>();
        sections.put(currentName, current);
        continue;
      }
      check(current != null, where + "option outside any section: \"" + line + "\"");
      Matcher m = IDENTIFY_OPTION.matcher(line);
      check(m.matches(), where + "not a key=value line: \"" + line + "\"");
      String key = m.group(1).toLowerCase(Locale.ROOT);
      check(
          IDENTIFY_OPTIONS.contains(key),
          where + "[" + currentName + "]: " + key + " is not an identify option");
      current.computeIfAbsent(key, k -> new ArrayList<>()).add(m.group(2).strip());
    }
    List<Identify> out = new ArrayList<>();
    for (Map.Entry<String, Map<String, List<String>>> s : sections.entrySet()) {
      String where = file + ": [" + s.getKey() + "]: ";
      Map<String, List<String>> opts = s.getValue();
      check(
          List.of("identify").equals(opts.get("type")),
          where + "type must be identify once, is " + opts.get("type"));
      List<String> endpoint = opts.getOrDefault("endpoint", List.of());
      check(
          endpoint.size() == 1 && !endpoint.get(0).isEmpty(),
          where + "needs exactly one non-empty endpoint, has " + endpoint);
      List<String> matches = new ArrayList<>();
      for (String value : opts.getOrDefault("match", List.of())) {
        for (String item : value.split(",", -1)) {
          String a = item.strip();
          check(!a.isEmpty(), where + "empty value in match=" + value);
          checkMatchAddress(a, where);
          matches.add(a);
        }
      }
      check(!matches.isEmpty(), where + "no match");
      out.add(new Identify(s.getKey(), endpoint.get(0), List.copyOf(matches)));
    }
    return out;
  }

  private static void checkMatchAddress(String value, String where) {
    int slash = value.indexOf('/');
    String ip = slash < 0 ? value : value.substring(0, slash);
    InetAddress a = ipLiteral(ip, where + "match " + value);
    if (slash >= 0) {
      String expected = ip.contains(":") ? "128" : "32";
      check(
          value.substring(slash + 1).equals(expected),
          where + "match " + value + ": a single host needs /" + expected + " or no prefix");
    }
    check(ip.contains(":") || a instanceof Inet4Address, where + "match " + value + " is not IPv4");
  }

  private static String stripAsteriskComment(String line) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == ';') {
        sb.append(';');
        i++;
      } else if (c == ';') {
        break;
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  // --- shared helpers ----------------------------------------------------------------------

  /** An IP literal, never a name lookup; brackets and zone ids are refused. */
  private static InetAddress ipLiteral(String text, String what) {
    check(
        !text.isEmpty() && !text.contains("[") && !text.contains("%"),
        what + ": not a plain IP literal");
    try {
      return InetAddresses.forString(text);
    } catch (IllegalArgumentException e) {
      throw new AssertionError(what + ": \"" + text + "\" is not an IP literal", e);
    }
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new AssertionError(message);
    }
  }

  static boolean isCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Runs a command (stdin from /dev/null, stderr into stdout) and waits for it. */
  static ToolResult run(List<String> cmd, Path dir, Duration timeout) {
    try {
      Path out = Files.createTempFile("umgw-tool-", ".out");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        if (dir != null) {
          pb.directory(dir.toFile());
        }
        Process p = pb.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor();
          throw new IllegalStateException(
              "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", cmd));
        }
        return new ToolResult(p.exitValue(), Files.readString(out, UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + cmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }

  /** Finds an executable on PATH or in the sbin directories a non-root PATH may lack. */
  static Path requireBinary(String name, String notInstalled) {
    return ServerProcess.requireBinary(name, notInstalled);
  }
}
