package dev.parley.mediarelay.bwe;

import dev.parley.mediarelay.rtcp.TransportFeedback;

/**
 * One subscriber's bandwidth estimate from transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): a simplified Google Congestion Control
 * (draft-ietf-rmcat-gcc-02) with its two signals.
 * <ul>
 *   <li>Loss (GCC §6), over the last 120 reported packets, judged every 60: more than 10% lost is
 *       congestion, and the estimate drops to {@code estimate × (1 − 0.5 × loss)}; between 2% and
 *       10% it holds (the loss a lossy but uncongested link has: random loss does not go away by
 *       sending less, and a link that cannot carry the rate loses more); under 2% it may grow.</li>
 *   <li>Delay (GCC §5): each received packet's one-way delay (arrival on the subscriber's clock
 *       minus departure on the relay's) above the least seen in the last ten seconds is queueing;
 *       smoothed queueing above {@link #OVERUSE_MICROS} means a queue is building, and the
 *       estimate drops to 85% of the rate the subscriber acknowledged receiving (GCC §5.5).</li>
 * </ul>
 * Decreases come at most once per {@link #DECREASE_INTERVAL_NANOS}. After one, growth waits for a
 * hold that doubles with each decrease soon after the last (1 s up to 6 s, so a link that cannot
 * carry more is not tried every second); then, while the loss is under 2% and no queue builds, the
 * estimate grows by half of itself per second of feedback, compounded: the relay has no padding
 * probes, so growing is how it finds out whether a better stream fits; a stream that does not fit
 * shows as loss or delay within a feedback interval, and the selector steps back down.
 *
 * <p>Not thread-safe: its {@link SubscriberLink} synchronizes.
 */
final class BandwidthEstimator {

    static final long OVERUSE_MICROS = 80_000;
    static final long DECREASE_INTERVAL_NANOS = 300_000_000L;
    /**
     * Loss is judged, each time this many more packets were reported, over the last two such
     * windows: 5% random loss puts more than 12 of 120 packets lost once in about 140 windows (one
     * window of 60 in 34 would have more than 6 lost), and 2 or fewer in one window of 17 (one of 5
     * would have at most 1 of 60).
     */
    private static final int LOSS_WINDOW_PACKETS = 60;
    private static final long ACKED_WINDOW_MICROS = 500_000;
    private static final long MIN_WINDOW_NANOS = 5_000_000_000L;
    private static final long FIRST_HOLD_NANOS = 1_000_000_000L;
    private static final long LONGEST_HOLD_NANOS = 6_000_000_000L;
    private static final double GROWTH_PER_SECOND = 0.5;
    /** GCC §6: below this loss the estimate may grow, */
    static final double GROWTH_LOSS = 0.02;
    /** and above this it decreases; in between it holds. */
    static final double CONGESTION_LOSS = 0.10;

    private final long min;
    private final long max;
    private long estimate;
    private int windowPackets;
    private int windowLost;
    private long ackedBytes;
    private long ackedFirstMicros = Long.MIN_VALUE;
    private long ackedLastMicros;
    private long ackedRate;
    private long minDelay = Long.MAX_VALUE;
    private long nextMinDelay = Long.MAX_VALUE;
    private long minWindowStart = Long.MIN_VALUE;
    private double queueing;
    private long lastDecrease = Long.MIN_VALUE;
    private long holdUntil = Long.MIN_VALUE;
    private long hold = FIRST_HOLD_NANOS;
    private long lastGrowth = Long.MIN_VALUE;
    private double lastLoss;
    private int previousWindowPackets;
    private int previousWindowLost;

    BandwidthEstimator(long initial, long min, long max) {
        this.min = min;
        this.max = max;
        this.estimate = Math.max(min, Math.min(max, initial));
    }

    /** The estimate in bit/s. */
    long estimate() {
        return estimate;
    }

    /** The rate the subscriber last acknowledged receiving, in bit/s (0 before half a second of feedback). */
    long ackedRate() {
        return ackedRate;
    }

    /** The loss fraction of the last two complete windows. */
    double loss() {
        return lastLoss;
    }

    /** The smoothed queueing delay in µs. */
    long queueingMicros() {
        return Math.round(queueing);
    }

