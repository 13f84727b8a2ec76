package org.umgw.cli;

import com.google.common.net.HostAndPort;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.umgw.dns.DnsResolver;
import org.umgw.model.DialPlan;
import org.umgw.model.InvalidValueException;
import org.umgw.model.UmgwException;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * The domains of option values: each function says what is wrong with a value, or returns {@code
 * null} when it is fine. Apart from {@link OptionChecks}, which maps options to these and runs them
 * over a parsed command line, so that the table of which option has which domain reads on one page.
 */
final class OptionValues {
  private OptionValues() {}

  static String ldapUrls(String value) {
    if (value.isBlank()) {
      return "expected ldap:// or ldaps:// URL(s)";
    }
    for (String url : value.split(",", -1)) {
      try {
        LDAPURL u = new LDAPURL(url.strip());
        if (!u.hostProvided()) {
          return "the URL " + url.strip() + " names no host";
        }
      } catch (LDAPException e) {
        return "not an ldap:// or ldaps:// URL: " + url.strip();
      }
    }
    return null;
  }

  static String dn(String value, boolean nonEmpty) {
    if (nonEmpty && value.isBlank()) {
      return "a DN is required";
    }
    return DN.isValidDN(value) ? null : "not a DN (expected e.g. cn=umgw,dc=example,dc=com)";
  }

  static String readableFile(String value) {
    Path p = Path.of(value);
    if (!Files.exists(p)) {
      return "no such file";
    }
    if (Files.isDirectory(p)) {
      return "a directory, expected a file";
    }
    return Files.isReadable(p) ? null : "not readable by this user";
  }

  static String fileOrAbsent(String value) {
    if (value.isEmpty()) {
      return "a file name is required";
    }
    Path p = Path.of(value);
    if (Files.isDirectory(p)) {
      return "a directory, expected a file";
    }
    Path dir = p.toAbsolutePath().getParent();
    return dir == null || Files.isDirectory(dir)
        ? null
        : "the directory " + dir + " does not exist";
  }

  static String directoryOrAbsent(String value) {
    Path p = Path.of(value);
    return Files.exists(p) && !Files.isDirectory(p) ? "not a directory" : null;
  }

  static String range(String value, double min, double max, String what) {
    double v;
    try {
      v = Double.parseDouble(value.strip());
    } catch (NumberFormatException e) {
      return "not a number";
    }
    if (!(v >= min && v <= max)) {
      return "expected " + what + " from " + number(min) + " to " + number(max);
    }
    return null;
  }

  private static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  static int toInt(String v) {
    return Integer.parseInt(v.strip());
  }

  static String oneOf(String value, String... allowed) {
    String v = value.toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(v)) {
        return null;
      }
    }
    return "expected one of " + String.join(", ", allowed);
  }

  static String feed(String value) {
    return oneOf(value, "auto", "syncrepl", "persistent-search", "changelog", "polling");
  }

  static String dnsServer(String value) {
    try {
      DnsResolver.parseServer(value);
      return null;
    } catch (UmgwException | IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static String listen(String value) {
    try {
      HostAndPort hp = HostAndPort.fromString(value);
      if (hp.getHost().isEmpty()) {
        return "expected HOST[:PORT]";
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "expected HOST[:PORT] (" + e.getMessage() + ")";
    }
  }

  static String hostAndPort(String value) {
    String problem = listen(value);
    if (problem == null && !HostAndPort.fromString(value).hasPort()) {
      return "expected HOST:PORT (a port is required)";
    }
    return problem;
  }

  static String httpUrl(String value) {
    try {
      java.net.URI u = new java.net.URI(value);
      if (u.getScheme() == null
          || !(u.getScheme().equals("http") || u.getScheme().equals("https"))
          || u.getHost() == null) {
        return "expected an http:// URL such as http://127.0.0.1:5071/RPC";
      }
      return null;
    } catch (java.net.URISyntaxException e) {
      return "not a URL: " + e.getReason();
    }
  }

  /** A reload command: its program must exist (an absolute path, or found on the PATH). */
  static String command(String value) {
    String program;
    try {
      program = org.umgw.sync.CommandReloader.split(value).get(0);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program)) ? null : "no such program: " + program;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return null;
      }
    }
    return "no program " + program + " on the PATH";
  }

  static String exportOptions(Runnable build) {
    try {
      build.run();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  static DialPlan dialPlan(String countryCode, List<String> numbers) {
    return new DialPlan(
        "-", UriType.TelExtn, 5, VoipSecurity.Unsecured, countryCode, numbers, null);
  }

  /** What the model says of a value: its reason, without the placeholder object. */
  static String model(Runnable build) {
    try {
      build.run();
      return null;
    } catch (InvalidValueException e) {
      return e.reason();
    }
  }
}
