package dev.parley.bench.mediarelay;

import java.util.Arrays;

/**
 * A Prometheus histogram of durations as an SFU exposes it (cumulative counts per upper bound
 * {@code le}, in seconds), read at the start and the end of a measurement window; the difference
 * holds what was observed in the window, and its quantiles are interpolated within the bucket
 * they fall in, as Prometheus's {@code histogram_quantile} does. The relay's own forwarding delay
 * and its pacer's wait are such histograms ({@code parley_media_forward_delay_seconds},
 * {@code parley_media_pacer_delay_seconds}).
 */
record DelayHistogram(double[] upperBounds, double[] cumulative) {

    /** No observations (an SFU that exposes no such histogram reads as this). */
    static final DelayHistogram EMPTY = new DelayHistogram(new double[0], new double[0]);

    /** Observations in total. */
    double count() {
        return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
    }

    /** What was observed since {@code earlier} (the same histogram, read before). */
    DelayHistogram since(DelayHistogram earlier) {
        if (!Arrays.equals(upperBounds, earlier.upperBounds)) {
            return earlier.count() == 0 ? this : EMPTY;
        }
        double[] difference = new double[cumulative.length];
        for (int k = 0; k < cumulative.length; k++) {
            difference[k] = cumulative[k] - earlier.cumulative[k];
        }
        return new DelayHistogram(upperBounds, difference);
    }

    /** The {@code q} quantile (0 to 1) in milliseconds, interpolated in its bucket; NaN without observations. */
    double quantileMillis(double q) {
        double total = count();
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        for (int k = 0; k < cumulative.length; k++) {
            if (cumulative[k] >= rank) {
                double lower = k == 0 ? 0 : upperBounds[k - 1];
                double below = k == 0 ? 0 : cumulative[k - 1];
                double upper = Double.isInfinite(upperBounds[k]) ? lower : upperBounds[k];
                double inBucket = cumulative[k] - below;
                double fraction = inBucket == 0 ? 1 : (rank - below) / inBucket;
                return (lower + (upper - lower) * fraction) * 1000;
            }
        }
        return upperBounds[upperBounds.length - 1] * 1000;
    }
}
