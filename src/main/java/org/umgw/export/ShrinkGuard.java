package org.umgw.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.umgw.model.UmgwException;

/**
 * Refuses to replace a trust-list file by one with many fewer addresses: a directory or DNS outage
 * must not empty the firewalls overnight. Both files are counted by the same parser, so the
 * comparison holds whatever the format.
 */
public final class ShrinkGuard {
  private static final Pattern CIDR = Pattern.compile("cidr=\"([^\"/]+)/");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ShrinkGuard() {}

  /** A replacement the guard refused. */
  public static final class ShrinkRefusedException extends UmgwException {
    private static final long serialVersionUID = 1L;

    ShrinkRefusedException(String message) {
      super(message);
    }
  }

  /**
   * @param maxShrinkPercent the largest loss allowed, in percent of the old count
   * @throws ShrinkRefusedException when {@code newContent} has more than {@code maxShrinkPercent}
   *     percent fewer addresses than the file at {@code target}, or when the file at {@code target}
   *     cannot be read or is not a trust list in {@code format} (the guard fails closed: it cannot
   *     tell how much smaller the new list is)
   */
  public static void check(
      Path target, ExportFormat format, String newContent, double maxShrinkPercent) {
    String previous;
    try {
      previous = Files.readString(target, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw foreign(target, "cannot read it (" + e + ")");
    }
    int before;
    try {
      before = count(format, previous);
    } catch (IllegalArgumentException e) {
      throw foreign(target, "it is not a " + format + " trust list (" + e.getMessage() + ")");
    }
    if (before == 0) {
      return;
    }
    int after = count(format, newContent);
    double lost = 100.0 * (before - after) / before;
    if (lost > maxShrinkPercent) {
      throw new ShrinkRefusedException(
          String.format(
              "refusing to replace %s: the new trust list has %d addresses, %d fewer than the %d"
                  + " of the current file (%.1f%% smaller, more than --max-shrink %s%%); the"
                  + " current file is left as it is. Check the directory and DNS, or pass"
                  + " --allow-shrink",
              target,
              after,
              before - after,
              before,
              lost,
              maxShrinkPercent % 1 == 0
                  ? Integer.toString((int) maxShrinkPercent)
                  : Double.toString(maxShrinkPercent)));
    }
  }

  private static ShrinkRefusedException foreign(Path target, String reason) {
    return new ShrinkRefusedException(
        "refusing to replace "
            + target
            + ": "
            + reason
            + ", so the shrink guard cannot count the addresses it admits; the current file is"
            + " left as it is. Check what wrote it (another format, another tool?), or pass"
            + " --allow-shrink to replace it anyway");
  }

  /**
   * Distinct addresses an export admits (for json: every peer listed).
   *
   * @throws IllegalArgumentException naming the line and the value when {@code content} is not a
   *     trust list in {@code format}: every line must have the format's shape and every address
   *     must be an IP literal
   */
  public static int count(ExportFormat format, String content) {
    Set<String> addresses = new LinkedHashSet<>();
    String[] lines = content.split("\n", -1);
    switch (format) {
      case json -> {
        JsonNode root;
        try {
          root = JSON.readTree(content);
        } catch (IOException e) {
          throw new IllegalArgumentException("not JSON", e);
        }
        if (root == null || !root.path("peers").isArray()) {
          throw new IllegalArgumentException("no \"peers\" list");
        }
        for (JsonNode p : root.path("peers")) {
          addresses.add(ip(p.path("address").asText(), "peer " + p));
        }
      }
      case text -> {
        for (int i = 0; i < lines.length; i++) {
          String s = lines[i].strip();
          if (!s.isEmpty() && !s.startsWith("#")) {
            addresses.add(ip(s, line(i, s)));
          }
        }
      }
      case kamailio -> {
        for (int i = 0; i < lines.length; i++) {
          String s = lines[i].strip();
          if (!s.isEmpty() && !s.startsWith("#")) {
            String[] f = s.split("\\s+");
            if (f.length < 4
                || f.length > 5
                || !f[0].matches("\\d+")
                || !f[2].matches("\\d+")
                || !f[3].matches("\\d+")) {
              throw new IllegalArgumentException(line(i, s) + ": not \"group ip mask port tag\"");
            }
            addresses.add(ip(f[1], line(i, s)));
          }
        }
      }
      case freeswitch -> {
        if (!content.strip().startsWith("<") || !content.contains("<network-lists>")) {
          throw new IllegalArgumentException("not XML with <network-lists>");
        }
        Matcher m = CIDR.matcher(content);
        while (m.find()) {
          addresses.add(ip(m.group(1), "cidr \"" + m.group(1) + "\""));
        }
      }
      case asterisk -> {
        for (int i = 0; i < lines.length; i++) {
          String s = lines[i].strip();
          if (s.isEmpty() || s.startsWith(";")) {
            continue;
          }
          if (s.startsWith("match=")) {
            for (String ip : s.substring(6).split(",")) {
              addresses.add(ip(ip.strip(), line(i, s)));
            }
          } else if (!s.matches("\\[[^]]+\\].*") && !s.matches("[A-Za-z_][\\w.-]*\\s*=.*")) {
            throw new IllegalArgumentException(line(i, s) + ": neither [section] nor key=value");
          }
        }
      }
      case nftables -> {
        boolean inElements = false;
        for (int i = 0; i < lines.length; i++) {
          String s = lines[i].strip();
          if (s.isEmpty() || s.startsWith("#")) {
            continue;
          }
          if (s.startsWith("add element ")) {
            inElements = true;
          } else if (inElements && s.equals("}")) {
            inElements = false;
          } else if (inElements) {
            addresses.add(ip(s.replace(",", "").strip(), line(i, s)));
          } else if (!NFT_STATEMENT.matcher(s).lookingAt()) {
            throw new IllegalArgumentException(line(i, s) + ": not an nftables statement");
          }
        }
      }
    }
    return addresses.size();
  }

  private static final Pattern NFT_STATEMENT =
      Pattern.compile("(table|set|type|flags|elements|flush|add|delete|chain|\\}|\\{)\\b|\\}");

  private static String line(int index, String text) {
    return "line "
        + (index + 1)
        + " \""
        + (text.length() > 60 ? text.substring(0, 60) + "..." : text)
        + "\"";
  }

  /** {@code value} when it is an IPv4 or IPv6 literal (never resolved). */
  private static String ip(String value, String where) {
    if (!InetAddresses.isInetAddress(value)) {
      throw new IllegalArgumentException(
          where + (where.contains(value) ? "" : " \"" + value + "\"") + ": not an IP address");
    }
    return value;
  }
}
