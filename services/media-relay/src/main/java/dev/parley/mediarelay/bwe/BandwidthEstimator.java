package dev.parley.mediarelay.bwe;

import dev.parley.mediarelay.rtcp.TransportFeedback;

/**
 * One subscriber's bandwidth estimate from transport-wide congestion control feedback
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01): Google Congestion Control
 * (draft-ietf-rmcat-gcc-02) with its two controllers, the estimate being the lower of the two.
 * <ul>
 *   <li>Delay (GCC §5): the relay's send times ({@link SendHistory}) and the feedback's arrival
 *       times go through {@link InterArrival} (send-time groups, their delay variation), the
 *       {@link TrendlineDetector} (the trend of the accumulated delay against an adaptive threshold:
 *       overuse, underuse or normal) and {@link AimdRate} (decrease to 85% of the acknowledged rate
 *       on overuse, hold on underuse, grow otherwise).</li>
 *   <li>Loss (GCC §6), over the last 120 reported packets, judged every 60: more than 10% lost is
 *       congestion, and the estimate drops to {@code estimate × (1 − 0.5 × loss)}; between 2% and
 *       10% it holds (the loss a lossy but uncongested link has: random loss does not go away by
 *       sending less, and a link that cannot carry the rate loses more); under 2% it may grow.</li>
 * </ul>
 * Loss decreases come at most once per {@link AimdRate#DECREASE_INTERVAL_NANOS}, and never below the
 * rate the subscriber acknowledged receiving. After one, growth waits for a hold that doubles each
 * time growth was tried again and failed soon after (1 s up to 6 s, so a link that cannot carry more
 * is not tried every second); then, while the loss is under 2%, the loss-based rate
 * grows by half of itself per second of feedback, compounded, but never beyond the delay-based rate
 * (as libwebrtc caps its loss-based estimate by the delay-based one): the relay has no padding
 * probes, so growing is how it finds out whether a better stream fits; a stream that does not fit
 * shows as loss or a growing delay within a feedback interval, and the selector steps back down.
 *
 * <p>Not thread-safe: its {@link SubscriberLink} synchronizes.
 */
final class BandwidthEstimator {

    /**
     * Loss is judged, each time this many more packets were reported, over the last two such
     * windows: 5% random loss puts more than 12 of 120 packets lost once in about 140 windows (one
     * window of 60 in 34 would have more than 6 lost), and 2 or fewer in one window of 17 (one of 5
     * would have at most 1 of 60).
     */
    private static final int LOSS_WINDOW_PACKETS = 60;
    private static final long ACKED_WINDOW_MICROS = 500_000;
    private static final long FIRST_HOLD_NANOS = 1_000_000_000L;
    private static final long LONGEST_HOLD_NANOS = 6_000_000_000L;
    private static final double GROWTH_PER_SECOND = 0.5;
    /** GCC §6: below this loss the estimate may grow, */
    static final double GROWTH_LOSS = 0.02;
    /** and above this it decreases; in between it holds. */
    static final double CONGESTION_LOSS = 0.10;

    /** Why the estimate last changed, for the logs. */
    enum Cause { START, GROWTH, LOSS, DELAY }

    private final long min;
    private final long max;
    private final InterArrival interArrival = new InterArrival();
    private final TrendlineDetector detector = new TrendlineDetector();
    private final AimdRate delayRate;
    private final InterArrival.Delta toDetector = (send, arrival, at) -> detector.update(send, arrival, at);
    private long estimate;
    private Cause cause = Cause.START;
    private int windowPackets;
    private int windowLost;
    private long ackedBytes;
    private long ackedFirstMicros = Long.MIN_VALUE;
    private long ackedLastMicros;
    private long ackedRate;
    private long lastLossDecrease = Long.MIN_VALUE;
    private long holdUntil = Long.MIN_VALUE;
    private long hold = FIRST_HOLD_NANOS;
    private long lastGrowth = Long.MIN_VALUE;
    private double lastLoss;
    private int previousWindowPackets;
    private int previousWindowLost;

    BandwidthEstimator(long initial, long min, long max) {
        this.min = min;
        this.max = max;
        this.estimate = clamp(initial);
        this.delayRate = new AimdRate(initial, min, max);
    }

