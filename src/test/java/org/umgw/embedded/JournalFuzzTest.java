package org.umgw.embedded;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFAddChangeRecord;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFDeleteChangeRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.umgw.model.UmgwException;

/**
 * Fuzz targets for the journal reader: what {@code serve} reads back from its data directory on
 * start, after a crash, a full disk, or someone editing the file.
 *
 * <p>{@link #read} takes the journal file as it is (seeds: journals the embedded directory wrote);
 * {@link #transaction} frames the fuzzed bytes as one transaction with a correct length and CRC, so
 * that the fuzzer reaches the LDIF inside instead of stopping at the checksum (seeds: the sample
 * LDIF and change records).
 *
 * <p>Properties: the only refusal is {@link UmgwException} (damage a crash cannot explain);
 * transactions are numbered 1, 2, ...; the valid prefix and the torn tail add up to the file, and
 * the valid prefix alone reads the same with no torn tail; transactions written again by {@link
 * Journal#frame} read back equal; and recovery from a snapshot plus the journal holds exactly what
 * a model (add = replace the entry, delete = remove the entry and its subtree) says.
 */
class JournalFuzzTest {
  private static final DN BASE = dn("dc=umgw,dc=example");
  private static final Entry BASE_ENTRY =
      new Entry(
          "dc=umgw,dc=example", new com.unboundid.ldap.sdk.Attribute("objectClass", "domain"));
  private static Path dir;

  private static DN dn(String s) {
    try {
      return new DN(s);
    } catch (LDAPException e) {
      throw new IllegalStateException(e);
    }
  }

  private static synchronized Path dir() throws IOException {
    if (dir == null) {
      dir = Files.createTempDirectory("umgw-journal-fuzz");
      String snapshot =
          "# umgw-snapshot generation=1 base="
              + BASE
              + "\n"
              + BASE_ENTRY.toLDIFString()
              + "\n# umgw-snapshot-end entries=1\n";
      Files.writeString(dir.resolve(DataDirectory.SNAPSHOT), snapshot);
    }
    return dir;
  }

  @AfterAll
  static void removeDir() throws IOException {
    if (dir != null) {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
      dir = null;
    }
  }

  @FuzzTest(maxDuration = "30s")
  void read(byte[] data) throws IOException {
    check(data);
  }

  @FuzzTest(maxDuration = "30s")
  void transaction(byte[] payload) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(payload);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(Journal.header(1).getBytes(UTF_8));
    file.writeBytes(
        String.format(
                Locale.ROOT,
                "# umgw-txn seq=1 length=%d crc32=%08x\n",
                payload.length,
                crc.getValue())
            .getBytes(US_ASCII));
    file.writeBytes(payload);
    file.writeBytes("# umgw-commit seq=1\n".getBytes(US_ASCII));
    check(file.toByteArray());
  }

  private static void check(byte[] data) throws IOException {
    Path journal = Files.write(DataDirectory.journalFile(dir(), 1), data);
    Journal.Replay replay;
    try {
      replay = Journal.read(journal);
    } catch (UmgwException e) {
      assertNotNull(e.getMessage());
      return;
    }
    assertTrue(replay.validLength() >= 0 && replay.tornBytes() >= 0, replay.toString());
    assertEquals(data.length, replay.validLength() + replay.tornBytes());
    assertEquals(replay.transactions().size(), replay.lastSeq());

    // The valid prefix alone is a clean journal with the same transactions.
    Files.write(journal, Arrays.copyOf(data, (int) replay.validLength()));
    Journal.Replay prefix = Journal.read(journal);
    assertEquals(replay.transactions(), prefix.transactions());
    assertEquals(0, prefix.tornBytes());

    // Written again, the transactions read back equal.
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
    rewritten.writeBytes(Journal.header(1).getBytes(UTF_8));
    for (int i = 0; i < replay.transactions().size(); i++) {
      rewritten.writeBytes(Journal.frame(i + 1, replay.transactions().get(i)));
    }
    Files.write(journal, rewritten.toByteArray());
    Journal.Replay again = Journal.read(journal);
    assertEquals(replay.transactions(), again.transactions());
    assertEquals(0, again.tornBytes());

    // Recovery from the snapshot and the journal holds what the model says.
    Files.write(journal, data);
    Map<DN, Entry> model = new HashMap<>();
    model.put(BASE, BASE_ENTRY);
    boolean refused = false;
    for (List<LDIFChangeRecord> txn : replay.transactions()) {
      for (LDIFChangeRecord r : txn) {
        DN target;
        try {
          target = r.getParsedDN();
        } catch (LDAPException e) {
          refused = true;
          break;
        }
        if (r instanceof LDIFAddChangeRecord add) {
          model.put(target, add.getEntryToAdd());
        } else if (r instanceof LDIFDeleteChangeRecord) {
          model.keySet().removeIf(d -> d.isDescendantOf(target, true));
        } else {
          refused = true;
          break;
        }
      }
    }
    DataDirectory.Recovered recovered;
    try {
      recovered = DataDirectory.recover(dir(), BASE);
    } catch (UmgwException e) {
      assertTrue(refused, "recovery refused a journal the model accepts: " + e.getMessage());
      return;
    }
    assertTrue(!refused, "recovery accepted a journal with a record it cannot apply");
    Map<DN, Entry> image = new HashMap<>();
    for (Entry e : recovered.image().entries()) {
      try {
        image.put(e.getParsedDN(), e);
      } catch (LDAPException ex) {
        throw new AssertionError("recovered an entry with an invalid DN: " + e.getDN(), ex);
      }
    }
    assertEquals(model, image);
  }
}
