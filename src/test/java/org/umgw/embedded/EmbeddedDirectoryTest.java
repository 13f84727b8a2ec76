package org.umgw.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import com.unboundid.ldap.sdk.extensions.StartTransactionExtendedRequest;
import com.unboundid.ldif.LDIFDeleteChangeRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.umgw.directory.DirectoryStore;
import org.umgw.model.DialPlan;
import org.umgw.model.Gateway;
import org.umgw.model.UmgwException;
import org.umgw.model.UriType;

class EmbeddedDirectoryTest {
  @TempDir Path tmp;

  private static DirectoryStore store(EmbeddedDirectory dir) {
    return new DirectoryStore(dir.pool(), dir.layout());
  }

  @Test
  void open_seedsTheSampleOnFirstUse() throws Exception {
    Path data = tmp.resolve("data");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      assertThat(store(dir).gateways().objects()).hasSize(9);
      assertThat(store(dir).dialPlans().objects()).hasSize(4);
      assertThat(dir.hostsFile()).exists();
      assertThat(Files.readString(dir.hostsFile())).contains("pbx.contoso.test");
      assertThat(dir.dataDir()).isEqualTo(data.toAbsolutePath());
      assertThat(dir.layout().base().toString()).isEqualTo("dc=umgw,dc=example");
    }
    assertThat(data.resolve("snapshot.ldif")).exists();
    assertThat(DataDirs.journals(data)).hasSize(1);
  }

  @Test
  void open_keepsTheChangesOfAnEarlierRun() {
    Path data = tmp.resolve("data");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      store(dir).createDialPlan(DialPlan.of("Added Plan", UriType.E164, 7));
      store(dir).removeGateway("Spare-Gateway");
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      assertThat(store(dir).dialPlan("Added Plan")).isPresent();
      assertThat(store(dir).gateway("Spare-Gateway")).isEmpty();
      assertThat(store(dir).gateways().objects()).hasSize(8);
    }
  }

  @Test
  void open_failsWhileAnotherOpenHoldsTheDirectory() {
    Path data = tmp.resolve("data");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      assertThatThrownBy(() -> EmbeddedDirectory.open(data))
          .isInstanceOf(UmgwException.class)
          .hasMessageStartingWith("data directory " + dir.dataDir() + " is in use")
          .hasMessageContaining("(pid " + ProcessHandle.current().pid() + ")");
      // The failed attempt must not have broken the holder.
      store(dir).createDialPlan(DialPlan.of("Still Writable", UriType.E164, 7));
    }
    try (EmbeddedDirectory again = EmbeddedDirectory.open(data)) {
      assertThat(store(again).dialPlan("Still Writable")).isPresent();
    }
  }

  @Test
  void open_ignoresGarbageAfterTheLastTransactionWithAWarning() {
    Path data = tmp.resolve("data");
    Path image = tmp.resolve("image");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      store(dir).createDialPlan(DialPlan.of("Before Crash", UriType.E164, 7));
      DataDirs.crashImage(dir.dataDir(), image);
    }
    DataDirs.append(
        DataDirs.journal(image),
        "# umgw-txn seq=2 length=4096 crc32=00000000\ndn: cn=Torn,ou=dialpl"
            .getBytes(StandardCharsets.US_ASCII));

    String log =
        stderrOf(
            () -> EmbeddedDirectory.open(image),
            dir -> {
              assertThat(store(dir).dialPlan("Before Crash")).isPresent();
              assertThat(store(dir).dialPlans().objects()).hasSize(5);
              assertThat(dir.recoveryWarnings()).singleElement().asString().contains("ignored");
            });
    assertThat(log).contains("WARN").contains("ignored").contains("cut short by a crash");
  }

  @Test
  void open_ignoresHalfATransactionAndTheNextRunAppendsCleanly() throws Exception {
    Path data = tmp.resolve("data");
    Path image = tmp.resolve("image");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      store(dir).createDialPlan(DialPlan.of("Kept", UriType.E164, 7));
      DataDirs.crashImage(dir.dataDir(), image);
    }
    byte[] whole =
        Journal.frame(
            2, List.of(new LDIFDeleteChangeRecord("cn=Kept,ou=dialplans,dc=umgw,dc=example")));
    byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
    DataDirs.append(DataDirs.journal(image), half);

    try (EmbeddedDirectory dir = EmbeddedDirectory.open(image)) {
      assertThat(store(dir).dialPlan("Kept")).isPresent();
      assertThat(dir.recoveryWarnings()).hasSize(1);
      store(dir).createDialPlan(DialPlan.of("After Recovery", UriType.E164, 7));
      Path again = DataDirs.crashImage(dir.dataDir(), tmp.resolve("again"));
      try (EmbeddedDirectory second = EmbeddedDirectory.open(again)) {
        assertThat(store(second).dialPlan("Kept")).isPresent();
        assertThat(store(second).dialPlan("After Recovery")).isPresent();
        assertThat(second.recoveryWarnings()).isEmpty();
      }
    }
  }

  @Test
  void open_refusesAJournalDamagedBeforeIntactTransactions() throws Exception {
    Path data = tmp.resolve("data");
    Path image = tmp.resolve("image");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      store(dir).createDialPlan(DialPlan.of("First", UriType.E164, 7));
      store(dir).createDialPlan(DialPlan.of("Second", UriType.E164, 7));
      DataDirs.crashImage(dir.dataDir(), image);
    }
    Path journal = DataDirs.journal(image);
    String text = Files.readString(journal);
    // Flip a byte inside the first transaction's payload: its CRC fails, the second is intact.
    int at = text.indexOf("cn: First");
    Files.writeString(journal, text.substring(0, at) + "cn: Fir5t" + text.substring(at + 9));

    assertThatThrownBy(() -> EmbeddedDirectory.open(image))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("is damaged at byte")
        .hasMessageContaining("not a write cut short by a crash");
    // The refusal released the lock.
    Files.writeString(journal, text);
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(image)) {
      assertThat(store(dir).dialPlan("Second")).isPresent();
    }
  }

  @Test
  void compaction_keepsEveryChangeAndDropsSupersededJournals() {
    Path data = tmp.resolve("data");
    EmbeddedDirectory.Options options =
        EmbeddedDirectory.Options.defaults().withCompaction(1 << 20, 3);
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data, options)) {
      long before = DataDirs.snapshotGeneration(data);
      for (int i = 0; i < 10; i++) {
        store(dir).createDialPlan(DialPlan.of("Plan " + i, UriType.E164, 7));
      }
      assertThat(DataDirs.snapshotGeneration(data)).isEqualTo(before + 3);
      assertThat(DataDirs.journals(data)).hasSize(1);
      DataDirs.crashImage(data, tmp.resolve("image"));
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(tmp.resolve("image"), options)) {
      assertThat(store(dir).dialPlans().objects()).hasSize(14);
    }
  }

  @Test
  void open_afterAKillAtEachStepOfACompaction_keepsEveryChange() throws Exception {
    Path data = tmp.resolve("data");
    Path beforeRename = tmp.resolve("before-rename");
    Path afterRename = tmp.resolve("after-rename");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      store(dir).createDialPlan(DialPlan.of("In Old Journal", UriType.E164, 7));
      Path oldJournal = DataDirs.journal(data);
      long generation = DataDirs.snapshotGeneration(data);

      // Killed after the new journal exists and while the new snapshot is half written.
      DataDirs.crashImage(data, beforeRename);
      Journal.create(DataDirectory.journalFile(beforeRename, generation + 1), generation + 1)
          .close();
      Files.writeString(
          beforeRename.resolve(DataDirectory.SNAPSHOT_TMP),
          "# umgw-snapshot generation=" + (generation + 1) + " base=dc=umgw,dc=example\ndn: dc");

      // Killed after the rename, before the old journal was deleted; one more change since.
      byte[] old = Files.readAllBytes(oldJournal);
      dir.compact();
      store(dir).removeDialPlan("In Old Journal");
      DataDirs.crashImage(data, afterRename);
      Files.write(afterRename.resolve(oldJournal.getFileName()), old);
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(beforeRename)) {
      assertThat(store(dir).dialPlan("In Old Journal")).isPresent();
      assertThat(dir.recoveryWarnings()).isEmpty();
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(afterRename)) {
      assertThat(store(dir).dialPlan("In Old Journal")).isEmpty();
      assertThat(store(dir).dialPlans().objects()).hasSize(4);
    }
    assertThat(DataDirs.journals(afterRename)).hasSize(1);
  }

  @Test
  void replay_ofRenamesAndSubtreeMovesAndDeletes_matchesTheLiveDirectory() throws Exception {
    Path data = tmp.resolve("data");
    Path image = tmp.resolve("image");
    List<Entry> live;
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      var pool = dir.pool();
      pool.modifyDN("cn=Contoso-SBC1,ou=gateways,dc=umgw,dc=example", "cn=Contoso-SBC9", true);
      pool.delete("cn=Test Pilot,cn=Lab Simulator,ou=gateways,dc=umgw,dc=example");
      pool.modify(
          "cn=Lab Simulator,ou=gateways,dc=umgw,dc=example",
          new com.unboundid.ldap.sdk.Modification(
              com.unboundid.ldap.sdk.ModificationType.REPLACE, "umPort", "5070"));
      // A subtree move (moving a umgw object out of its container is refused: RuleGuardTest).
      pool.add(
          "dn: ou=archive,dc=umgw,dc=example", "objectClass: organizationalUnit", "ou: archive");
      pool.add(
          "dn: ou=2025,ou=archive,dc=umgw,dc=example",
          "objectClass: organizationalUnit",
          "ou: 2025");
      pool.modifyDN(
          "ou=archive,dc=umgw,dc=example", "ou=archive", true, "ou=servers,dc=umgw,dc=example");
      live = everything(dir);
      DataDirs.crashImage(dir.dataDir(), image);
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(image)) {
      assertThat(everything(dir)).containsExactlyElementsOf(live);
      assertThat(
              dir.server()
                  .getEntry("cn=Sales Voice Mail,cn=Contoso-SBC9,ou=gateways,dc=umgw,dc=example"))
          .isNotNull();
    }
  }

  @Test
  void concurrentWrites_replayToTheLiveState() throws Exception {
    Path data = tmp.resolve("data");
    List<Entry> live;
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      var pool = dir.pool();
      String shared = "cn=Contoso Extensions,ou=dialplans,dc=umgw,dc=example";
      var threads = new java.util.ArrayList<Thread>();
      var errors = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        threads.add(
            new Thread(
                () -> {
                  try {
                    for (int i = 0; i < 40; i++) {
                      String dn = "cn=T" + thread + "-" + i + ",ou=dialplans,dc=umgw,dc=example";
                      pool.add(
                          "dn: " + dn,
                          "objectClass: umDialPlan",
                          "cn: T" + thread + "-" + i,
                          "umURIType: E164",
                          "umNumberOfDigitsInExtension: 7");
                      pool.modify(
                          shared,
                          new com.unboundid.ldap.sdk.Modification(
                              com.unboundid.ldap.sdk.ModificationType.REPLACE,
                              "description",
                              "last written by T" + thread + "-" + i));
                      if (i % 3 == 0) {
                        pool.delete(dn);
                      }
                    }
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(errors).isEmpty();
      live = everything(dir);
      DataDirs.crashImage(dir.dataDir(), tmp.resolve("image"));
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(tmp.resolve("image"))) {
      assertThat(everything(dir)).containsExactlyElementsOf(live);
    }
  }

  private static List<Entry> everything(EmbeddedDirectory dir) throws LDAPException {
    return dir
        .server()
        .search(
            "dc=umgw,dc=example",
            com.unboundid.ldap.sdk.SearchScope.SUB,
            "(objectClass=*)",
            "*",
            "+")
        .getSearchEntries()
        .stream()
        .map(e -> new Entry(e.getDN(), e.getAttributes()))
        .sorted(java.util.Comparator.comparing(Entry::getDN))
        .toList();
  }

  @Test
  void reopen_keepsOperationalAttributes() throws Exception {
    Path data = tmp.resolve("data");
    String uuid;
    String created;
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      store(dir).createGateway(Gateway.builder("New-GW", "192.0.2.77").build(), null);
      Entry e = dir.server().getEntry("cn=New-GW,ou=gateways,dc=umgw,dc=example", "+");
      uuid = e.getAttributeValue("entryUUID");
      created = e.getAttributeValue("createTimestamp");
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      Entry e = dir.server().getEntry("cn=New-GW,ou=gateways,dc=umgw,dc=example", "+");
      assertThat(e.getAttributeValue("entryUUID")).isEqualTo(uuid);
      assertThat(e.getAttributeValue("createTimestamp")).isEqualTo(created);
      assertThat(e.getAttributeValue("creatorsName")).isEqualTo("cn=admin,dc=umgw,dc=example");
    }
  }

  @Test
  void writes_thatWouldBypassTheJournal_areRefused() {
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(tmp.resolve("data"))) {
      assertThat(
              resultOf(
                  () ->
                      dir.pool()
                          .processExtendedOperation(new StartTransactionExtendedRequest())
                          .getResultCode()))
          .isEqualTo(ResultCode.PROTOCOL_ERROR);
      assertThat(
              resultOf(
                  () ->
                      dir.pool()
                          .processExtendedOperation(
                              new PasswordModifyExtendedRequest(
                                  "cn=x,dc=umgw,dc=example", "a", "b"))
                          .getResultCode()))
          .isEqualTo(ResultCode.PROTOCOL_ERROR);
      assertThatThrownBy(
              () -> dir.pool().add("dn: o=elsewhere", "objectClass: organization", "o: elsewhere"))
          .isInstanceOfSatisfying(
              LDAPException.class,
              e -> {
                assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM);
                assertThat(e.getMessage()).contains("only entries under dc=umgw,dc=example");
              });
    }
  }

  private static ResultCode resultOf(ThrowingSupplier<ResultCode> call) {
    try {
      return call.get();
    } catch (LDAPException e) {
      return e.getResultCode();
    }
  }

  private interface ThrowingSupplier<T> {
    T get() throws LDAPException;
  }

  @Test
  void open_afterAFirstUseCutShort_seedsAgain() throws Exception {
    Path data = tmp.resolve("data");
    Files.createDirectories(data);
    // A kill between creating the first journal and renaming the first snapshot into place.
    Journal.create(DataDirectory.journalFile(data, 1), 1).close();
    Files.writeString(data.resolve(DataDirectory.SNAPSHOT_TMP), "dn: dc=umgw");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      assertThat(store(dir).gateways().objects()).hasSize(9);
    }

    Path damaged = tmp.resolve("damaged");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(damaged)) {
      store(dir).createDialPlan(DialPlan.of("Only In Journal", UriType.E164, 7));
      DataDirs.crashImage(dir.dataDir(), tmp.resolve("image"));
    }
    Files.delete(tmp.resolve("image").resolve(DataDirectory.SNAPSHOT));
    assertThatThrownBy(() -> EmbeddedDirectory.open(tmp.resolve("image")))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("holds changes in journal-")
        .hasMessageContaining("but no snapshot.ldif");
  }

  @Test
  void inProcessConnections_writeThroughTheJournal() throws Exception {
    Path data = tmp.resolve("data");
    String dn = "cn=Via Connection,ou=dialplans,dc=umgw,dc=example";
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data)) {
      try (var c = dir.connection()) {
        c.add(
            "dn: " + dn,
            "objectClass: umDialPlan",
            "cn: Via Connection",
            "umURIType: E164",
            "umNumberOfDigitsInExtension: 7");
      }
      // The server's own connections reach the same interceptor: anonymous, so refused.
      try (var anonymous = dir.server().getConnection()) {
        assertThatThrownBy(() -> anonymous.delete(dn))
            .isInstanceOfSatisfying(
                LDAPException.class,
                e ->
                    assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
        assertThat(anonymous.getEntry(dn)).isNotNull();
      }
      DataDirs.crashImage(dir.dataDir(), tmp.resolve("image"));
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(tmp.resolve("image"))) {
      assertThat(store(dir).dialPlan("Via Connection")).isPresent();
    }
  }

  @Test
  void open_withAnotherBase_startsWithItsContainers() {
    Path data = tmp.resolve("data");
    var options = EmbeddedDirectory.Options.defaults().withBaseDn("o=corp");
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data, options)) {
      assertThat(store(dir).gateways().objects()).isEmpty();
      store(dir).createDialPlan(DialPlan.of("Corp Plan", UriType.E164, 7));
    }
    try (EmbeddedDirectory dir = EmbeddedDirectory.open(data, options)) {
      assertThat(store(dir).dialPlan("Corp Plan")).isPresent();
    }
    assertThatThrownBy(() -> EmbeddedDirectory.open(data))
        .isInstanceOf(UmgwException.class)
        .hasMessageContaining("holds base DN o=corp");
  }

  /** Runs {@code check} on what {@code open} returns, capturing what is logged meanwhile. */
  private static String stderrOf(
      Supplier<EmbeddedDirectory> open, java.util.function.Consumer<EmbeddedDirectory> check) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (EmbeddedDirectory dir = open.get()) {
      System.setErr(original);
      check.accept(dir);
    } finally {
      System.setErr(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
