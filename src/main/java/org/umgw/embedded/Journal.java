package org.umgw.embedded;

import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.ldif.LDIFWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.umgw.model.UmgwException;

/**
 * The write-ahead journal: one file per generation, appended to and fsync'd once per LDAP write
 * before the client hears of its success.
 *
 * <p>A transaction is framed so that a write cut short by a crash is recognised rather than
 * misread:
 *
 * <pre>
 * # umgw-txn seq=7 length=412 crc32=5d0b3c1a
 * dn: cn=gw1,ou=gateways,dc=umgw,dc=example      (412 bytes of LDIF change records)
 * changetype: add
 * ...
 *
 * # umgw-commit seq=7
 * </pre>
 *
 * The frame lines are LDIF comments, so the file stays plain LDIF. A transaction counts only when
 * its payload is complete, its CRC-32 matches and its commit line follows; whatever comes after the
 * last such transaction is a torn tail, ignored with a warning. Bad bytes followed by a later
 * intact transaction are not a torn write but damage, and reading refuses the file.
 *
 * <p>Records hold whole entries: {@code add} is an entry's full state after the change (replacing
 * any earlier version), {@code delete} removes an entry with its subtree. Replaying them is
 * therefore idempotent and needs no knowledge of the operation that produced them.
 */
final class Journal implements Closeable {
  private static final Pattern TXN =
      Pattern.compile("# umgw-txn seq=(\\d{1,18}) length=(\\d{1,10}) crc32=([0-9a-f]{8})");
  private static final String TXN_PREFIX = "# umgw-txn ";
  private static final String COMMIT = "# umgw-commit seq=";

  private final Path file;
  private final FileChannel channel;
  private long size;
  private long seq;
  private long transactions;

  private Journal(Path file, FileChannel channel, long size, long seq, long transactions) {
    this.file = file;
    this.channel = channel;
    this.size = size;
    this.seq = seq;
    this.transactions = transactions;
  }

