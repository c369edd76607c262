package dev.parley.mediarelay.rtcp;

import java.io.ByteArrayOutputStream;

/**
 * The relay's own transport-wide congestion control feedback to a publisher (RTPFB FMT 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for the packets numbered
 * {@code baseSequence} onwards, whether each arrived and when, so the browser's congestion control
 * (send-side, delay-based) can estimate its uplink and probe upwards quickly.
 *
 * <p>Written with two-bit status vector chunks (§3.1.4, 7 packets each); receive deltas in 250 µs
 * units, one byte when 0–63.75 ms after the previous arrival, two (signed) otherwise (§3.1.5). A
 * packet whose delta does not fit even two bytes ends the report early: {@link #reported()} says
 * how many packets it covers. Padded to a word with RTCP padding (RFC 3550 §6.4.1).
 */
public final class TransportFeedbackReport implements RtcpMessage {

    private final byte[] encoded;
    private final int reported;

    /**
     * A report from {@code senderSsrc} about {@code mediaSsrc}'s transport; {@code arrivalMicros}
     * per packet from {@code baseSequence}, {@link TransportFeedback#LOST} for one not received.
     */
    public TransportFeedbackReport(long senderSsrc, long mediaSsrc, int baseSequence, int feedbackCount,
                                   long[] arrivalMicros) {
        int first = -1;
        for (int k = 0; k < arrivalMicros.length && first < 0; k++) {
            if (arrivalMicros[k] != TransportFeedback.LOST) {
                first = k;
            }
        }
        long reference = first < 0 ? 0 : Math.floorDiv(arrivalMicros[first], 64_000L);
        long previous = reference * 64_000L;
        ByteArrayOutputStream deltas = new ByteArrayOutputStream();
        int[] symbols = new int[Math.min(arrivalMicros.length, 0xFFFF)];
        int count = 0;
        for (; count < symbols.length; count++) {
            long arrival = arrivalMicros[count];
            if (arrival == TransportFeedback.LOST) {
                symbols[count] = 0;
                continue;
            }
            long delta = Math.round((arrival - previous) / 250.0);
            if (delta >= 0 && delta <= 0xFF) {
                symbols[count] = 1;
                deltas.write((int) delta);
            } else if (delta >= Short.MIN_VALUE && delta <= Short.MAX_VALUE) {
                symbols[count] = 2;
                deltas.write((int) (delta >> 8));
                deltas.write((int) delta);
            } else {
                break;
            }
            previous += delta * 250;
        }
        this.reported = count;
        int chunks = (count + 6) / 7;
        int unpadded = FeedbackHeader.LENGTH + 8 + 2 * chunks + deltas.size();
        int padding = (4 - unpadded % 4) % 4;
        encoded = new byte[unpadded + padding];
        FeedbackHeader.write(encoded, 0, RtcpKind.TRANSPORT_WIDE_CC, encoded.length, senderSsrc, mediaSsrc);
        int i = FeedbackHeader.LENGTH;
        Bytes.put16(encoded, i, baseSequence & 0xFFFF);
        Bytes.put16(encoded, i + 2, count);
        Bytes.put24(encoded, i + 4, (int) (reference & 0xFF_FFFF));
        encoded[i + 7] = (byte) feedbackCount;
        i += 8;
        for (int c = 0; c < chunks; c++) {
            int chunk = 0xC000;
            for (int k = 0; k < 7; k++) {
                int index = c * 7 + k;
                int symbol = index < count ? symbols[index] : 0;
                chunk |= symbol << (2 * (6 - k));
            }
            Bytes.put16(encoded, i, chunk);
            i += 2;
        }
        byte[] deltaBytes = deltas.toByteArray();
        System.arraycopy(deltaBytes, 0, encoded, i, deltaBytes.length);
        if (padding > 0) {
            encoded[0] |= 0x20;
            encoded[encoded.length - 1] = (byte) padding;
        }
    }

    /** How many packets from the base the report covers. */
    public int reported() {
        return reported;
    }

    @Override
    public int length() {
        return encoded.length;
    }

    @Override
    public void writeTo(byte[] out, int offset) {
        System.arraycopy(encoded, 0, out, offset, encoded.length);
    }
}
