package dev.parley.mediarelay.rtcp;

import java.util.Optional;

/**
 * What the relay has received of one incoming media stream (one SSRC), kept as RFC 3550 Appendix A
 * prescribes so that the relay can send the publisher receiver reports (§6.4.2) as the endpoint of
 * its RTP session:
 * <ul>
 *   <li>A.1: the highest sequence number, extended by the count of 16-bit wrap-arounds; a jump of
 *       more than {@value #MAX_DROPOUT} ahead or {@value #MAX_MISORDER} behind is taken as a restart
 *       of the sender only when the next packet follows it, and ignored otherwise. <b>Simplified:</b>
 *       no probation. A.1 waits for two in-sequence packets before trusting a new source, against
 *       stray or garbled packets; the relay only sees packets that passed SRTP authentication
 *       from an SSRC the publisher declared, so the first one is trusted.</li>
 *   <li>A.3: cumulative loss (expected − received, clamped to 24 bits signed; duplicates count as
 *       received, so it can go negative) and the fraction lost since the previous report.</li>
 *   <li>A.8: interarrival jitter, in the integer form with 4 fractional bits.</li>
 *   <li>§6.4.1: LSR and DLSR from the last sender report of the source, so the sender can compute
 *       the round-trip time.</li>
 * </ul>
 * Which packets to NACK is the {@link NackTracker}'s business. Not thread-safe: one stream is fed by
 * one thread.
 */
public final class ReceptionStatistics {

    public static final int MAX_DROPOUT = 3000;
    public static final int MAX_MISORDER = 100;

    private static final int SEQ_MOD = 1 << 16;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long DLSR_UNITS_PER_SECOND = 65_536;

    private final long ssrc;
    private final int clockRate;

    private boolean started;
    private int maxSeq;
    private long cycles;
    private long baseSeq;
    private int badSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private long firstArrivalNanos;
    private int lastTransit;
    private long jitterQ4;

    private long lastSenderReport;
    private long lastSenderReportArrivalNanos;
    private boolean senderReportSeen;

    /**
     * @param ssrc      the stream's SSRC, reported in the block
     * @param clockRate its RTP clock rate in Hz (e.g. 48000 for Opus, 90000 for video, RFC 7587 §4.1, RFC 7741 §4.1)
     */
    public ReceptionStatistics(long ssrc, int clockRate) {
        this.ssrc = Bytes.requireU32(ssrc, "SSRC");
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        this.clockRate = clockRate;
    }

    /** One RTP packet of the stream arrived at {@code arrivalNanos} ({@link System#nanoTime()} clock). */
    public void onPacket(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
        Bytes.requireRange(sequenceNumber, 0, 0xFFFF, "sequence number");
        if (!started) {
            started = true;
            firstArrivalNanos = arrivalNanos;
            restartAt(sequenceNumber, rtpTimestamp, arrivalNanos);
            return;
        }
        int delta = (sequenceNumber - maxSeq) & 0xFFFF;
        if (delta < MAX_DROPOUT) {
            if (sequenceNumber < maxSeq) {
                cycles += SEQ_MOD;
            }
            maxSeq = sequenceNumber;
        } else if (delta <= SEQ_MOD - MAX_MISORDER) {
            if (sequenceNumber != badSeq) {
                badSeq = (sequenceNumber + 1) & 0xFFFF;
                return;
            }
            restartAt(sequenceNumber, rtpTimestamp, arrivalNanos);
            return;
        }
        received++;
        updateJitter(rtpTimestamp, arrivalNanos);
    }

    /** A sender report of this stream's source arrived: its LSR and arrival time go into the next blocks. */
    public void onSenderReport(SenderReport report, long arrivalNanos) {
        if (report.senderSsrc() != ssrc) {
            throw new IllegalArgumentException("sender report of " + report.senderSsrc() + " for stream " + ssrc);
        }
        lastSenderReport = report.compactNtp();
        lastSenderReportArrivalNanos = arrivalNanos;
        senderReportSeen = true;
    }

    /**
     * The report block for a report sent at {@code nowNanos}; empty before the first packet. Starts a new
     * reporting interval: the next block's fraction lost counts from here (Appendix A.3).
     */
    public Optional<ReportBlock> reportBlock(long nowNanos) {
        if (!started) {
            return Optional.empty();
        }
        long expected = extendedHighest() - baseSeq + 1;
        long lost = Math.max(ReportBlock.MIN_CUMULATIVE_LOST,
                Math.min(ReportBlock.MAX_CUMULATIVE_LOST, expected - received));
        long expectedInterval = expected - expectedPrior;
        long lostInterval = expectedInterval - (received - receivedPrior);
        expectedPrior = expected;
        receivedPrior = received;
        int fraction = expectedInterval == 0 || lostInterval <= 0
                ? 0
                : (int) Math.min(255, (lostInterval << 8) / expectedInterval);
        return Optional.of(new ReportBlock(ssrc, fraction, (int) lost, extendedHighest() & 0xFFFF_FFFFL,
                Math.min(0xFFFF_FFFFL, jitterQ4 >> 4), senderReportSeen ? lastSenderReport : 0,
                delaySinceLastSenderReport(nowNanos)));
    }

    /** DLSR in 1/65536 s (RFC 3550 §6.4.1); 0 before any sender report. */
    private long delaySinceLastSenderReport(long nowNanos) {
        if (!senderReportSeen) {
            return 0;
        }
        long elapsed = Math.max(0, nowNanos - lastSenderReportArrivalNanos);
        return Math.min(0xFFFF_FFFFL, toUnits(elapsed, DLSR_UNITS_PER_SECOND));
    }

    private long extendedHighest() {
        return cycles + maxSeq;
    }

    /** A.1 init_seq, then counting the packet: the first packet, or the sender restarted its sequence. */
    private void restartAt(int sequenceNumber, long rtpTimestamp, long arrivalNanos) {
        maxSeq = sequenceNumber;
        baseSeq = sequenceNumber;
        cycles = 0;
        badSeq = SEQ_MOD + 1;
        received = 1;
        expectedPrior = 0;
        receivedPrior = 0;
        lastTransit = transit(rtpTimestamp, arrivalNanos);
    }

    /** A.8: J += (|D| − J) / 16, kept ×16 as an integer; transit differences wrap with the 32-bit timestamp. */
    private void updateJitter(long rtpTimestamp, long arrivalNanos) {
        int transit = transit(rtpTimestamp, arrivalNanos);
        long d = Math.abs((long) (transit - lastTransit));
        lastTransit = transit;
        jitterQ4 += d - ((jitterQ4 + 8) >> 4);
    }

    /** Arrival in RTP timestamp units minus the RTP timestamp, modulo 2^32 (A.8). */
    private int transit(long rtpTimestamp, long arrivalNanos) {
        return (int) (toUnits(arrivalNanos - firstArrivalNanos, clockRate) - rtpTimestamp);
    }

    /** Nanoseconds in units of 1/perSecond s, without overflowing for calls of any length. */
    private static long toUnits(long nanos, long perSecond) {
        return nanos / NANOS_PER_SECOND * perSecond + nanos % NANOS_PER_SECOND * perSecond / NANOS_PER_SECOND;
    }
}