    /** The estimate in bit/s. */
    long estimate() {
        return estimate;
    }

    /** Why the estimate last changed. */
    Cause cause() {
        return cause;
    }

    /** The rate the subscriber last acknowledged receiving, in bit/s (0 before half a second of feedback). */
    long ackedRate() {
        return ackedRate;
    }

    /** The loss fraction of the last two complete windows. */
    double loss() {
        return lastLoss;
    }

    /** The delay-based controller's rate, in bit/s. */
    long delayRate() {
        return delayRate.rate();
    }

    /** The delay detector's state: its signal, modified trend and threshold. */
    String delaySignal() {
        return detector.usage() + String.format(" trendMs=%.1f thresholdMs=%.1f", detector.modifiedTrend(),
                detector.threshold());
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
            interArrival.packet(sent / 1000, arrivals[k], toDetector);
            acknowledged(arrivals[k], history.size(sequence));
        }
        boolean fresh = windowPackets >= LOSS_WINDOW_PACKETS;
        if (fresh) {
            lastLoss = (double) (windowLost + previousWindowLost) / (windowPackets + previousWindowPackets);
            previousWindowPackets = windowPackets;
            previousWindowLost = windowLost;
            windowPackets = 0;
            windowLost = 0;
        }
        boolean delayed = delayRate.update(detector.usage(), ackedRate, nowNanos);
        long lossRate = lossRate(fresh, nowNanos);
        long next = Math.min(lossRate, delayRate.rate());
        if (next != estimate) {
            cause = next > estimate ? Cause.GROWTH : delayed && next == delayRate.rate() ? Cause.DELAY : Cause.LOSS;
        }
        estimate = next;
    }

    private void acknowledged(long arrivalMicros, int bytes) {
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

    /** The loss-based rate (GCC §6), from the current estimate. */
    private long lossRate(boolean freshLoss, long nowNanos) {
        if (freshLoss && lastLoss > CONGESTION_LOSS) {
            if (lastLossDecrease == Long.MIN_VALUE || nowNanos - lastLossDecrease >= AimdRate.DECREASE_INTERVAL_NANOS) {
                // Doubled only when growth was tried again and failed: the decreases of one episode
                // of congestion (every 300 ms while it lasts) are one failure, not several.
                boolean triedAgain = lastLossDecrease != Long.MIN_VALUE && nowNanos >= holdUntil
                        && nowNanos - lastLossDecrease < 10 * FIRST_HOLD_NANOS;
                boolean sameEpisode = lastLossDecrease != Long.MIN_VALUE && nowNanos < holdUntil;
                hold = triedAgain ? Math.min(LONGEST_HOLD_NANOS, hold * 2) : sameEpisode ? hold : FIRST_HOLD_NANOS;
                holdUntil = nowNanos + hold;
                lastLossDecrease = nowNanos;
                lastGrowth = Long.MIN_VALUE;
                // From the estimate, not from what was sent (often less, as the selected streams cost
                // less): a rare window of random loss must not bring the estimate down to the
                // current streams' rate, which would step the selector down a stream each time.
                long lowered = (long) (estimate * (1 - 0.5 * lastLoss));
                // But never below what the subscriber acknowledged receiving (libwebrtc's LossBasedBweV2
                // can bound its estimate so, LowerBoundByAckedRateFactor): however much was lost,
                // that much got through. Sending far beyond a link's rate loses most of it, and
                // without the bound each 300 ms took the estimate down by almost half again, to the
                // floor, from where it took seconds more to grow back.
                return clamp(Math.max(lowered, Math.min(estimate, ackedRate)));
            }
            return estimate;
        }
        if (lastLoss >= GROWTH_LOSS || nowNanos < holdUntil) {
            lastGrowth = Long.MIN_VALUE; // held: growth starts afresh, not with the time held
            return estimate;
        }
        long grown = estimate;
        if (lastGrowth != Long.MIN_VALUE) {
            double seconds = Math.min(1, (nowNanos - lastGrowth) / 1e9);
            grown = clamp((long) (estimate * (1 + GROWTH_PER_SECOND * seconds)));
        }
        lastGrowth = nowNanos;
        return grown;
    }

    private long clamp(long value) {
        return Math.max(min, Math.min(max, value));
    }
}
