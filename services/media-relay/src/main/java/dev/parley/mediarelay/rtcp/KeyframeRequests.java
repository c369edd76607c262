package dev.parley.mediarelay.rtcp;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Key-frame requests (PLI, RFC 4585 §6.3.1; FIR, RFC 5104 §4.3.1) on their way to publishers.
 *
 * <p>Every subscriber that loses a picture asks for a key frame; in a large room a single loss seen
 * by many subscribers would make the publisher send key frames back to back, each several times the
 * size of a normal frame. So requests for one media stream are passed on at most once per
 * {@code minInterval}: the key frame the first request causes serves every subscriber. This is the
 * relay acting as the RFC 5104 §3.3.1 media translator that aggregates requests.
 *
 * <p>It also numbers FIRs: RFC 5104 §4.3.1.2 wants a sequence number per target, incremented (mod 256)
 * for each new request. Clocks are {@link System#nanoTime()} values passed in. Not thread-safe.
 */
public final class KeyframeRequests {

    private final long minIntervalNanos;
    private final Map<Long, Target> targets = new HashMap<>();

    private static final class Target {
        boolean requested;
        long lastRequestNanos;
        int nextFirSequenceNumber;
    }

    public KeyframeRequests(Duration minInterval) {
        if (minInterval.isNegative()) {
            throw new IllegalArgumentException("interval must not be negative: " + minInterval);
        }
        this.minIntervalNanos = minInterval.toNanos();
    }

    /**
     * Whether a key-frame request for {@code mediaSsrc} may go to its publisher now; if so, it is
     * counted as sent at {@code nowNanos}.
     */
    public boolean tryRequest(long mediaSsrc, long nowNanos) {
        Target target = targets.computeIfAbsent(mediaSsrc, ssrc -> new Target());
        if (target.requested && nowNanos - target.lastRequestNanos < minIntervalNanos) {
            return false;
        }
        target.requested = true;
        target.lastRequestNanos = nowNanos;
        return true;
    }

    /** The sequence number for a new FIR to {@code mediaSsrc}: 0, 1, … 255, 0, … (RFC 5104 §4.3.1.2). */
    public int nextFirSequenceNumber(long mediaSsrc) {
        Target target = targets.computeIfAbsent(mediaSsrc, ssrc -> new Target());
        int sequenceNumber = target.nextFirSequenceNumber;
        target.nextFirSequenceNumber = (sequenceNumber + 1) & 0xFF;
        return sequenceNumber;
    }

    /** The stream is gone: forget its clock and FIR numbering. */
    public void forget(long mediaSsrc) {
        targets.remove(mediaSsrc);
    }
}
