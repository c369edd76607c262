package dev.parley.runtime.ratelimit;

/**
 * A token bucket: {@code ratePerSecond} tokens flow in, at most {@code capacity} are kept, and
 * each message takes one. Not thread-safe: confine it to one connection, whose messages arrive
 * one at a time (the per-connection limit of both WebSocket protocols).
 */
final class TokenBucket {

    private final double ratePerNano;
    private final double capacity;
    private double tokens;
    private long refilledAt;

    TokenBucket(int ratePerSecond, int capacity, long nowNanos) {
        this.ratePerNano = ratePerSecond / 1e9;
        this.capacity = capacity;
        this.tokens = capacity;
        this.refilledAt = nowNanos;
    }

    /** Takes a token if one is available at {@code nowNanos}. */
    boolean tryTake(long nowNanos) {
        tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * ratePerNano);
        refilledAt = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
