package org.umgw.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.umgw.directory.DirectoryLayout;
import org.umgw.directory.DirectoryRead;
import org.umgw.directory.EntryMapper;
import org.umgw.directory.EntrySet;
import org.umgw.model.ContentsDelta;
import org.umgw.model.DialPlan;
import org.umgw.model.DirectoryContents;
import org.umgw.model.UriType;
import org.umgw.model.VoipSecurity;

/**
 * {@link IncrementalPolicy} decides exactly what {@link TrustPolicy} decides over the whole
 * directory, after every step of random edit sequences written as LDAP entries (typos, unreadable
 * entries, duplicate addresses, duplicate pilots, dangling dial plan links, secured dial plans with
 * IP literals, several SIP URI outcalls gateways, restarts): the same served directory, findings,
 * salvaged entries and events; and its served delta takes what was served to what is served.
 */
class IncrementalPolicyProperties {
  private static final DirectoryLayout LAYOUT = DirectoryLayout.of(DirectoryLayout.DEFAULT_BASE);
  private static final EntryMapper MAPPER = new EntryMapper(LAYOUT);
  private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

  @Provide
  Arbitrary<List<TrustPolicyProperties.Edit>> edits() {
    return new TrustPolicyProperties().edits();
  }

  @Property(tries = 400)
  void incrementalDecisionEqualsFull(@ForAll("edits") List<TrustPolicyProperties.Edit> edits) {
    TrustPolicy full = new TrustPolicy(LAYOUT);
    IncrementalPolicy incremental = new IncrementalPolicy(LAYOUT);
    Map<String, Entry> dir = new LinkedHashMap<>();
    dir.put("ext", MAPPER.toEntry(DialPlan.of("ext", UriType.TelExtn, 4)));
    dir.put("sip", MAPPER.toEntry(DialPlan.of("sip", UriType.SipName, 4)));
    dir.put(
        "tls",
        MAPPER.toEntry(
            DialPlan.of("tls", UriType.TelExtn, 4).withVoipSecurity(VoipSecurity.SIPSecured)));
    DirectoryContents servedFull = null;
    DirectoryContents servedIncremental = null;
    DirectoryRead previous = null;
    int step = 0;
    for (TrustPolicyProperties.Edit e : edits) {
      step++;
      boolean restart = TrustPolicyProperties.apply(dir, e);
      if (restart) {
        servedFull = null;
        servedIncremental = null;
        incremental = new IncrementalPolicy(LAYOUT);
        previous = null;
      }
      EntrySet set = new EntrySet(LAYOUT);
      dir.values().forEach(set::put);
      DirectoryRead read = set.read();
      ContentsDelta delta =
          previous == null ? null : ContentsDelta.between(previous.contents(), read.contents());
      TrustPolicy.Decision expected = full.decide(read, servedFull);
      IncrementalPolicy.Outcome got = incremental.decide(read, delta, servedIncremental);
      String why = "step " + step + " (" + e + ") of " + edits;
      assertThat(got.decision().served()).as(why).isEqualTo(expected.served());
      assertThat(got.decision().findings()).as(why).isEqualTo(expected.findings());
      assertThat(got.decision().salvaged()).as(why).isEqualTo(expected.salvaged());
      assertThat(got.decision().events(NOW)).as(why).isEqualTo(expected.events(NOW));
      DirectoryContents before =
          servedIncremental == null ? DirectoryContents.empty() : servedIncremental;
      assertThat(before.apply(got.servedDelta())).as(why).isEqualTo(expected.served());
      Statistics.label("decided on the neighbourhood").collect(got.incremental());
      servedFull = expected.served();
      servedIncremental = got.decision().served();
      previous = read;
    }
  }
}
