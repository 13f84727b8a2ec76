package org.umgw.dns;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.IpAddressFamily;

/**
 * Hosts files ({@code /etc/hosts} format) consulted before DNS, re-read when one changes.
 *
 * <p>Every line naming a host counts, across all files: a name on two lines has both addresses
 * (dnsjava's {@code HostsFileParser} keeps only the first, which is why this class exists). A name
 * answers a lookup when it has an address of the wanted family; for {@code Any} any address will
 * do, as glibc's {@code files} source does, so a host pinned to one IPv4 address is not mixed with
 * IPv6 addresses from DNS. Changes are noticed by size and modification time, checked at most once
 * per {@link #RECHECK_NANOS}, so bulk lookups cost no {@code stat} per name. A missing or
 * unreadable file counts as empty (logged once per change).
 */
final class HostsFiles {
  private static final Logger log = LoggerFactory.getLogger(HostsFiles.class);

  /** How often, at most, the files' sizes and times are checked: one second. */
  static final long RECHECK_NANOS = 1_000_000_000L;

  /** The addresses of one name, each family sorted by byte value without duplicates. */
  record Entry(List<InetAddress> ipv6, List<InetAddress> ipv4) {
    List<InetAddress> select(IpAddressFamily family) {
      return switch (family) {
        case IPv4Only -> ipv4;
        case IPv6Only -> ipv6;
        case Any -> {
          List<InetAddress> all = new ArrayList<>(ipv6);
          all.addAll(ipv4);
          yield all;
        }
      };
    }
  }

  private record Stamp(long size, FileTime modified) {}

  private final List<Path> files;
  private final LongSupplier nanoClock;
  private volatile Map<String, Entry> entries = Map.of();
  private List<Stamp> stamps;
  private long checkedAt;
  private boolean checkedOnce;

  HostsFiles(List<Path> files, LongSupplier nanoClock) {
    this.files = List.copyOf(files);
    this.nanoClock = nanoClock;
  }

  boolean isEmpty() {
    return files.isEmpty();
  }

  /**
   * The addresses of the wanted family for {@code name} (any case, trailing dot optional); empty
   * when the files have none.
   */
  List<InetAddress> lookup(String name, IpAddressFamily family) {
    if (files.isEmpty()) {
      return List.of();
    }
    refreshIfChanged();
    Entry e = entries.get(normalize(name));
    return e == null ? List.of() : e.select(family);
  }

  static String normalize(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  private synchronized void refreshIfChanged() {
    long now = nanoClock.getAsLong();
    if (checkedOnce && now - checkedAt < RECHECK_NANOS) {
      return;
    }
    checkedOnce = true;
    checkedAt = now;
    List<Stamp> current = new ArrayList<>();
    for (Path f : files) {
      current.add(stamp(f));
    }
    if (current.equals(stamps)) {
      return;
    }
    stamps = current;
    entries = parseAll();
  }

  private static Stamp stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(a.size(), a.lastModifiedTime());
    } catch (IOException e) {
      return new Stamp(-1, null);
    }
  }

  /** The addresses of one name while the files are read. */
  private static final class Sets {
    final TreeSet<InetAddress> ipv6 = new TreeSet<>(DnsResolver.BYTE_ORDER);
    final TreeSet<InetAddress> ipv4 = new TreeSet<>(DnsResolver.BYTE_ORDER);
  }

  private Map<String, Entry> parseAll() {
    Map<String, Sets> map = new HashMap<>();
    for (Path file : files) {
      List<String> lines;
      try {
        // Decoded leniently: bytes that are not UTF-8 (a Latin-1 comment, a stray byte) spoil
        // their own line only, where a strict decoder would throw away the whole file.
        lines = new String(Files.readAllBytes(file), UTF_8).lines().toList();
      } catch (NoSuchFileException e) {
        log.warn("hosts file {} does not exist: ignored", file);
        continue;
      } catch (IOException e) {
        log.warn("hosts file {} cannot be read: ignored ({})", file, e.toString());
        continue;
      }
      int lineNo = 0;
      for (String raw : lines) {
        lineNo++;
        parseLine(file, lineNo, raw, map);
      }
    }
    Map<String, Entry> result = new HashMap<>();
    map.forEach(
        (name, sets) ->
            result.put(name, new Entry(List.copyOf(sets.ipv6), List.copyOf(sets.ipv4))));
    return Map.copyOf(result);
  }

  private static void parseLine(Path file, int lineNo, String raw, Map<String, Sets> map) {
    int hash = raw.indexOf('#');
    String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
    if (line.isEmpty()) {
      return;
    }
    String[] fields = line.split("\\s+");
    String literal = fields[0];
    int percent = literal.indexOf('%');
    if (percent >= 0) {
      literal = literal.substring(0, percent); // fe80::1%eth0: the zone is not part of the address
    }
    if (line.indexOf('\uFFFD') >= 0) {
      log.warn("{}:{}: bytes that are not UTF-8, line ignored: {}", file, lineNo, line);
      return;
    }
    if (fields.length < 2 || !InetAddresses.isInetAddress(literal)) {
      log.warn("{}:{}: not 'ADDRESS NAME...', ignored: {}", file, lineNo, raw.strip());
      return;
    }
    InetAddress address = InetAddresses.forString(literal);
    for (int i = 1; i < fields.length; i++) {
      Sets sets = map.computeIfAbsent(normalize(fields[i]), k -> new Sets());
      (address instanceof Inet6Address ? sets.ipv6 : sets.ipv4).add(address);
    }
  }

  @Override
  public String toString() {
    return "HostsFiles" + files;
  }
}