  /**
   * Creates (or empties) the journal of {@code generation} holding only its header, on disk. The
   * caller makes the directory entry durable before the first append.
   */
  static Journal create(Path file, long generation) throws IOException {
    FileChannel channel =
        FileChannel.open(
            file,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING);
    try {
      byte[] header = header(generation).getBytes(StandardCharsets.UTF_8);
      writeFully(channel, ByteBuffer.wrap(header), 0);
      channel.force(true);
      return new Journal(file, channel, header.length, 0, 0);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Opens an existing journal read by {@link #read} for appending after its last transaction. */
  static Journal reopen(Path file, Replay replay) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
    try {
      if (channel.size() != replay.validLength()) {
        channel.truncate(replay.validLength());
        channel.force(true);
      }
      return new Journal(
          file, channel, replay.validLength(), replay.lastSeq(), replay.transactions().size());
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  static String header(long generation) {
    return "# umgw-journal generation="
        + generation
        + "\n"
        + "# Write-ahead journal of the umgw embedded directory: the changes made after\n"
        + "# snapshot.ldif of the same generation. Each transaction is a '# umgw-txn' line (sequence,\n"
        + "# payload length in bytes, CRC-32), LDIF change records, and a '# umgw-commit' line;\n"
        + "# 'add' is an entry's whole state after the change, 'delete' removes an entry and its\n"
        + "# subtree. Replay keeps only complete transactions whose CRC matches.\n";
  }

  Path file() {
    return file;
  }

  /** Bytes in the file, header included. */
  long size() {
    return size;
  }

  /** Transactions in the file. */
  long transactions() {
    return transactions;
  }

  /**
   * Appends one transaction and forces it to disk: when this returns, the change survives a crash
   * of the process or the machine.
   */
  void append(List<? extends LDIFChangeRecord> records) throws IOException {
    byte[] frame = frame(seq + 1, records);
    writeFully(channel, ByteBuffer.wrap(frame), size);
    channel.force(false);
    size += frame.length;
    seq++;
    transactions++;
  }

  static byte[] frame(long seq, List<? extends LDIFChangeRecord> records) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    try (LDIFWriter writer = new LDIFWriter(payload)) {
      for (LDIFChangeRecord r : records) {
        writer.writeChangeRecord(r);
      }
    }
    byte[] body = payload.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(body);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 96);
    out.write(
        String.format(
                Locale.ROOT,
                "%sseq=%d length=%d crc32=%08x\n",
                TXN_PREFIX,
                seq,
                body.length,
                crc.getValue())
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.write((COMMIT + seq + "\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private static void writeFully(FileChannel channel, ByteBuffer buffer, long position)
      throws IOException {
    long at = position;
    while (buffer.hasRemaining()) {
      at += channel.write(buffer, at);
    }
  }

  // ---------------------------------------------------------------- reading

  /**
   * What a journal file holds.
   *
   * @param transactions the complete transactions, in order
   * @param validLength bytes up to the end of the last complete transaction (or of the header)
   * @param lastSeq sequence number of the last complete transaction, 0 if none
   * @param tornBytes bytes after {@code validLength}: an incomplete write, ignored
   */
  record Replay(
      List<List<LDIFChangeRecord>> transactions, long validLength, long lastSeq, long tornBytes) {}

  /**
   * Reads a journal, keeping the complete transactions and reporting a torn tail.
   *
   * @throws UmgwException when the file is damaged in a way a crash cannot explain: a bad
   *     transaction followed by an intact one, sequence numbers out of order, or a payload that
   *     passes its CRC but is not LDIF
   */
  static Replay read(Path file) throws IOException {
    byte[] data = Files.readAllBytes(file);
    int pos = 0;
    // Header: comment lines before the first transaction.
    while (pos < data.length) {
      int eol = indexOf(data, (byte) '\n', pos);
      if (eol < 0 || data[pos] != '#' || startsWith(data, pos, TXN_PREFIX)) {
        break;
      }
      pos = eol + 1;
    }
    List<List<LDIFChangeRecord>> transactions = new ArrayList<>();
    long lastSeq = 0;
    while (pos < data.length) {
      Parsed p = parse(data, pos, file);
      if (p == null) {
        if (intactTransactionAfter(data, pos, file)) {
          throw new UmgwException(
              "journal "
                  + file
                  + " is damaged at byte "
                  + pos
                  + " but holds complete transactions after it, so this is not a write cut"
                  + " short by a crash; restore the data directory from a backup, or move this"
                  + " file away to open the directory without the changes it holds");
        }
        return new Replay(transactions, pos, lastSeq, data.length - pos);
      }
      if (p.seq != lastSeq + 1) {
        throw new UmgwException(
            "journal "
                + file
                + " is damaged: transaction "
                + p.seq
                + " at byte "
                + pos
                + " follows transaction "
                + lastSeq);
      }
      transactions.add(p.records);
      lastSeq = p.seq;
      pos = p.end;
    }
    return new Replay(transactions, pos, lastSeq, 0);
  }

  private record Parsed(long seq, List<LDIFChangeRecord> records, int end) {}

  /** The transaction at {@code pos}, or {@code null} when it is incomplete or fails its CRC. */
  private static Parsed parse(byte[] data, int pos, Path file) {
    int eol = indexOf(data, (byte) '\n', pos);
    if (eol < 0) {
      return null;
    }
    Matcher m = TXN.matcher(new String(data, pos, eol - pos, StandardCharsets.US_ASCII));
    if (!m.matches()) {
      return null;
    }
    long seq = Long.parseLong(m.group(1));
    long length = Long.parseLong(m.group(2));
    long expectedCrc = Long.parseLong(m.group(3), 16);
    int start = eol + 1;
    if (length > data.length - start) {
      return null;
    }
    int end = start + (int) length;
    CRC32 crc = new CRC32();
    crc.update(data, start, (int) length);
    if (crc.getValue() != expectedCrc) {
      return null;
    }
    byte[] commit = (COMMIT + seq + "\n").getBytes(StandardCharsets.US_ASCII);
    if (end + commit.length > data.length || !startsWith(data, end, commit)) {
      return null;
    }
    List<LDIFChangeRecord> records = new ArrayList<>();
    try (LDIFReader reader = new LDIFReader(new ByteArrayInputStream(data, start, (int) length))) {
      LDIFChangeRecord r;
      while ((r = reader.readChangeRecord()) != null) {
        records.add(r);
      }
    } catch (IOException | LDIFException e) {
      throw new UmgwException(
          "journal "
              + file
              + " is damaged: transaction "
              + seq
              + " at byte "
              + pos
              + " passes its CRC but is not LDIF: "
              + e.getMessage(),
          e);
    }
    return new Parsed(seq, records, end + commit.length);
  }

  private static boolean intactTransactionAfter(byte[] data, int pos, Path file) {
    byte[] marker = ("\n" + TXN_PREFIX).getBytes(StandardCharsets.US_ASCII);
    for (int i = indexOf(data, marker, pos); i >= 0; i = indexOf(data, marker, i + 1)) {
      if (parse(data, i + 1, file) != null) {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] data, byte[] needle, int from) {
    outer:
    for (int i = Math.max(from, 0); i <= data.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean startsWith(byte[] data, int pos, String prefix) {
    return startsWith(data, pos, prefix.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean startsWith(byte[] data, int pos, byte[] prefix) {
    if (pos + prefix.length > data.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (data[pos + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
