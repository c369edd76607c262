package dev.parley.mediarelay.bwe;

/**
 * Groups the packets sent to one subscriber into bursts and tells, for each completed group, how
 * much later it arrived after the previous one than it was sent (draft-ietf-rmcat-gcc-02 §5.2:
 * {@code d(i) = t(i) − t(i−1) − (T(i) − T(i−1))}, from the last packet of each group).
 *
 * <p>A group is the packets sent within {@link #GROUP_MICROS} of its first (the pacer sends a frame
 * as a burst; §5.2 groups by send time so that a burst's spacing on the wire does not read as
 * delay). A packet sent later still joins the group when it arrived within {@link #BURST_MICROS}
 * of the group's last arrival and earlier than its send spacing would have it (§5.2: "a burst of
 * packets arriving in a short time interval"): a receiver that was not scheduled for a while reads
 * a queue of packets at once, and those belong together rather than count as a delay that suddenly
 * shrank. Packets are taken in sending order; one sent before the current group began (a late
 * duplicate) is ignored. A group that arrived before the previous one (reordered by jitter) is
 * skipped and the next is measured against the previous one still: the delay variations then
 * still add up to the change in one-way delay between the groups measured, where dropping only the
 * skipped group's negative variation would add a growing delay that is not there.
 *
 * <p>Not thread-safe: its {@link BandwidthEstimator} is used under its link's lock.
 */
final class InterArrival {

    /** The inter-group delay variation of one completed group, in ms. */
    @FunctionalInterface
    interface Delta {
        void completed(double sendDeltaMs, double arrivalDeltaMs, double arrivalMs);
    }

    static final long GROUP_MICROS = 5_000;
    static final long BURST_MICROS = 5_000;
    /** A burst is never longer than this from its first arrival (libwebrtc's limit too). */
    static final long MAX_BURST_MICROS = 100_000;

    private boolean started;
    private long firstSend;
    private long lastSend;
    private long firstArrival;
    private long lastArrival;
    private boolean previous;
    private long previousSend;
    private long previousArrival;

    /** Takes one received packet: when the relay sent it and when the subscriber got it, in µs. */
    void packet(long sendMicros, long arrivalMicros, Delta delta) {
        if (!started) {
            start(sendMicros, arrivalMicros);
            return;
        }
        if (sendMicros < firstSend) {
            return;
        }
        if (sendMicros - firstSend <= GROUP_MICROS || burst(sendMicros, arrivalMicros)) {
            lastSend = Math.max(lastSend, sendMicros);
            lastArrival = Math.max(lastArrival, arrivalMicros);
            return;
        }
        long arrivalDelta = lastArrival - previousArrival;
        if (!previous || arrivalDelta >= 0) {
            if (previous) {
                delta.completed((lastSend - previousSend) / 1000.0, arrivalDelta / 1000.0, lastArrival / 1000.0);
            }
            previous = true;
            previousSend = lastSend;
            previousArrival = lastArrival;
        }
        start(sendMicros, arrivalMicros);
    }

    private boolean burst(long sendMicros, long arrivalMicros) {
        long arrivalDelta = arrivalMicros - lastArrival;
        long propagationDelta = arrivalDelta - (sendMicros - lastSend);
        return propagationDelta < 0 && arrivalDelta <= BURST_MICROS
                && arrivalMicros - firstArrival < MAX_BURST_MICROS;
    }

    private void start(long sendMicros, long arrivalMicros) {
        started = true;
        firstSend = sendMicros;
        lastSend = sendMicros;
        firstArrival = arrivalMicros;
        lastArrival = arrivalMicros;
    }
}
