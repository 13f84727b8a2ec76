package org.example.sipserver;

import com.google.common.collect.ImmutableList;
import java.net.InetAddress;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryConfig;
import org.umgw.dns.DnsResolver;
import org.umgw.service.TrustService;
import org.umgw.trust.Admission;

/**
 * The smallest SIP server that embeds umgw the way a real one would: it starts {@link TrustService}
 * against the directory, admits a call from a trusted gateway, refuses one from an unknown address,
 * and logs through its own logback configuration.
 *
 * <p>Usage: {@code SipServer LDAP_URL BIND_DN BIND_PASSWORD_FILE BASE_DN HOSTS_FILE TRUSTED_IP
 * PILOT UNTRUSTED_IP}. Prints a few {@code check:} lines that run.sh asserts on; exits 1 when the
 * trusted source is not admitted or the untrusted one is.
 */
public final class SipServer {
  private static final Logger log = LoggerFactory.getLogger(SipServer.class);

  private SipServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 8) {
      System.err.println(
          "usage: SipServer LDAP_URL BIND_DN BIND_PASSWORD_FILE BASE_DN HOSTS_FILE TRUSTED_IP"
              + " PILOT UNTRUSTED_IP");
      System.exit(2);
    }
    // Where each library really came from: our Guava, umgw's plain jar, our SLF4J backend.
    System.out.println("check: guava " + jarOf(ImmutableList.class));
    System.out.println("check: umgw " + jarOf(TrustService.class));
    System.out.println(
        "check: slf4j-backend " + LoggerFactory.getILoggerFactory().getClass().getName());

    DirectoryConfig directory =
        DirectoryConfig.builder(args[0])
            .bind(args[1], Path.of(args[2]))
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    // The sample's names are all in the hosts file; nothing answers DNS on port 9.
    try (DnsResolver dns =
            DnsResolver.builder()
                .hostsFiles(List.of(Path.of(args[4])))
                .servers(List.of(DnsResolver.parseServer("127.0.0.1:9")))
                .timeout(Duration.ofMillis(200))
                .retries(0)
                .build();
        TrustService trust =
            TrustService.builder().directory(directory).baseDn(args[3]).resolver(dns).build()) {
      trust.addEventListener(e -> log.debug("listener saw event {}", e.id()));
      trust.start();
      log.info("trust service started: {}", trust.status());

      Admission trusted = trust.admit(InetAddress.getByName(args[5]), args[6], false);
      Admission untrusted = trust.admit(InetAddress.getByName(args[7]), args[6], false);
      boolean ok = true;
      if (trusted instanceof Admission.Accepted a) {
        System.out.printf(
            "check: admitted %s -> gateway %s, hunt group %s, dial plan %s%n",
            args[5], a.gateway().name(), a.huntGroup().name(), a.dialPlan().name());
      } else {
        System.out.println("check: NOT admitted " + args[5] + ": " + trusted);
        ok = false;
      }
      if (untrusted instanceof Admission.Refused r) {
        // admit() has already logged the refusal's event (org.umgw.events, through our logback)
        // and handed it to the event listeners.
        System.out.printf("check: refused %s: event %d%n", args[7], r.event().id());
      } else {
        System.out.println("check: wrongly admitted " + args[7] + ": " + untrusted);
        ok = false;
      }
      if (!ok) {
        System.exit(1);
      }
    }
  }

  private static String jarOf(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    return type.getName() + " from " + (location == null ? "(unknown)" : location.getPath());
  }
}
