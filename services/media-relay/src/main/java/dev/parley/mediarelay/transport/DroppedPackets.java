package dev.parley.mediarelay.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts every datagram the relay drops, by {@link DropReason}, as
 * {@code parley_media_dropped_packets_total{reason}}. Bad input is counted, never logged per packet,
 * so a flood cannot fill the logs.
 */
@Singleton
public class DroppedPackets {

    static final String METRIC = "parley.media.dropped.packets";

    private final Map<DropReason, Counter> counters = new EnumMap<>(DropReason.class);

    DroppedPackets(MeterRegistry registry) {
        for (DropReason reason : DropReason.values()) {
            counters.put(reason, Counter.builder(METRIC)
                    .description("Datagrams the media port dropped, by reason")
                    .tag("reason", reason.tag())
                    .register(registry));
        }
    }

    public void count(DropReason reason) {
        counters.get(reason).increment();
    }

    /** How many datagrams were dropped for this reason since start. */
    public long total(DropReason reason) {
        return (long) counters.get(reason).count();
    }
}
