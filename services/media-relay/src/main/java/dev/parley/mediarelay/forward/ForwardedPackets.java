package dev.parley.mediarelay.forward;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Counts the SRTP packets the relay sent to subscribers, one per copy, as
 * {@code parley_media_forwarded_packets_total}: a packet a publisher sends into a room of n sessions
 * counts n-1 times.
 */
@Singleton
public class ForwardedPackets {

    private final Counter counter;

    ForwardedPackets(MeterRegistry registry) {
        counter = Counter.builder("parley.media.forwarded.packets")
                .description("SRTP packets forwarded to subscribers, one per copy")
                .register(registry);
    }

    void count() {
        counter.increment();
    }

    /** How many copies were forwarded since start. */
    public long total() {
        return (long) counter.count();
    }
}
