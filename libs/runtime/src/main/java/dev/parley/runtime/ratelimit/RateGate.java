package dev.parley.runtime.ratelimit;

/**
 * The per-connection rate limit of Parley's WebSocket protocols: a {@link TokenBucket}, and a
 * count of the messages it dropped, so a client that keeps flooding is told apart from one that
 * bursts. Confined to one connection, whose messages arrive one at a time.
 */
public final class RateGate {

    /** What happens to one message. */
    public enum Verdict {
        /** Within the rate: handle it. */
        ACCEPTED,
        /** Dropped; tell the client. */
        RATE_LIMITED,
        /** Dropped, and the connection has dropped too many: close it. */
        ABUSIVE
    }

    private final TokenBucket bucket;
    private final int abuseThreshold;
    private int dropped;

    public RateGate(int messagesPerSecond, int burst, int abuseThreshold, long nowNanos) {
        this.bucket = new TokenBucket(messagesPerSecond, burst, nowNanos);
        this.abuseThreshold = abuseThreshold;
    }

    /** Counts one message arriving at {@code nowNanos}; the {@code abuseThreshold}th drop is abusive. */
    public Verdict admit(long nowNanos) {
        if (bucket.tryTake(nowNanos)) {
            return Verdict.ACCEPTED;
        }
        dropped++;
        return dropped >= abuseThreshold ? Verdict.ABUSIVE : Verdict.RATE_LIMITED;
    }
}
