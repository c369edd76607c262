package dev.parley.mediarelay.bwe;

/**
 * How much one subscriber's retransmissions may send: on average no more than its bandwidth
 * estimate, with at most half a second of it at once, as libwebrtc's sender caps retransmissions
 * at its target rate over a sliding window. Without a cap, a congested link turns loss into more
 * loss: the subscriber NACKs every missing packet again each round trip, the answers are lost in
 * turn, and the relay ends up sending many times what the link carries (a 250 kbit/s link was
 * offered over 10 Mbit/s of retransmissions in {@code BrowserBandwidthIT}), which also buries the
 * real loss rate the estimator needs. A retransmission the budget refuses is simply not sent: the
 * subscriber asks again, or gives up on the frame and asks for a keyframe.
 *
 * <p>Not thread-safe: its {@link SubscriberLink} synchronizes.
 */
final class RetransmissionBudget {

    private static final double BURST_SECONDS = 0.5;

    private double bytes = Double.NaN;
    private long refilled;
    private long refused;

    /** Whether a retransmission of {@code length} bytes fits the budget of {@code estimate} bit/s now; spends it if so. */
    boolean spend(int length, long estimate, long nowNanos) {
        double capacity = estimate / 8.0 * BURST_SECONDS;
        bytes = Double.isNaN(bytes) ? capacity : Math.min(capacity, bytes + estimate / 8e9 * (nowNanos - refilled));
        refilled = nowNanos;
        if (bytes < length) {
            refused++;
            return false;
        }
        bytes -= length;
        return true;
    }

    /** Retransmissions refused so far. */
    long refused() {
        return refused;
    }
}
