package dev.parley.mediarelay.bwe;

/**
 * GCC's delay-based overuse detector (draft-ietf-rmcat-gcc-02 §5.3–5.4, as libwebrtc's trendline
 * estimator does §5.3): whether a queue is building on the path to one subscriber.
 *
 * <p>Each group's delay variation is added up (the accumulated delay: how much later than at the
 * start packets now arrive), smoothed exponentially ({@link #SMOOTHING}), and a least-squares line
 * is fitted through the last {@link #WINDOW} smoothed values against arrival time. Its slope is the
 * rate at which the queue grows; the modified trend {@code m = slope × min(groups, 60) × 4} is
 * compared with the adaptive threshold γ. What matters is a trend, not a level: delay that jumps
 * around without growing (a receiver starved of CPU, reading packets late and then all at once)
 * has a slope near zero, where a fixed threshold on queueing delay reads overuse.
 *
 * <p>γ follows |m| (§5.4): {@code γ += Δt × k × (|m| − γ)}, with k = {@link #K_UP} when |m| > γ and
 * {@link #K_DOWN} otherwise, Δt in ms (at most 100), clamped to [6, 600] ms; a trend more than 15 ms
 * beyond γ does not move it (a real queue must not raise the bar it is judged by). Noisy paths thus
 * get a higher threshold than quiet ones. Overuse is signalled when m has been above γ for at least
 * {@link #OVERUSE_MS} of send time over more than one group and the trend is not falling;
 * underuse when m is below −γ; otherwise normal.
 *
 * <p>Not thread-safe: its {@link BandwidthEstimator} is used under its link's lock.
 */
final class TrendlineDetector {

    enum Usage { NORMAL, OVERUSE, UNDERUSE }

    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double GAIN = 4;
    /** The number of groups the trend is scaled by grows up to this. */
    static final int MAX_GROUPS = 60;
    static final double OVERUSE_MS = 10;
    static final double K_UP = 0.01;
    static final double K_DOWN = 0.00018;
    static final double INITIAL_THRESHOLD_MS = 12.5;
    static final double MIN_THRESHOLD_MS = 6;
    static final double MAX_THRESHOLD_MS = 600;
    private static final double MAX_ADAPT_OFFSET_MS = 15;
    private static final double MAX_ADAPT_INTERVAL_MS = 100;

    private final double[] times = new double[WINDOW];
    private final double[] delays = new double[WINDOW];
    private int filled;
    private int next;
    private int groups;
    private double firstArrival = Double.NaN;
    private double accumulated;
    private double smoothed;
    private double trend;
    private double modifiedTrend;
    private double threshold = INITIAL_THRESHOLD_MS;
    private double lastThresholdUpdate = Double.NaN;
    private double overusingMs = -1;
    private int overuseCount;
    private Usage usage = Usage.NORMAL;

    /** Takes one completed group (from {@link InterArrival}) and returns the usage it signals. */
    Usage update(double sendDeltaMs, double arrivalDeltaMs, double arrivalMs) {
        groups = Math.min(groups + 1, 1000);
        if (Double.isNaN(firstArrival)) {
            firstArrival = arrivalMs;
        }
        accumulated += arrivalDeltaMs - sendDeltaMs;
        smoothed = SMOOTHING * smoothed + (1 - SMOOTHING) * accumulated;
        times[next] = arrivalMs - firstArrival;
        delays[next] = smoothed;
        next = (next + 1) % WINDOW;
        filled = Math.min(filled + 1, WINDOW);
        double previousTrend = trend;
        if (filled == WINDOW) {
            trend = slope(previousTrend);
        }
        detect(trend, previousTrend, sendDeltaMs, arrivalMs);
        return usage;
    }

    Usage usage() {
        return usage;
    }

    /** The modified trend m, in ms. */
    double modifiedTrend() {
        return modifiedTrend;
    }

    /** The adaptive threshold γ, in ms. */
    double threshold() {
        return threshold;
    }

    private double slope(double otherwise) {
        double meanTime = 0;
        double meanDelay = 0;
        for (int k = 0; k < WINDOW; k++) {
            meanTime += times[k];
            meanDelay += delays[k];
        }
        meanTime /= WINDOW;
        meanDelay /= WINDOW;
        double numerator = 0;
        double denominator = 0;
        for (int k = 0; k < WINDOW; k++) {
            double dt = times[k] - meanTime;
            numerator += dt * (delays[k] - meanDelay);
            denominator += dt * dt;
        }
        return denominator == 0 ? otherwise : numerator / denominator;
    }

    private void detect(double trend, double previousTrend, double sendDeltaMs, double nowMs) {
        if (groups < 2) {
            usage = Usage.NORMAL;
            return;
        }
        modifiedTrend = Math.min(groups, MAX_GROUPS) * trend * GAIN;
        if (modifiedTrend > threshold) {
            overusingMs = overusingMs < 0 ? sendDeltaMs / 2 : overusingMs + sendDeltaMs;
            overuseCount++;
            if (overusingMs > OVERUSE_MS && overuseCount > 1 && trend >= previousTrend) {
                overusingMs = 0;
                overuseCount = 0;
                usage = Usage.OVERUSE;
            }
        } else if (modifiedTrend < -threshold) {
            overusingMs = -1;
            overuseCount = 0;
            usage = Usage.UNDERUSE;
        } else {
            overusingMs = -1;
            overuseCount = 0;
            usage = Usage.NORMAL;
        }
        adapt(nowMs);
    }

    private void adapt(double nowMs) {
        if (Double.isNaN(lastThresholdUpdate)) {
            lastThresholdUpdate = nowMs;
        }
        double magnitude = Math.abs(modifiedTrend);
        if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
            lastThresholdUpdate = nowMs;
            return;
        }
        double k = magnitude < threshold ? K_DOWN : K_UP;
        double elapsed = Math.max(0, Math.min(nowMs - lastThresholdUpdate, MAX_ADAPT_INTERVAL_MS));
        threshold += k * (magnitude - threshold) * elapsed;
        threshold = Math.max(MIN_THRESHOLD_MS, Math.min(MAX_THRESHOLD_MS, threshold));
        lastThresholdUpdate = nowMs;
    }
}
