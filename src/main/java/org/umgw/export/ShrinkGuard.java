package org.umgw.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.OptionalInt;
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
   *     percent fewer addresses than the file at {@code target}
   */
  public static void check(
      Path target, ExportFormat format, String newContent, double maxShrinkPercent) {
    OptionalInt old = countFile(target, format);
    if (old.isEmpty() || old.getAsInt() == 0) {
      return;
    }
    int before = old.getAsInt();
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

  /** The addresses of the existing file, or empty when there is none or it does not parse. */
  static OptionalInt countFile(Path target, ExportFormat format) {
    try {
      return OptionalInt.of(count(format, Files.readString(target, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return OptionalInt.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  /** Distinct addresses an export admits (for json: every peer listed). */
  public static int count(ExportFormat format, String content) {
    Set<String> addresses = new LinkedHashSet<>();
    switch (format) {
      case json -> {
        try {
          JsonNode peers = JSON.readTree(content).path("peers");
          peers.forEach(p -> addresses.add(p.path("address").asText()));
        } catch (IOException e) {
          throw new IllegalArgumentException("not the JSON of a trust list", e);
        }
      }
      case text, kamailio -> {
        for (String line : content.split("\n")) {
          String s = line.strip();
          if (!s.isEmpty() && !s.startsWith("#")) {
            String[] fields = s.split("\\s+");
            addresses.add(format == ExportFormat.text ? fields[0] : fields[1]);
          }
        }
      }
      case freeswitch -> {
        Matcher m = CIDR.matcher(content);
        while (m.find()) {
          addresses.add(m.group(1));
        }
      }
      case asterisk -> {
        for (String line : content.split("\n")) {
          if (line.startsWith("match=")) {
            for (String ip : line.substring(6).split(",")) {
              addresses.add(ip.strip());
            }
          }
        }
      }
      case nftables -> {
        boolean inElements = false;
        for (String line : content.split("\n")) {
          String s = line.strip();
          if (s.startsWith("add element ")) {
            inElements = true;
          } else if (inElements && s.equals("}")) {
            inElements = false;
          } else if (inElements && !s.isEmpty()) {
            addresses.add(s.replace(",", ""));
          }
        }
      }
    }
    return addresses.size();
  }
}