    /** Takes one feedback message, matching it against what was sent. */
    void onFeedback(SendHistory history, TransportFeedback feedback, long nowNanos) {
        long[] arrivals = feedback.arrivalMicros();
        for (int k = 0; k < arrivals.length; k++) {
            int sequence = (feedback.baseSequence() + k) & 0xFFFF;
            long sent = history.sentNanos(sequence);
            if (sent < 0) {
                continue;
            }
            windowPackets++;
            if (arrivals[k] == TransportFeedback.LOST) {
                windowLost++;
                continue;
            }
            received(arrivals[k], sent / 1000, history.size(sequence), nowNanos);
        }
        boolean fresh = windowPackets >= LOSS_WINDOW_PACKETS;
        if (fresh) {
            lastLoss = (double) (windowLost + previousWindowLost) / (windowPackets + previousWindowPackets);
            previousWindowPackets = windowPackets;
            previousWindowLost = windowLost;
            windowPackets = 0;
            windowLost = 0;
        }
        update(fresh, nowNanos);
    }

    private void received(long arrivalMicros, long sentMicros, int bytes, long nowNanos) {
        long delay = arrivalMicros - sentMicros;
        if (minWindowStart == Long.MIN_VALUE || nowNanos - minWindowStart > MIN_WINDOW_NANOS) {
            minDelay = Math.min(nextMinDelay, delay);
            nextMinDelay = delay;
            minWindowStart = nowNanos;
        }
        nextMinDelay = Math.min(nextMinDelay, delay);
        minDelay = Math.min(minDelay, delay);
        queueing = 0.9 * queueing + 0.1 * (delay - minDelay);
        if (ackedFirstMicros == Long.MIN_VALUE || arrivalMicros < ackedFirstMicros) {
            ackedFirstMicros = arrivalMicros;
            ackedBytes = 0;
        }
        ackedBytes += bytes;
        ackedLastMicros = Math.max(ackedLastMicros, arrivalMicros);
        long span = ackedLastMicros - ackedFirstMicros;
        if (span >= ACKED_WINDOW_MICROS) {
            ackedRate = ackedBytes * 8_000_000L / span;
            ackedFirstMicros = Long.MIN_VALUE;
        }
    }

    private void update(boolean freshLoss, long nowNanos) {
        boolean overuse = queueing > OVERUSE_MICROS;
        boolean lossy = freshLoss && lastLoss > CONGESTION_LOSS;
        if (lossy || overuse) {
            if (lastDecrease == Long.MIN_VALUE || nowNanos - lastDecrease >= DECREASE_INTERVAL_NANOS) {
                long lowered = estimate;
                if (lossy) {
                    // From the estimate, not from what was sent (often less, as the selected streams cost
                    // less): a rare window of random loss must not bring the estimate down to the
                    // current streams' rate, which would step the selector down a stream each time.
                    lowered = (long) (estimate * (1 - 0.5 * lastLoss));
                }
                if (overuse) {
                    lowered = Math.min(lowered, (long) (0.85 * (ackedRate > 0 ? ackedRate : estimate)));
                    queueing = 0; // measured afresh at the lower rate
                }
                estimate = clamp(Math.min(estimate, lowered));
                boolean again = lastDecrease != Long.MIN_VALUE && nowNanos - lastDecrease < 10 * FIRST_HOLD_NANOS;
                hold = again ? Math.min(LONGEST_HOLD_NANOS, hold * 2) : FIRST_HOLD_NANOS;
                holdUntil = nowNanos + hold;
                lastDecrease = nowNanos;
                lastGrowth = Long.MIN_VALUE;
            }
            return;
        }
        if (lastLoss >= GROWTH_LOSS || nowNanos < holdUntil) {
            lastGrowth = Long.MIN_VALUE; // held: growth starts afresh, not with the time held
            return;
        }
        if (lastGrowth != Long.MIN_VALUE) {
            double seconds = Math.min(1, (nowNanos - lastGrowth) / 1e9);
            estimate = clamp((long) (estimate * (1 + GROWTH_PER_SECOND * seconds)));
        }
        lastGrowth = nowNanos;
    }

    private long clamp(long value) {
        return Math.max(min, Math.min(max, value));
    }
}
