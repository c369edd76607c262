package dev.parley.mediarelay.bwe;

import dev.parley.mediarelay.rtcp.TransportFeedback;
import dev.parley.mediarelay.rtcp.TransportFeedbackReport;

import java.util.Arrays;
import java.util.Optional;

/**
 * When the packets a publisher numbered with transport-wide sequence numbers arrived
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2), until the next feedback report tells
 * the publisher: a ring of the last {@link #SIZE} numbers. A number older than the last report's
 * range (a very late or repeated packet) is ignored. Called on the media thread and the pacer's
 * timer: synchronized.
 */
final class ArrivalRecorder {

    static final int SIZE = 1 << 12;

    private final int[] sequence = new int[SIZE];
    private final long[] arrivalMicros = new long[SIZE];
    private boolean pending;
    private int base;
    private int highest;
    private int feedbackCount;
    private boolean reportedOnce;

    ArrivalRecorder() {
        Arrays.fill(sequence, -1);
    }

    synchronized void arrived(int transportSequence, long nowNanos) {
        int seq = transportSequence & 0xFFFF;
        if (!pending) {
            if (reportedOnce && ((seq - base) & 0xFFFF) >= 0x8000) {
                return; // before what the last report covered
            }
            if (!reportedOnce) {
                base = seq;
            }
            highest = seq;
            pending = true;
        } else if (((seq - base) & 0xFFFF) >= 0x8000) {
            return;
        } else if (((seq - highest) & 0xFFFF) < 0x8000) {
            highest = seq;
        }
        int slot = seq & (SIZE - 1);
        sequence[slot] = seq;
        arrivalMicros[slot] = nowNanos / 1000;
    }

    /** The report of what arrived since the last one, from {@code senderSsrc}; empty when nothing did. */
    synchronized Optional<TransportFeedbackReport> report(long senderSsrc, long mediaSsrc) {
        if (!pending) {
            return Optional.empty();
        }
        int count = Math.min(SIZE, ((highest - base) & 0xFFFF) + 1);
        long[] arrivals = new long[count];
        for (int k = 0; k < count; k++) {
            int seq = (base + k) & 0xFFFF;
            int slot = seq & (SIZE - 1);
            arrivals[k] = sequence[slot] == seq ? arrivalMicros[slot] : TransportFeedback.LOST;
            sequence[slot] = -1;
        }
        TransportFeedbackReport report = new TransportFeedbackReport(senderSsrc, mediaSsrc, base, feedbackCount, arrivals);
        feedbackCount = (feedbackCount + 1) & 0xFF;
        reportedOnce = true;
        base = (base + Math.max(1, report.reported())) & 0xFFFF;
        pending = report.reported() < count;
        return Optional.of(report);
    }
}
