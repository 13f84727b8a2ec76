package org.umgw.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** {@link AnswerReader} on answers a server should not send. */
class AnswerReaderTest {
  private static final Name GW = Name.fromConstantString("gw.example.test.");

  /**
   * Found by AnswerReaderFuzzTest: a response with opcode UPDATE, whose sections dnsjava reads with
   * dynamic-update rules (an AAAA record may have empty RDATA), made reading the address throw, so
   * the lookup ended as an "internal error" instead of a malformed answer.
   */
  @Test
  void responseWithOpcodeUpdate_isAMalformedAnswer() throws Exception {
    byte[] wire =
        HexFormat.of()
            .parseHex(
                "1234ac000001000100000000026777076578616d706c65047465737400001c0001"
                    + "c00c001c00010000003c0000");
    Message m = new Message(wire);

    AnswerReader.Step step = AnswerReader.read(m, GW, Type.AAAA, new AnswerReader.Chain(GW), 60);

    assertThat(step).isEqualTo(new AnswerReader.Failed("malformed answer (opcode UPDATE)", false));
  }

  @Test
  void addressRecordWithEmptyRdata_isAMalformedAnswer() {
    Message m = Message.newQuery(Record.newRecord(GW, Type.AAAA, DClass.IN));
    m.getHeader().setFlag(Flags.QR);
    m.addRecord(Record.newRecord(GW, Type.AAAA, DClass.IN, 60), Section.ANSWER);

    AnswerReader.Step step = AnswerReader.read(m, GW, Type.AAAA, new AnswerReader.Chain(GW), 60);

    assertThat(step)
        .isEqualTo(new AnswerReader.Failed("malformed answer (AAAA record of 0 bytes)", false));
  }
}
