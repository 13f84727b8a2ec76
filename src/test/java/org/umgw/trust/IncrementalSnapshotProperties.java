package org.umgw.trust;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.net.InetAddresses;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;
import org.umgw.model.IpAddressFamily;
import org.umgw.model.UmServer;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * The incremental snapshot equals the full build after every step of random edit sequences:
 * gateways, hunt groups (dangling links, duplicate pilots), dial plans (security changes, removal),
 * servers, statuses, addresses shared by gateways and servers (1175), names re-resolved to
 * colliding IPs or going stale. Equality is {@link TrustSnapshot#sameContent}: peers, routes,
 * outbound and MWI choices, 1175 messages, names, answers, certificate index, served directory.
 */
class IncrementalSnapshotProperties {
  private static final Instant T0 = Instant.parse("2026-12-05T00:00:00Z");
  private static final List<String> ADDRESSES =
      List.of(
          "192.0.2.1",
          "192.0.2.2",
          "2001:db8::1",
          "a.example.test",
          "b.example.test",
          "c.other.test",
          "um.example.test");
  private static final List<String> IPS =
      List.of("192.0.2.1", "192.0.2.2", "192.0.2.3", "2001:db8::1", "2001:db8::2");
  private static final List<String> PLANS = List.of("ext", "sip", "tls", "gone");
  private static final List<String> PILOTS = List.of("", "5000", "5001");

  record Edit(int kind, int a, int b, int c) {}

  @Provide
  Arbitrary<List<Edit>> edits() {
    Arbitrary<Edit> edit =
        Combinators.combine(
                Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 99),
                Arbitraries.integers().between(0, 99))
            .as(Edit::new);
    return edit.list().ofMinSize(1).ofMaxSize(40);
  }

  /** The directory under edit, by identity. */
  private static final class Model {
    final TreeMap<String, DialPlan> plans = new TreeMap<>();
    final TreeMap<String, Gateway> gateways = new TreeMap<>();
    final TreeMap<String, HuntGroup> groups = new TreeMap<>();
    final TreeMap<String, UmServer> servers = new TreeMap<>();
    final Map<NameKey, ResolvedName> resolved = new HashMap<>();

    DirectoryContents contents() {
      List<HuntGroup> hs = new ArrayList<>(groups.values());
      hs.sort(java.util.Comparator.comparing(HuntGroup::gateway).thenComparing(HuntGroup::name));
      return new DirectoryContents(
          List.copyOf(plans.values()),
          List.copyOf(gateways.values()),
          hs,
          List.copyOf(servers.values()));
    }
  }

  @Property(tries = 400)
  void incrementalEqualsFull(@ForAll("edits") List<Edit> edits) {
    Model m = new Model();
    m.plans.put("ext", DialPlan.of("ext", UriType.TelExtn, 4));
    m.plans.put("sip", DialPlan.of("sip", UriType.SipName, 4));
    m.plans.put(
        "tls", DialPlan.of("tls", UriType.TelExtn, 4).withVoipSecurity(VoipSecurity.SIPSecured));
    DirectoryContents before = m.contents();
    TrustIndex index = new TrustIndex(T0);
    index.reset(before, Map.copyOf(m.resolved), T0);
    int step = 0;
    for (Edit e : edits) {
      Instant now = T0.plusSeconds(++step);
      Set<NameKey> reResolved = apply(m, e);
      DirectoryContents after = m.contents();
      index.stage(after, ContentsDelta.between(before, after));
      index.resolved(reResolved);
      Map<NameKey, ResolvedName> answers = Map.copyOf(m.resolved);
      TrustSnapshot incremental = index.build(answers, now).snapshot();
      TrustSnapshot full = TrustSnapshot.build(after, answers, now);
      assertThat(incremental.sameContent(full))
          .as(
              "step %d (%s) of %s:%n incremental %s%n full %s",
              step, e, edits, describe(incremental), describe(full))
          .isTrue();
      assertThat(index.names()).isEqualTo(TrustSnapshot.namesOf(after));
      before = after;
    }
  }

  private static String describe(TrustSnapshot s) {
    return s.peers() + " dup " + s.duplicates().stream().map(ev -> ev.message()).toList();
  }

  /** Applies one edit; returns the names whose answers it changed. */
  private static Set<NameKey> apply(Model m, Edit e) {
    String g = "g" + e.a() % 6;
    Gateway gw = m.gateways.get(g);
    switch (e.kind()) {
      case 0, 1 -> {
        Gateway.Builder b =
            Gateway.builder(g, ADDRESSES.get(e.b() % ADDRESSES.size()))
                .status(GatewayStatus.values()[e.c() % 3])
                .outcallsAllowed(e.c() % 2 == 0)
                .messageWaitingIndicatorAllowed(e.c() % 5 != 0)
                .simulator(e.c() % 11 == 0)
                .port(List.of(0, 5060, 5061).get(e.b() % 3));
        if (e.c() % 4 == 0 && !ADDRESSES.get(e.b() % ADDRESSES.size()).contains(":")) {
          b.ipAddressFamily(IpAddressFamily.IPv4Only);
        }
        m.gateways.put(g, b.build());
      }
      case 2 -> {
        if (gw != null) {
          m.gateways.put(g, gw.withStatus(GatewayStatus.values()[e.b() % 3]));
        }
      }
      case 3 -> {
        if (gw != null) {
          try {
            m.gateways.put(
                g, gw.toBuilder().address(ADDRESSES.get(e.b() % ADDRESSES.size())).build());
          } catch (org.umgw.model.InvalidValueException familyRefusesIt) {
            // An IPv4Only gateway cannot take an IPv6 literal: no edit.
          }
        }
      }
      case 4 -> m.gateways.remove(g);
      case 5, 6 -> {
        int slot = e.b() % 3;
        m.groups.put(
            g + "/hg" + slot,
            new HuntGroup(
                g,
                "hg" + slot,
                PLANS.get(e.c() % PLANS.size()),
                PILOTS.get(e.c() / 4 % PILOTS.size()),
                null));
      }
      case 7 -> m.groups.remove(g + "/hg" + e.b() % 3);
      case 8 -> {
        String plan = PLANS.get(e.b() % PLANS.size());
        if (e.c() % 3 == 0) {
          m.plans.remove(plan);
        } else {
          m.plans.put(
              plan,
              DialPlan.of(plan, plan.equals("sip") ? UriType.SipName : UriType.TelExtn, 4)
                  .withVoipSecurity(VoipSecurity.values()[e.c() % VoipSecurity.values().length]));
        }
      }
      case 9 -> {
        String s = "s" + e.b() % 3;
        if (e.c() % 4 == 0) {
          m.servers.remove(s);
        } else {
          String host = ADDRESSES.get(e.c() % ADDRESSES.size());
          String url = "https://" + (host.contains(":") ? "[" + host + "]" : host) + "/ews";
          m.servers.put(s, UmServer.of(s, url, null));
        }
      }
      default -> {
        // DNS: a name's answer changes (collisions with literals and other names included).
        String name = ADDRESSES.get(3 + e.b() % 4);
        List<InetAddress> ips = new ArrayList<>();
        for (int i = 0; i < e.c() % 3; i++) {
          InetAddress ip = InetAddresses.forString(IPS.get((e.c() + i * 3) % IPS.size()));
          if (!ips.contains(ip)) {
            ips.add(ip);
          }
        }
        ResolvedName answer = new ResolvedName(ips, e.a() % 5 == 0);
        Set<NameKey> changed = new java.util.HashSet<>();
        for (IpAddressFamily f : IpAddressFamily.values()) {
          NameKey key = new NameKey(name, f);
          if (!answer.equals(m.resolved.put(key, answer))) {
            changed.add(key);
          }
        }
        return changed;
      }
    }
    return Set.of();
  }
}
