package dev.parley.signaling.conference;

import dev.parley.events.Topic;
import dev.parley.events.call.CallEvent;
import dev.parley.runtime.kafka.EventLog;
import dev.parley.runtime.kafka.LogPosition;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Appends to the room stream ({@link Topic#CALLS}), keyed by room so that one partition orders
 * each room's events. The offset a record lands at is its {@code seq} on the wire.
 */
@ApplicationScoped
class CallStream {

    private final EventLog log;
    private final MeterRegistry metrics;

    CallStream(EventLog log, MeterRegistry metrics) {
        this.log = log;
        this.metrics = metrics;
    }

    LogPosition append(CallEvent event) {
        LogPosition position = log.append(Topic.CALLS, event.roomId().value(), event);
        metrics.counter("parley.call.events", "type", event.getClass().getSimpleName()).increment();
        return position;
    }
}
