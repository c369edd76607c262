package dev.parley.mediarelay.bwe;

/**
 * The packets recently sent to one subscriber by transport-wide sequence number
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): when each left and how large it was, for
 * matching the subscriber's feedback. A ring of the last {@link #SIZE} packets, about two seconds of
 * 2 Mbit/s video, far more than the feedback interval. Not thread-safe: its owner synchronizes.
 */
final class SendHistory {

    static final int SIZE = 1 << 12;

    private final int[] sequence = new int[SIZE];
    private final long[] sentNanos = new long[SIZE];
    private final int[] bytes = new int[SIZE];

    SendHistory() {
        java.util.Arrays.fill(sequence, -1);
    }

    void sent(int transportSequence, int size, long nowNanos) {
        int slot = transportSequence & (SIZE - 1);
        sequence[slot] = transportSequence;
        sentNanos[slot] = nowNanos;
        bytes[slot] = size;
    }

    /** When the packet with this number was sent, or -1 when it is not held any more. */
    long sentNanos(int transportSequence) {
        int slot = transportSequence & (SIZE - 1);
        return sequence[slot] == transportSequence ? sentNanos[slot] : -1;
    }

    int size(int transportSequence) {
        return bytes[transportSequence & (SIZE - 1)];
    }
}
