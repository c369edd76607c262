package dev.parley.mediarelay.placement;

import jakarta.inject.Singleton;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the datagrams the media port receives, for the heartbeat's {@code packetsPerSecond}. The
 * media thread counts every datagram, so a {@link LongAdder}: an uncontended add, no metric
 * registry on the hot path.
 */
@Singleton
public class ReceivedPackets {

    private final LongAdder received = new LongAdder();

    /** One datagram read from the media port. */
    public void count() {
        received.increment();
    }

    /** The datagrams received since the last call. */
    long takeCount() {
        return received.sumThenReset();
    }
}
