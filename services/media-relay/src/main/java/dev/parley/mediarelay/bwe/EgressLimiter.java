package dev.parley.mediarelay.bwe;

/**
 * A test-only constrained link: a token-bucket policer that drops what a subscriber is sent beyond
 * a rate, with a burst of 200 ms at that rate (at least 10 kB), much as {@code tc tbf} with a short
 * queue does. Off (rate 0) unless a test sets it through the control API, which only a relay
 * configured with {@code bandwidth.test-egress-limit=true} offers. Not thread-safe: its
 * {@link SubscriberLink} synchronizes.
 */
final class EgressLimiter {

    private static final int MIN_BURST_BYTES = 10_000;

    private long bitsPerSecond;
    private double tokens;
    private long refilled;
    private long dropped;

    void limit(long rate) {
        bitsPerSecond = Math.max(0, rate);
        tokens = burst();
        refilled = System.nanoTime();
    }

    /** Whether this packet exceeds the rate and is lost. */
    boolean drops(int length, long nowNanos) {
        if (bitsPerSecond == 0) {
            return false;
        }
        tokens = Math.min(burst(), tokens + bitsPerSecond / 8e9 * (nowNanos - refilled));
        refilled = nowNanos;
        if (tokens < length) {
            dropped++;
            return true;
        }
        tokens -= length;
        return false;
    }

    long dropped() {
        return dropped;
    }

    private double burst() {
        return Math.max(MIN_BURST_BYTES, bitsPerSecond / 8.0 * 0.2);
    }
}
