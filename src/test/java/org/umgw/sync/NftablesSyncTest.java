package org.umgw.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.testing.NetworkNamespace;
import org.umgw.testing.SampleSlapd;
import org.umgw.testing.TestDirectories;

/**
 * {@code trust-list sync --format nftables --reload-command "nft -f {file}"} in a network namespace
 * of the test's own: the set follows the directory, the operator's rule that uses it stays, and a
 * listing taken in a loop while the directory changes never finds the set empty (flush and add are
 * one {@code nft -f} transaction).
 */
class NftablesSyncTest {
  private static final Pattern ELEMENTS = Pattern.compile("elements = \\{([^}]*)\\}");

  /** What the sample trusts over IPv4 (ldif/sample.ldif with ldif/sample.hosts). */
  private static final Set<String> SAMPLE_V4 =
      TestDirectories.SAMPLE_TRUSTED.stream()
          .filter(a -> !a.contains(":"))
          .collect(Collectors.toUnmodifiableSet());

  @RegisterExtension static final SampleSlapd SAMPLE = new SampleSlapd();
  @TempDir Path dir;

  @Test
  void setFollowsTheDirectory_neverEmptyInBetween_andTheRuleUsingItStays() throws Exception {
    try (NetworkNamespace ns = NetworkNamespace.create()) {
      // The operator's rules (docs/operations.md): the sets are declared with the chain using them.
      Path rules = dir.resolve("sip-filter.nft");
      Files.writeString(
          rules,
          """
          table inet umgw {
            set trusted_peers_v4 { type ipv4_addr; }
            set trusted_peers_v6 { type ipv6_addr; }
            chain sip_in {
              type filter hook input priority 0; policy accept;
              udp dport 5060 ip saddr @trusted_peers_v4 accept
              udp dport 5060 ip6 saddr @trusted_peers_v6 accept
              udp dport 5060 drop
            }
          }
          """);
      ns.exec("nft", "-f", rules.toString()).assertOk();

      Path file = dir.resolve("umgw.nft");
      List<String> args = new ArrayList<>(SyncRun.directory(SAMPLE.slapd(), SAMPLE.hosts()));
      args.addAll(
          List.of(
              "--format",
              "nftables",
              "--out",
              file.toString(),
              "--reload-command",
              String.join(" ", ns.prefix()) + " nft -f {file}",
              "--allow-shrink"));
      try (SyncRun sync = SyncRun.start(args)) {
        await("first load\n" + sync)
            .atMost(Duration.ofSeconds(30))
            .until(() -> sync.err().contains("event 9605"));
        assertThat(v4(ns)).isEqualTo(new TreeSet<>(SAMPLE_V4));

        // List the set as fast as nft allows while the directory changes several times.
        List<Set<String>> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        Thread lister =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    seen.add(v4(ns));
                  }
                },
                "nft-lister");
        lister.start();
        try {
          for (int round = 0; round < 3; round++) {
            linkSpare("add");
            await("127.0.0.6 in the set\n" + sync)
                .atMost(Duration.ofSeconds(10))
                .until(() -> v4(ns).contains("127.0.0.6"));
            setStatus("Contoso-SBC1", "Disabled");
            await("127.0.0.2 out of the set\n" + sync)
                .atMost(Duration.ofSeconds(10))
                .until(() -> !v4(ns).contains("127.0.0.2"));
            setStatus("Contoso-SBC1", "Enabled");
            linkSpare("delete");
            await("back to the sample\n" + sync)
                .atMost(Duration.ofSeconds(10))
                .until(() -> v4(ns).equals(new TreeSet<>(SAMPLE_V4)));
          }
        } finally {
          stop.set(true);
          lister.join(10_000);
        }
        assertThat(seen.size()).as("listings taken during the changes").isGreaterThan(20);
        assertThat(seen).as("no listing may find the set empty").noneMatch(Set::isEmpty);
        assertThat(seen).anyMatch(s -> s.contains("127.0.0.6"));
        assertThat(seen).anyMatch(s -> !s.contains("127.0.0.2"));

        // Control: the lister does see an empty set when flush and add are separate loads.
        List<Set<String>> control = new CopyOnWriteArrayList<>();
        AtomicBoolean stopControl = new AtomicBoolean();
        Thread controlLister =
            new Thread(
                () -> {
                  while (!stopControl.get()) {
                    control.add(v4(ns));
                  }
                },
                "nft-control-lister");
        controlLister.start();
        try {
          ns.exec("nft", "flush", "set", "inet", "umgw", "trusted_peers_v4").assertOk();
          Thread.sleep(300);
          ns.exec("nft", "-f", file.toString()).assertOk();
        } finally {
          stopControl.set(true);
          controlLister.join(10_000);
        }
        assertThat(control).anyMatch(Set::isEmpty);

        // The operator's chain survived every load: the sync only flushes and fills the sets.
        String chain =
            ns.exec("nft", "list", "chain", "inet", "umgw", "sip_in").assertOk().output();
        assertThat(chain).contains("ip saddr @trusted_peers_v4 accept").contains("drop");
        assertThat(sync.running()).as(sync.toString()).isTrue();
      } finally {
        setStatus("Contoso-SBC1", "Enabled");
      }
    }
  }

  /** The IPv4 set's elements; an empty set lists no elements line. */
  private static Set<String> v4(NetworkNamespace ns) {
    String out =
        ns.exec("nft", "list", "set", "inet", "umgw", "trusted_peers_v4").assertOk().output();
    Set<String> ips = new TreeSet<>();
    Matcher m = ELEMENTS.matcher(out);
    if (m.find()) {
      for (String s : m.group(1).split(",")) {
        if (!s.isBlank()) {
          ips.add(s.strip());
        }
      }
    }
    return ips;
  }

  private static void linkSpare(String change) throws Exception {
    SAMPLE
        .slapd()
        .ldapmodify(
            "dn: cn=Default Hunt Group,cn=Spare-Gateway,ou=gateways,dc=umgw,dc=example\n"
                + "changetype: "
                + change
                + "\n"
                + (change.equals("add")
                    ? "objectClass: top\nobjectClass: umHuntGroup\ncn: Default Hunt Group\n"
                        + "umDialPlanLink: cn=Contoso Extensions,ou=dialplans,dc=umgw,dc=example\n"
                    : ""));
  }

  private static void setStatus(String gateway, String status) throws Exception {
    SAMPLE
        .slapd()
        .ldapmodify(
            "dn: cn="
                + gateway
                + ",ou=gateways,dc=umgw,dc=example\nchangetype: modify\nreplace: umStatus\numStatus: "
                + status
                + "\n");
  }
}
