package dev.parley.mediarelay.bwe;

/**
 * GCC's delay-based rate controller (draft-ietf-rmcat-gcc-02 §5.5): the rate one subscriber's path
 * carries without a queue building, driven by the {@link TrendlineDetector}'s signal.
 *
 * <p>The signal picks one of §5.5's three states (its Figure 2): overuse decreases, underuse holds (the queue is
 * draining: growing now would refill it), normal increases. A decrease sets the rate
 * to {@link #BETA} × the rate the subscriber acknowledged receiving (what actually got through),
 * at most once per {@link #DECREASE_INTERVAL_NANOS} (about an RTT and a feedback interval: the
 * first decrease must show in the feedback before a second is justified).
 *
 * <p>Increase is multiplicative, by {@link #GROWTH_PER_SECOND} per second, while the rate is far
 * from where the last decreases happened; near it (within three standard deviations of their
 * average acknowledged rate, as libwebrtc's link capacity estimate does) it is additive, about one
 * packet per response time (§5.5: "the increase is additive when the estimate is close to
 * convergence"), so the rate does not overshoot a capacity it has just found. Going above that band
 * forgets it. Unlike libwebrtc the rate is not capped at 1.5 × what is acknowledged: the relay has no
 * padding probes, and growing beyond what is sent is how the layer selector gets to try the next,
 * often twice as large, stream.
 *
 * <p>Not thread-safe: its {@link BandwidthEstimator} is used under its link's lock.
 */
final class AimdRate {

    static final double BETA = 0.85;
    static final long DECREASE_INTERVAL_NANOS = 300_000_000L;
    static final double GROWTH_PER_SECOND = 0.08;
    /** libwebrtc's least additive increase, in bit/s per second. */
    private static final double MIN_ADDITIVE_PER_SECOND = 4_000;
    /** A frame interval (30 frames/s) and a response time (RTT plus 100 ms, the RTT taken as 100 ms) for the additive step. */
    private static final double FRAME_SECONDS = 1 / 30.0;
    private static final double RESPONSE_SECONDS = 0.2;
    private static final double MTU_BITS = 1200 * 8;
    /** The capacity average's smoothing (libwebrtc's 0.05) and its normalised variance's bounds. */
    private static final double CAPACITY_ALPHA = 0.05;
    private static final double MIN_VARIANCE = 0.4;
    private static final double MAX_VARIANCE = 2.5;

    private final long min;
    private final long max;
    private double rate;
    private long lastUpdate = Long.MIN_VALUE;
    private long lastDecrease = Long.MIN_VALUE;
    private double capacityKbps = Double.NaN;
    private double varianceKbps = MIN_VARIANCE;

    AimdRate(long initial, long min, long max) {
        this.min = min;
        this.max = max;
        this.rate = clamp(initial);
    }

    long rate() {
        return (long) rate;
    }

    /** Whether an overuse now would decrease the rate (not within the interval of the last decrease). */
    boolean mayDecrease(long nowNanos) {
        return lastDecrease == Long.MIN_VALUE || nowNanos - lastDecrease >= DECREASE_INTERVAL_NANOS;
    }

    /**
     * Updates the rate with the detector's latest signal and the acknowledged rate (bit/s, 0 while
     * unknown); returns whether it decreased.
     */
    boolean update(TrendlineDetector.Usage usage, long ackedRate, long nowNanos) {
        double seconds = lastUpdate == Long.MIN_VALUE ? 0 : Math.min(1, (nowNanos - lastUpdate) / 1e9);
        lastUpdate = nowNanos;
        switch (usage) {
            case OVERUSE -> {
                return decrease(ackedRate, nowNanos);
            }
            case UNDERUSE -> { } // held
            case NORMAL -> increase(seconds);
        }
        return false;
    }

    private boolean decrease(long ackedRate, long nowNanos) {
        if (!mayDecrease(nowNanos)) {
            return false;
        }
        double acked = ackedRate > 0 ? ackedRate : rate;
        double lowered = BETA * acked;
        if (lowered > rate && !Double.isNaN(capacityKbps)) {
            lowered = BETA * capacityKbps * 1000;
        }
        if (!Double.isNaN(capacityKbps) && acked / 1000 < capacityKbps - 3 * deviationKbps()) {
            capacityKbps = Double.NaN; // far below what was found before: the path changed
        }
        capacity(acked / 1000);
        lastDecrease = nowNanos;
        if (lowered < rate) {
            rate = clamp(lowered);
            return true;
        }
        return false;
    }

    private void increase(double seconds) {
        if (!Double.isNaN(capacityKbps) && rate / 1000 > capacityKbps + 3 * deviationKbps()) {
            capacityKbps = Double.NaN;
        }
        double step;
        if (Double.isNaN(capacityKbps)) {
            step = rate * (Math.pow(1 + GROWTH_PER_SECOND, seconds) - 1);
        } else {
            double frameBits = rate * FRAME_SECONDS;
            double packetBits = frameBits / Math.ceil(frameBits / MTU_BITS);
            step = Math.max(MIN_ADDITIVE_PER_SECOND, packetBits / RESPONSE_SECONDS) * seconds;
        }
        rate = clamp(rate + step);
    }

    private void capacity(double sampleKbps) {
        if (Double.isNaN(capacityKbps)) {
            capacityKbps = sampleKbps;
        } else {
            capacityKbps = (1 - CAPACITY_ALPHA) * capacityKbps + CAPACITY_ALPHA * sampleKbps;
        }
        double error = capacityKbps - sampleKbps;
        varianceKbps = (1 - CAPACITY_ALPHA) * varianceKbps + CAPACITY_ALPHA * error * error / Math.max(capacityKbps, 1);
        varianceKbps = Math.max(MIN_VARIANCE, Math.min(MAX_VARIANCE, varianceKbps));
    }

    private double deviationKbps() {
        return Math.sqrt(varianceKbps * capacityKbps);
    }

    private double clamp(double value) {
        return Math.max(min, Math.min(max, value));
    }
}
