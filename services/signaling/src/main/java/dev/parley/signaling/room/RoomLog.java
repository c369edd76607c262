package dev.parley.signaling.room;

import dev.parley.events.room.RoomEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Appends room events to the rooms topic, the system of record for rooms.
 *
 * <p>A change is accepted only once the broker has acknowledged it with {@code acks=all} from an
 * idempotent producer: a client that got a success answer never loses its room, even if this
 * replica dies the next moment. Records are keyed by room id, which keeps each room's history
 * ordered in one partition and lets compaction keep its latest state.
 */
@ApplicationScoped
public class RoomLog {

    private final MutinyEmitter<RoomEvent> events;

    RoomLog(@Channel("room-events") MutinyEmitter<RoomEvent> events) {
        this.events = events;
    }

    /** Blocks until the broker has durably accepted the event, or throws. */
    public void append(RoomEvent event) {
        events.sendMessageAndAwait(Message.of(event).addMetadata(
                OutgoingKafkaRecordMetadata.<String>builder().withKey(event.roomId().value()).build()));
    }
}
