package dev.parley.mediarelay.rtcp;

/**
 * One reception report block of an SR or RR (RFC 3550 §6.4.1): how one source's stream arrived.
 *
 * @param ssrc                       the source this block reports on
 * @param fractionLost               packets lost since the previous report, in 1/256 of those expected (0..255)
 * @param cumulativeLost             packets lost since reception began, signed 24-bit (duplicates can make it negative)
 * @param extendedHighestSequence    cycles × 2^16 + the highest sequence number received
 * @param jitter                     interarrival jitter in RTP timestamp units (§6.4.1, Appendix A.8)
 * @param lastSenderReport           LSR: the middle 32 bits of the NTP timestamp of the source's last SR, 0 if none
 * @param delaySinceLastSenderReport DLSR: time since that SR arrived, in 1/65536 s, 0 if none
 */
public record ReportBlock(long ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence,
                          long jitter, long lastSenderReport, long delaySinceLastSenderReport) {

    /** Each block is 24 bytes (RFC 3550 §6.4.1). */
    static final int LENGTH = 24;

    /** The range of a signed 24-bit cumulative loss. */
    public static final int MAX_CUMULATIVE_LOST = 0x7F_FFFF;
    public static final int MIN_CUMULATIVE_LOST = -0x80_0000;

    public ReportBlock {
        Bytes.requireU32(ssrc, "SSRC");
        Bytes.requireRange(fractionLost, 0, 255, "fraction lost");
        Bytes.requireRange(cumulativeLost, MIN_CUMULATIVE_LOST, MAX_CUMULATIVE_LOST, "cumulative lost");
        Bytes.requireU32(extendedHighestSequence, "extended highest sequence number");
        Bytes.requireU32(jitter, "jitter");
        Bytes.requireU32(lastSenderReport, "LSR");
        Bytes.requireU32(delaySinceLastSenderReport, "DLSR");
    }

    static ReportBlock read(byte[] b, int i) {
        return new ReportBlock(Bytes.u32(b, i), Bytes.u8(b, i + 4), (Bytes.u24(b, i + 5) << 8) >> 8,
                Bytes.u32(b, i + 8), Bytes.u32(b, i + 12), Bytes.u32(b, i + 16), Bytes.u32(b, i + 20));
    }

    void writeTo(byte[] b, int i) {
        Bytes.put32(b, i, ssrc);
        b[i + 4] = (byte) fractionLost;
        Bytes.put24(b, i + 5, cumulativeLost & 0xFF_FFFF);
        Bytes.put32(b, i + 8, extendedHighestSequence);
        Bytes.put32(b, i + 12, jitter);
        Bytes.put32(b, i + 16, lastSenderReport);
        Bytes.put32(b, i + 20, delaySinceLastSenderReport);
    }
}
