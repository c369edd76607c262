package dev.parley.mediarelay.rtcp;

import java.util.Arrays;

/**
 * A transport-wide congestion control feedback message (RTPFB FMT 15,
 * draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): for a run of transport-wide sequence
 * numbers starting at {@code baseSequence}, whether each packet arrived and when, as the receiver's
 * clock saw it. Arrival times are in microseconds from the message's reference time (§3.1.5: 64 ms
 * units) plus the cumulated receive deltas (§3.1.5: 250 µs units).
 *
 * @param baseSequence the first packet's transport-wide sequence number
 * @param arrivalMicros per packet from the base, its arrival in µs, or {@link #LOST}
 */
public record TransportFeedback(long mediaSsrc, int baseSequence, int feedbackCount, long[] arrivalMicros) {

    /** The arrival of a packet the receiver did not get. */
    public static final long LOST = Long.MIN_VALUE;

    private static final int NOT_RECEIVED = 0;
    private static final int SMALL_DELTA = 1;
    private static final int LARGE_DELTA = 2;

    /** Parses the FCI; throws for one whose chunks, count and deltas disagree. */
    public static TransportFeedback parse(RtcpPacket packet) throws MalformedRtcpException {
        packet.requireKind(RtcpKind.TRANSPORT_WIDE_CC);
        int fci = FeedbackHeader.fciLength(packet);
        if (fci < 8) {
            throw new MalformedRtcpException("transport-cc FCI of " + fci + " bytes is shorter than its 8-byte header");
        }
        byte[] b = packet.data();
        int i = FeedbackHeader.fciStart(packet);
        int end = i + fci;
        int base = Bytes.u16(b, i);
        int count = Bytes.u16(b, i + 2);
        long referenceMicros = Bytes.u24(b, i + 4) * 64_000L; // as Chromium writes it: unsigned, wrapping after 12 days
        int feedbackCount = Bytes.u8(b, i + 7);
        i += 8;
        int[] symbols = new int[count];
        int read = 0;
        while (read < count) {
            if (i + 2 > end) {
                throw new MalformedRtcpException("transport-cc chunks end before " + count + " packets");
            }
            int chunk = Bytes.u16(b, i);
            i += 2;
            if ((chunk & 0x8000) == 0) { // run length chunk (§3.1.3)
                int symbol = (chunk >>> 13) & 0x3;
                int run = chunk & 0x1FFF;
                for (int k = 0; k < run && read < count; k++) {
                    symbols[read++] = symbol;
                }
            } else if ((chunk & 0x4000) == 0) { // status vector chunk, 14 one-bit symbols (§3.1.4)
                for (int k = 13; k >= 0 && read < count; k--) {
                    symbols[read++] = (chunk >>> k) & 0x1;
                }
            } else { // status vector chunk, 7 two-bit symbols
                for (int k = 6; k >= 0 && read < count; k--) {
                    symbols[read++] = (chunk >>> (2 * k)) & 0x3;
                }
            }
        }
        long[] arrivals = new long[count];
        Arrays.fill(arrivals, LOST);
        long time = referenceMicros;
        for (int k = 0; k < count; k++) {
            if (symbols[k] == NOT_RECEIVED) {
                continue;
            }
            if (symbols[k] == SMALL_DELTA) {
                if (i + 1 > end) {
                    throw new MalformedRtcpException("transport-cc receive deltas end early");
                }
                time += Bytes.u8(b, i) * 250L;
                i += 1;
            } else if (symbols[k] == LARGE_DELTA) {
                if (i + 2 > end) {
                    throw new MalformedRtcpException("transport-cc receive deltas end early");
                }
                time += (short) Bytes.u16(b, i) * 250L;
                i += 2;
            } else {
                throw new MalformedRtcpException("transport-cc status symbol 3 is reserved");
            }
            arrivals[k] = time;
        }
        return new TransportFeedback(FeedbackHeader.mediaSsrc(packet), base, feedbackCount, arrivals);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TransportFeedback that && mediaSsrc == that.mediaSsrc
                && baseSequence == that.baseSequence && feedbackCount == that.feedbackCount
                && Arrays.equals(arrivalMicros, that.arrivalMicros);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(mediaSsrc) * 31 + baseSequence;
    }

    @Override
    public String toString() {
        return "TransportFeedback[base=" + baseSequence + ", packets=" + arrivalMicros.length + "]";
    }
}
