package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.asn1.ASN1OctetString;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncCookiesTest {
  private static final String CSN1 = "20261205064000.123456Z#000000#001#000000";
  private static final String CSN2 = "20261205064100.000001Z#000000#002#000000";

  private static ASN1OctetString cookie(String text) {
    return new ASN1OctetString(text);
  }

  @Test
  void serverIds_areTheNonZeroSidsOfTheCookieCsns() {
    assertThat(SyncCookies.serverIds(cookie("rid=000,sid=001,csn=" + CSN1 + ";" + CSN2)))
        .containsExactly(1, 2);
    assertThat(
            SyncCookies.serverIds(cookie("rid=000,csn=20261205064000.123456Z#000000#000#000000")))
        .isEmpty();
    assertThat(SyncCookies.serverIds(cookie("rid=000"))).isEmpty();
    assertThat(SyncCookies.serverIds(cookie("not a cookie"))).isEmpty();
    assertThat(SyncCookies.serverIds(null)).isEmpty();
    // Server IDs are hexadecimal in a CSN.
    assertThat(SyncCookies.serverIds(cookie("csn=20261205064000.123456Z#000000#00a#000000")))
        .containsExactly(10);
  }

  @Test
  void sharesHistory_needsEveryNamedServerId() {
    ASN1OctetString both = cookie("rid=000,csn=" + CSN1 + ";" + CSN2);
    assertThat(SyncCookies.sharesHistory(both, Set.of(1, 2, 3))).isTrue();
    assertThat(SyncCookies.sharesHistory(both, Set.of(1))).isFalse();
    // Two independent servers without server IDs: never shared.
    assertThat(
            SyncCookies.sharesHistory(
                cookie("rid=000,csn=20261205064000.123456Z#000000#000#000000"), Set.of()))
        .isFalse();
  }

  @Test
  void sameSet_needsOneServerIdInCommon() {
    ASN1OctetString both = cookie("rid=000,csn=" + CSN1 + ";" + CSN2);
    assertThat(SyncCookies.sameSet(both, Set.of(1))).isTrue();
    assertThat(SyncCookies.sameSet(both, Set.of(3))).isFalse();
    assertThat(SyncCookies.sameSet(both, Set.of())).isFalse();
    assertThat(SyncCookies.sameSet(null, Set.of(1))).isFalse();
  }

  @Test
  void caughtUp_needsACsnAsRecentForEveryServerIdOfTheCookie() {
    ASN1OctetString both = cookie("rid=000,csn=" + CSN1 + ";" + CSN2);
    assertThat(SyncCookies.caughtUp(both, List.of(CSN1, CSN2))).isTrue();
    assertThat(
            SyncCookies.caughtUp(both, List.of(CSN1, "20261205070000.000000Z#000000#002#000000")))
        .isTrue();
    assertThat(
            SyncCookies.caughtUp(both, List.of(CSN1, "20261205064059.999999Z#000000#002#000000")))
        .as("behind on server 2")
        .isFalse();
    assertThat(SyncCookies.caughtUp(both, List.of(CSN1))).as("nothing from server 2").isFalse();
  }
}
