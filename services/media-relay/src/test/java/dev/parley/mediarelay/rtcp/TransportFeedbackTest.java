package dev.parley.mediarelay.rtcp;

import org.junit.jupiter.api.Test;

import java.util.List;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransportFeedbackTest {

    /** A feedback message as Chromium sends it, header included: FMT 15, PT 205. */
    private static RtcpPacket packet(int... fci) {
        byte[] bytes = new byte[12 + fci.length];
        bytes[0] = (byte) 0x8F;
        bytes[1] = (byte) 205;
        int words = bytes.length / 4 - 1;
        bytes[3] = (byte) words;
        bytes[7] = 1; // sender SSRC 1
        bytes[11] = 2; // media SSRC 2
        for (int i = 0; i < fci.length; i++) {
            bytes[12 + i] = (byte) fci[i];
        }
        try {
            List<RtcpPacket> parsed = RtcpCompound.parse(bytes, 0, bytes.length);
            return parsed.get(0);
        } catch (MalformedRtcpException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void readsRunLengthAndStatusVectorChunksWithSmallAndLargeDeltas() throws Exception {
        // base 100, 5 packets, reference time 2 (x 64 ms), fb count 7;
        // chunk 1: run length, symbol 1 (small delta), run 2 -> 0x2002;
        // chunk 2: two-bit vector: not received, large delta, small delta -> 11 00 10 01 00 00 00 00 -> 0xC900 (7 symbols, 3 used);
        // deltas: 4 (1 ms), 8 (2 ms), large -4 (-1 ms) = 0xFFFC, 12 (3 ms); then padding.
        TransportFeedback feedback = TransportFeedback.parse(packet(
                0, 100, 0, 5, 0, 0, 2, 7,
                0x20, 0x02, 0xC9, 0x00,
                4, 8, 0xFF, 0xFC, 12, 0, 0, 0));
        assertThat(feedback.baseSequence()).isEqualTo(100);
        assertThat(feedback.feedbackCount()).isEqualTo(7);
        long reference = 2 * 64_000L;
        assertThat(feedback.arrivalMicros()).containsExactly(reference + 1000, reference + 3000, TransportFeedback.LOST,
                reference + 2000, reference + 5000);
    }

    @Test
    void oneBitVectorsAndMalformedMessages() throws Exception {
        // 3 packets in a one-bit vector chunk: 1 0 1 -> 10 1 0 1 00000000000 -> 0xA800.
        TransportFeedback feedback = TransportFeedback.parse(packet(0, 1, 0, 3, 0, 0, 0, 0, 0xA8, 0x00, 4, 4));
        assertThat(feedback.arrivalMicros()).containsExactly(1000, TransportFeedback.LOST, 2000);
        assertThatThrownBy(() -> TransportFeedback.parse(packet(0, 1, 0, 30, 0, 0, 0, 0, 0x20, 0x02, 0, 0)))
                .isInstanceOf(MalformedRtcpException.class);
        assertThatThrownBy(() -> TransportFeedback.parse(packet(0, 1, 0, 3, 0, 0, 0, 0, 0x40, 0x03, 0, 4)))
                .as("two-byte deltas missing").isInstanceOf(MalformedRtcpException.class);
    }

    @Test
    void theRelaysOwnReportsReadBackAsWritten() throws Exception {
        long base = 1_000_000_000L; // µs
        long[] arrivals = {base + 3_000, TransportFeedback.LOST, base + 4_000, base + 90_000, base + 89_750,
                TransportFeedback.LOST, TransportFeedback.LOST, TransportFeedback.LOST, base + 95_000};
        TransportFeedbackReport report = new TransportFeedbackReport(7, 9, 65_530, 3, arrivals);
        assertThat(report.reported()).isEqualTo(arrivals.length);
        assertThat(report.length() % 4).isZero();
        byte[] bytes = report.toBytes();
        TransportFeedback read = TransportFeedback.parse(RtcpCompound.parse(bytes, 0, bytes.length).get(0));
        assertThat(read.baseSequence()).isEqualTo(65_530);
        assertThat(read.feedbackCount()).isEqualTo(3);
        long offset = read.arrivalMicros()[0] - arrivals[0];
        for (int k = 0; k < arrivals.length; k++) {
            if (arrivals[k] == TransportFeedback.LOST) {
                assertThat(read.arrivalMicros()[k]).isEqualTo(TransportFeedback.LOST);
            } else {
                assertThat(read.arrivalMicros()[k] - offset).as("packet " + k).isEqualTo(arrivals[k]);
            }
        }
    }
}
