package dev.parley.mediarelay.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Full Intra Request, PSFB FMT 4 (RFC 5104 §4.3.1): asks one or more media senders for an intra
 * (key) frame. The targets are named in the FCI entries; the common header's media source SSRC is 0
 * (§4.3.1.2) and ignored on reading.
 *
 * @param senderSsrc the SSRC of the packet sender
 * @param entries    at least one
 */
public record FullIntraRequest(long senderSsrc, List<Entry> entries) implements RtcpMessage {

    private static final int ENTRY_LENGTH = 8;

    /**
     * One FCI entry (RFC 5104 §4.3.1.1).
     *
     * @param ssrc           the media sender asked for a key frame
     * @param sequenceNumber the command sequence number, 0..255: incremented by one (mod 256) for each new
     *                       request to that sender, repeated unchanged on a retransmission (§4.3.1.2)
     */
    public record Entry(long ssrc, int sequenceNumber) {
        public Entry {
            Bytes.requireU32(ssrc, "SSRC");
            Bytes.requireRange(sequenceNumber, 0, 255, "FIR sequence number");
        }
    }

    public FullIntraRequest {
        Bytes.requireU32(senderSsrc, "SSRC");
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a FIR names at least one media sender");
        }
        entries = List.copyOf(entries);
    }

    /** A FIR to one media sender, the only form the relay sends. */
    public static FullIntraRequest of(long senderSsrc, long targetSsrc, int sequenceNumber) {
        return new FullIntraRequest(senderSsrc, List.of(new Entry(targetSsrc, sequenceNumber)));
    }

    public static FullIntraRequest parse(RtcpPacket packet) throws MalformedRtcpException {
        packet.requireKind(RtcpKind.FULL_INTRA_REQUEST);
        int fci = FeedbackHeader.fciLength(packet);
        if (fci == 0 || fci % ENTRY_LENGTH != 0) {
            throw new MalformedRtcpException("FIR FCI of " + fci + " bytes is not a whole number of entries");
        }
        byte[] b = packet.data();
        int start = FeedbackHeader.fciStart(packet);
        List<Entry> entries = new ArrayList<>(fci / ENTRY_LENGTH);
        for (int i = start; i < start + fci; i += ENTRY_LENGTH) {
            entries.add(new Entry(Bytes.u32(b, i), Bytes.u8(b, i + 4)));
        }
        return new FullIntraRequest(packet.senderSsrc(), entries);
    }

    @Override
    public int length() {
        return FeedbackHeader.LENGTH + entries.size() * ENTRY_LENGTH;
    }

    @Override
    public void writeTo(byte[] out, int offset) {
        FeedbackHeader.write(out, offset, RtcpKind.FULL_INTRA_REQUEST, length(), senderSsrc, 0);
        for (int e = 0; e < entries.size(); e++) {
            int i = offset + FeedbackHeader.LENGTH + e * ENTRY_LENGTH;
            Bytes.put32(out, i, entries.get(e).ssrc());
            out[i + 4] = (byte) entries.get(e).sequenceNumber();
            Bytes.put24(out, i + 5, 0);
        }
    }
}
