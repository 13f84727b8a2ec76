package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.directory.DirectoryRead;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.GatewayStatus;
import org.umgw.model.HuntGroup;

/**
 * The edits an administrator makes in an LDAP browser, one after another, each awaited in the
 * deliveries of a running feed: add a dial plan, a gateway and a hunt group, modify the gateway and
 * the dial plan, then delete the three. Latencies (write returned to delivery received) are logged
 * and returned; the tests bound them generously, the benchmark measures them.
 */
final class FeedScenario {
  private static final Logger LOG = LoggerFactory.getLogger(FeedScenario.class);

  /** Applies LDIF change records the way the server's administrators would. */
  interface Writer {
    void apply(String ldif) throws Exception;
  }

  private FeedScenario() {}

  /**
   * @return latency of each step in milliseconds
   */
  static List<Double> run(
      String label,
      String base,
      String tag,
      int octet,
      Writer writer,
      FeedRecorder recorder,
      Duration timeout)
      throws Exception {
    String dp = "FeedDP-" + tag;
    String gw = "feed-gw-" + tag;
    String dpDn = "cn=" + dp + ",ou=dialplans," + base;
    String gwDn = "cn=" + gw + ",ou=gateways," + base;
    String hgDn = "cn=HG1," + gwDn;
    List<Double> latencies = new ArrayList<>();
    record Step(String name, String ldif, Predicate<DirectoryRead> expect) {}
    List<Step> steps =
        List.of(
            new Step(
                "add dial plan",
                "dn: "
                    + dpDn
                    + "\nchangetype: add\nobjectClass: top\nobjectClass: umDialPlan\ncn: "
                    + dp
                    + "\numURIType: TelExtn\numNumberOfDigitsInExtension: 5\n",
                r -> dialPlan(r, dp) != null),
            new Step(
                "add gateway",
                "dn: "
                    + gwDn
                    + "\nchangetype: add\nobjectClass: top\nobjectClass: umIPGateway\ncn: "
                    + gw
                    + "\numAddress: 192.0.2."
                    + octet
                    + "\n",
                r -> gateway(r, gw) != null),
            new Step(
                "add hunt group",
                "dn: "
                    + hgDn
                    + "\nchangetype: add\nobjectClass: top\nobjectClass: umHuntGroup\ncn: HG1\n"
                    + "umDialPlanLink: "
                    + dpDn
                    + "\numPilotIdentifier: 4100\n",
                r ->
                    r.contents().huntGroups().stream()
                        .anyMatch(
                            h ->
                                h.gateway().equals(gw)
                                    && h.dialPlan().equals(dp)
                                    && h.pilotIdentifier().equals("4100"))),
            new Step(
                "modify gateway",
                "dn: "
                    + gwDn
                    + "\nchangetype: modify\nreplace: umStatus\numStatus: NoNewCalls\n-\n",
                r -> gateway(r, gw) != null && gateway(r, gw).status() == GatewayStatus.NoNewCalls),
            new Step(
                "modify dial plan",
                "dn: "
                    + dpDn
                    + "\nchangetype: modify\nreplace: umCountryOrRegionCode\n"
                    + "umCountryOrRegionCode: 44\n-\n",
                r -> dialPlan(r, dp) != null && "44".equals(dialPlan(r, dp).countryOrRegionCode())),
            new Step(
                "delete hunt group",
                "dn: " + hgDn + "\nchangetype: delete\n",
                r -> r.contents().huntGroups().stream().noneMatch(h -> h.gateway().equals(gw))),
            new Step(
                "delete gateway",
                "dn: " + gwDn + "\nchangetype: delete\n",
                r -> gateway(r, gw) == null),
            new Step(
                "delete dial plan",
                "dn: " + dpDn + "\nchangetype: delete\n",
                r -> dialPlan(r, dp) == null));
    for (Step step : steps) {
      writer.apply(step.ldif());
      long written = System.nanoTime();
      FeedRecorder.Delivery d = recorder.await(label + ": " + step.name(), step.expect(), timeout);
      double ms = (d.nanos() - written) / 1e6;
      latencies.add(ms);
      assertThat(d.update().fullRefresh() && d.update().kind() != FeedKind.POLLING)
          .as(step.name() + " arrived as a change, not a refresh")
          .isFalse();
      assertThat(d.read().problems()).as(step.name() + ": problems").isEmpty();
      LOG.info(
          "{}: {} delivered {} ms after the write returned ({} changed entries)",
          label,
          step.name(),
          String.format(Locale.ROOT, "%.1f", ms),
          d.update().changedEntries());
    }
    return latencies;
  }

  static Gateway gateway(DirectoryRead r, String name) {
    return r.contents().gateways().stream()
        .filter(g -> g.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  static DialPlan dialPlan(DirectoryRead r, String name) {
    return r.contents().dialPlans().stream()
        .filter(d -> d.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  static HuntGroup huntGroup(DirectoryRead r, String gateway, String name) {
    return r.contents().huntGroups().stream()
        .filter(h -> h.gateway().equals(gateway) && h.name().equals(name))
        .findFirst()
        .orElse(null);
  }
}
