package org.umgw.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.ObjectClassDefinition;
import com.unboundid.ldap.sdk.schema.Schema;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.testing.Ds389;
import org.umgw.testing.SampleDs389;
import org.umgw.testing.Slapd;

/**
 * The feed against a 389 Directory Server instance created by the test, with 389's defaults: the
 * root DSE lists persistent search but neither the content sync control nor a changelog, so the
 * feed follows by persistent search, keyed by the entryUUID that 389 2.3's entryuuid plugin assigns
 * (on by default), read anonymously under the ACIs docs/scaling.md gives.
 */
class DirectoryFeedDs389Test {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryFeedDs389Test.class);
  private static final Duration GENEROUS = Duration.ofSeconds(30);

  @RegisterExtension static final SampleDs389 DS = SampleDs389.persistentSearch();

  @RegisterExtension static final Ds389Follower FOLLOWER = Ds389Follower.anonymous(DS);

  private static FeedRecorder follow(FeedOptions options) {
    return FOLLOWER.follow(options);
  }

  @Test
  void schemaFile_loadsAsIs_andAnonymousReadsSeeEntryUuid() throws Exception {
    Ds389 ds = DS.ds();
    try (LDAPConnection c = new LDAPConnection(ds.host(), ds.port())) {
      // Every umgw attribute type and object class of schema/umgw.ldif, as written there.
      Schema ours = Schema.getSchema(Slapd.projectPath("schema/umgw.ldif").toFile());
      Schema served = c.getSchema();
      assertThat(ours.getAttributeTypes()).hasSize(16);
      assertThat(ours.getObjectClasses()).hasSize(4);
      for (AttributeTypeDefinition at : ours.getAttributeTypes()) {
        AttributeTypeDefinition on389 = served.getAttributeType(at.getNameOrOID());
        assertThat(on389).as(at.getNameOrOID()).isNotNull();
        assertThat(on389.getOID()).isEqualTo(at.getOID());
        assertThat(on389.getBaseSyntaxOID()).as(at.getNameOrOID()).isEqualTo(at.getBaseSyntaxOID());
        // 389 takes the {length} bounds but drops them (docs/schema.md).
        assertThat(on389.getSyntaxOID()).isEqualTo(on389.getBaseSyntaxOID());
        assertThat(on389.isSingleValued()).isEqualTo(at.isSingleValued());
        assertThat(on389.getEqualityMatchingRule())
            .as(at.getNameOrOID())
            .isEqualToIgnoringCase(at.getEqualityMatchingRule());
      }
      for (ObjectClassDefinition oc : ours.getObjectClasses()) {
        ObjectClassDefinition on389 = served.getObjectClass(oc.getNameOrOID());
        assertThat(on389).as(oc.getNameOrOID()).isNotNull();
        assertThat(on389.getRequiredAttributes())
            .containsExactlyInAnyOrder(oc.getRequiredAttributes());
        assertThat(on389.getOptionalAttributes())
            .containsExactlyInAnyOrder(oc.getOptionalAttributes());
      }
      // ns-slapd complained about nothing in it.
      assertThat(Files.readAllLines(ds.errorsLog()))
          .noneMatch(l -> l.contains("99umgw") || (l.contains(" um") && l.contains("ERR")));
      Entry gw =
          c.getEntry(
              "cn=Contoso-SBC1,ou=gateways," + ds.suffix(), "entryUUID", "nsUniqueId", "umAddress");
      assertThat(gw.getAttributeValue("umAddress")).isNotBlank();
      assertThat(gw.getAttributeValue("entryUUID")).matches("[0-9a-f-]{36}");
      assertThat(gw.getAttributeValue("nsUniqueId")).isNotBlank();
      assertThat(ServerInfo.read(c).offered())
          .containsExactly(FeedKind.PERSISTENT_SEARCH, FeedKind.POLLING);
    }
  }

  @Test
  void open_389Defaults_choosesPersistentSearch_andDeliversTheSampleFirst() throws Exception {
    FeedRecorder recorder = follow(FeedOptions.defaults());
    assertThat(FOLLOWER.feed().kind()).isEqualTo(FeedKind.PERSISTENT_SEARCH);
    FeedRecorder.Delivery first = recorder.awaitInitial(GENEROUS);
    assertThat(first.update().kind()).isEqualTo(FeedKind.PERSISTENT_SEARCH);
    assertThat(first.read().contents().gateways()).hasSize(9);
    assertThat(first.read().contents().huntGroups()).hasSize(10);
    assertThat(first.read().contents().dialPlans()).hasSize(4);
    assertThat(first.read().contents().servers()).hasSize(2);
    assertThat(first.read().problems()).isEmpty();
    assertThat(recorder.disconnected).isEmpty();
  }

  @Test
  void ldapmodify_addModifyDeleteOfDialPlanGatewayHuntGroup_eachReachesADelivery()
      throws Exception {
    FeedRecorder recorder = follow(FeedOptions.defaults());
    recorder.awaitInitial(GENEROUS);
    List<Double> ms =
        FeedScenario.run(
            "389-DS persistent search",
            DS.ds().suffix(),
            "ds389ps",
            211,
            ldif -> DS.ds().ldapmodify(ldif),
            recorder,
            GENEROUS);
    LOG.info("389-DS persistent search latencies (ms): {}", ms);
  }

  @Test
  void renamedGateway_takesItsHuntGroupsAlong() throws Exception {
    FeedRecorder recorder = follow(FeedOptions.defaults());
    recorder.awaitInitial(GENEROUS);
    String base = DS.ds().suffix();
    DS.ds()
        .ldapmodify(
            "dn: cn=Legacy-PBX,ou=gateways,"
                + base
                + "\nchangetype: modrdn\nnewrdn: cn=Legacy-PBX-2\ndeleteoldrdn: 1\n");
    try {
      FeedRecorder.Delivery d =
          recorder.await(
              "renamed gateway",
              r ->
                  FeedScenario.gateway(r, "Legacy-PBX-2") != null
                      && FeedScenario.gateway(r, "Legacy-PBX") == null,
              GENEROUS);
      assertThat(d.read().contents().huntGroups())
          .filteredOn(h -> h.gateway().startsWith("Legacy-PBX"))
          .extracting(h -> h.gateway())
          .containsOnly("Legacy-PBX-2")
          .isNotEmpty();
      assertThat(d.read().problems()).isEmpty();
    } finally {
      DS.ds()
          .ldapmodify(
              "dn: cn=Legacy-PBX-2,ou=gateways,"
                  + base
                  + "\nchangetype: modrdn\nnewrdn: cn=Legacy-PBX\ndeleteoldrdn: 1\n");
    }
  }

  @Test
  void nsSlapdKilledAndRestarted_feedReconnects_andCatchesUp() throws Exception {
    FeedRecorder recorder =
        follow(FeedOptions.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(500)));
    recorder.awaitInitial(GENEROUS);
    String sbc1 = "cn=Contoso-SBC1,ou=gateways," + DS.ds().suffix();
    DS.ds().kill9();
    Awaitility.await().atMost(GENEROUS).until(() -> !recorder.disconnected.isEmpty());
    DS.ds().restart();
    DS.ds()
        .ldapmodify(
            "dn: "
                + sbc1
                + "\nchangetype: modify\nreplace: description\ndescription: after kill -9\n");
    try {
      recorder.await(
          "change after the restart",
          r -> "after kill -9".equals(FeedScenario.gateway(r, "Contoso-SBC1").description()),
          GENEROUS);
      assertThat(recorder.connected).hasSizeGreaterThanOrEqualTo(2);
    } finally {
      DS.ds()
          .ldapmodify(
              "dn: "
                  + sbc1
                  + "\nchangetype: modify\nreplace: description\n"
                  + "description: Session border controller, Redmond\n");
    }
  }
}
