package dev.parley.mediarelay.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Generic NACK, RTPFB FMT 1 (RFC 4585 §6.2.1): the RTP sequence numbers a receiver has lost. On the
 * wire each FCI entry is a PID (a lost packet) and a BLP bitmask whose bit i means PID + i + 1 is lost
 * too, so up to 17 losses share an entry. Sequence numbers wrap at 2^16.
 *
 * @param senderSsrc          the SSRC of the packet sender
 * @param mediaSsrc           the stream the losses are in
 * @param lostSequenceNumbers at least one, each 0..65535; written in this order, so an ascending list packs
 *                            tightest and reads back unchanged
 */
public record GenericNack(long senderSsrc, long mediaSsrc, List<Integer> lostSequenceNumbers) implements RtcpMessage {

    private static final int ENTRY_LENGTH = 4;
    private static final int BLP_BITS = 16;

    public GenericNack {
        Bytes.requireU32(senderSsrc, "SSRC");
        Bytes.requireU32(mediaSsrc, "media SSRC");
        if (lostSequenceNumbers.isEmpty()) {
            throw new IllegalArgumentException("a NACK names at least one lost packet");
        }
        for (int sequenceNumber : lostSequenceNumbers) {
            Bytes.requireRange(sequenceNumber, 0, 0xFFFF, "sequence number");
        }
        lostSequenceNumbers = List.copyOf(lostSequenceNumbers);
    }

    public static GenericNack parse(RtcpPacket packet) throws MalformedRtcpException {
        packet.requireKind(RtcpKind.GENERIC_NACK);
        int fci = FeedbackHeader.fciLength(packet);
        if (fci == 0 || fci % ENTRY_LENGTH != 0) {
            throw new MalformedRtcpException("NACK FCI of " + fci + " bytes is not a whole number of PID/BLP pairs");
        }
        byte[] b = packet.data();
        int start = FeedbackHeader.fciStart(packet);
        List<Integer> lost = new ArrayList<>();
        for (int i = start; i < start + fci; i += ENTRY_LENGTH) {
            int pid = Bytes.u16(b, i);
            int blp = Bytes.u16(b, i + 2);
            lost.add(pid);
            for (int bit = 0; bit < BLP_BITS; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    lost.add((pid + bit + 1) & 0xFFFF);
                }
            }
        }
        return new GenericNack(packet.senderSsrc(), FeedbackHeader.mediaSsrc(packet), lost);
    }

    @Override
    public int length() {
        return FeedbackHeader.LENGTH + pidBlpPairs().size() * ENTRY_LENGTH;
    }

    @Override
    public void writeTo(byte[] out, int offset) {
        List<int[]> pairs = pidBlpPairs();
        FeedbackHeader.write(out, offset, RtcpKind.GENERIC_NACK,
                FeedbackHeader.LENGTH + pairs.size() * ENTRY_LENGTH, senderSsrc, mediaSsrc);
        for (int p = 0; p < pairs.size(); p++) {
            int i = offset + FeedbackHeader.LENGTH + p * ENTRY_LENGTH;
            Bytes.put16(out, i, pairs.get(p)[0]);
            Bytes.put16(out, i + 2, pairs.get(p)[1]);
        }
    }

    /** Greedy packing in list order: a number joins the current pair if it lies 1..16 after its PID. */
    private List<int[]> pidBlpPairs() {
        List<int[]> pairs = new ArrayList<>();
        int[] current = null;
        for (int sequenceNumber : lostSequenceNumbers) {
            int distance = current == null ? 0 : (sequenceNumber - current[0]) & 0xFFFF;
            if (current != null && distance >= 1 && distance <= BLP_BITS
                    && (current[1] & (1 << (distance - 1))) == 0) {
                current[1] |= 1 << (distance - 1);
            } else {
                current = new int[] {sequenceNumber, 0};
                pairs.add(current);
            }
        }
        return pairs;
    }
}
