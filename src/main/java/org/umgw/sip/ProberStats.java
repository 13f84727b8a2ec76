package org.umgw.sip;

/**
 * Counters of an {@link OptionsProber} since it was opened. Every datagram or stream message that
 * did not complete a probe is counted under one {@code dropped*} reason.
 *
 * @param probes probes started
 * @param retransmissions UDP requests sent again (RFC 3261 Timer E)
 * @param answered probes completed by a final response
 * @param failed probes completed without one (timeout, refused, TLS, I/O)
 * @param droppedMalformed messages that did not parse (garbage, bad start line, bad length)
 * @param droppedOversized messages above the size limit
 * @param droppedUnmatched responses whose branch, Call-ID or CSeq matched no probe in flight, and
 *     requests sent to the prober
 * @param droppedWrongSource UDP responses with a known branch from another address or port
 */
public record ProberStats(
    long probes,
    long retransmissions,
    long answered,
    long failed,
    long droppedMalformed,
    long droppedOversized,
    long droppedUnmatched,
    long droppedWrongSource) {

  public long dropped() {
    return droppedMalformed + droppedOversized + droppedUnmatched + droppedWrongSource;
  }
}
