package dev.parley.signaling.room;

import dev.parley.events.room.RoomEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Folds the rooms topic into the Redis view. The signaling replicas share one consumer group, so
 * each partition is applied by one replica at a time; the view itself, not Kafka, remembers how
 * far each partition got (see {@link RoomViewRebalanceListener}).
 */
@ApplicationScoped
public class RoomViewUpdater {

    private final RoomDirectory directory;

    RoomViewUpdater(RoomDirectory directory) {
        this.directory = directory;
    }

    @Incoming("room-view")
    @Blocking(ordered = true)
    public void apply(ConsumerRecord<String, RoomEvent> record) {
        // Unreadable records and event types this build does not know arrive as null: skip them.
        if (record.value() != null) {
            directory.apply(record.value().room(), new LogPosition(record.partition(), record.offset()));
        }
        directory.markApplied(record.partition(), record.offset());
    }
}
