package org.umgw.migration;

import static java.util.Objects.requireNonNull;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFAddChangeRecord;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.ldif.LDIFRecord;
import com.unboundid.ldif.TrailingSpaceBehavior;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.umgw.model.UmgwException;

/**
 * An {@code ldifde} export (RFC 2849) read with UnboundID's LDIF reader: UTF-8, or UTF-16LE/BE when
 * the file starts with a byte-order mark ({@code ldifde -u}); folded lines, base64 values and
 * records with or without {@code changetype: add}.
 *
 * <pre>{@code
 * List<SourceRecord> records = LdifExport.read(Path.of("um.ldf"));
 * }</pre>
 *
 * <p>A record the reader refuses is returned as {@link SourceRecord.Unreadable} and reading goes on
 * with the next, unless the reader cannot find the next record.
 */
public final class LdifExport {
  private static final Logger LOG = LoggerFactory.getLogger(LdifExport.class);

  private LdifExport() {}

  /**
   * Reads every record of {@code file}.
   *
   * @throws UmgwException when the file cannot be read or is not text in its encoding
   */
  public static List<SourceRecord> read(Path file) {
    requireNonNull(file, "file == null");
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new UmgwException(file + ": no such file");
    } catch (IOException e) {
      throw new UmgwException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Reads every record of an export; {@code name} names it in messages.
   *
   * @throws IOException when the stream fails or is not text in its encoding
   */
  public static List<SourceRecord> read(InputStream in, String name) throws IOException {
    Charset charset = skipByteOrderMark(in);
    try {
      return read(in, name, charset);
    } catch (CharacterCodingException e) {
      throw new UmgwException(
          name
              + ": not valid "
              + charset.name()
              + " text ("
              + (charset.equals(StandardCharsets.UTF_8)
                  ? "a file without a byte-order mark is read as UTF-8; ldifde -u writes UTF-16"
                      + " with one"
                  : "as its byte-order mark announces")
              + "): a byte sequence is not a character in that encoding",
          e);
    }
  }

  private static List<SourceRecord> read(InputStream in, String name, Charset charset)
      throws IOException {
    LOG.debug("{}: reading as {}", name, charset);
    var decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<SourceRecord> records = new ArrayList<>();
    try (LDIFReader reader =
        new LDIFReader(new BufferedReader(new InputStreamReader(in, decoder)))) {
      // A value's trailing spaces are data only when base64-encoded; plain ones are editor debris.
      reader.setTrailingSpaceBehavior(TrailingSpaceBehavior.STRIP);
      while (true) {
        LDIFRecord record;
        try {
          record = reader.readLDIFRecord();
        } catch (LDIFException e) {
          records.add(new SourceRecord.Unreadable(where(e), e.getMessage()));
          if (!e.mayContinueReading()) {
            LOG.debug("{}: stopped reading after line {}", name, e.getLineNumber(), e);
            break;
          }
          continue;
        }
        if (record == null) {
          break;
        }
        records.add(toSource(record));
      }
    }
    return records;
  }

  private static SourceRecord toSource(LDIFRecord record) {
    if (record instanceof Entry e) {
      return new SourceRecord.Found(e);
    }
    if (record instanceof LDIFAddChangeRecord add) {
      return new SourceRecord.Found(add.getEntryToAdd());
    }
    LDIFChangeRecord change = (LDIFChangeRecord) record;
    return new SourceRecord.OtherChange(change.getDN(), change.getChangeType().getName());
  }

  /** The record's DN from its first line when it has one, else its line number. */
  private static String where(LDIFException e) {
    List<String> lines = e.getDataLines();
    if (lines != null && !lines.isEmpty() && lines.get(0).regionMatches(true, 0, "dn:", 0, 3)) {
      String first = lines.get(0);
      if (first.length() > 3 && first.charAt(3) != ':') {
        String dn = first.substring(3).strip();
        try {
          return new DN(dn).toString();
        } catch (LDAPException notADn) {
          LOG.debug("record at line {} names no valid DN: {}", e.getLineNumber(), dn, notADn);
        }
      }
    }
    return "line " + e.getLineNumber();
  }

  /** Consumes a byte-order mark if there is one and gives the charset it announces (else UTF-8). */
  private static Charset skipByteOrderMark(InputStream in) throws IOException {
    in.mark(3);
    int b0 = in.read();
    int b1 = in.read();
    if (b0 == 0xFF && b1 == 0xFE) {
      return StandardCharsets.UTF_16LE;
    }
    if (b0 == 0xFE && b1 == 0xFF) {
      return StandardCharsets.UTF_16BE;
    }
    if (b0 == 0xEF && b1 == 0xBB && in.read() == 0xBF) {
      return StandardCharsets.UTF_8;
    }
    in.reset();
    return StandardCharsets.UTF_8;
  }
}
