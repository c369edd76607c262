package dev.parley.bench.common;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;

/**
 * A latency distribution in nanoseconds, recorded from any thread (HdrHistogram, 3 digits), so
 * every bench states its percentiles the same way.
 */
public final class Latencies {

    private final Histogram histogram = new ConcurrentHistogram(TimeUnit.MINUTES.toNanos(5), 3);

    public void record(long nanos) {
        histogram.recordValue(Math.max(0, Math.min(nanos, histogram.getHighestTrackableValue())));
    }

    private long count() {
        return histogram.getTotalCount();
    }

    private double percentileMillis(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }

    private double maxMillis() {
        return histogram.getMaxValue() / 1e6;
    }

    private double meanMillis() {
        return histogram.getMean() / 1e6;
    }

    /** {@code p50 1.23 ms, p99 4.56 ms, max 7.89 ms (mean 1.50 ms, n = 1,000)}. */
    public String summary() {
        if (count() == 0) {
            return "no samples";
        }
        return String.format("p50 %s ms, p99 %s ms, max %s ms (mean %s ms, n = %,d)",
                ms(percentileMillis(50)), ms(percentileMillis(99)), ms(maxMillis()), ms(meanMillis()), count());
    }

    /** Milliseconds with three significant digits at most: 123, 12.3, 1.23. */
    private static String ms(double millis) {
        return millis >= 100 ? String.format("%.0f", millis) : millis >= 10 ? String.format("%.1f", millis)
                : String.format("%.2f", millis);
    }
}
