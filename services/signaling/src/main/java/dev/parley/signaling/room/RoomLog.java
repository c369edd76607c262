package dev.parley.signaling.room;

import dev.parley.events.room.RoomEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

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

    private static final Logger LOG = Logger.getLogger(RoomLog.class);

    private final MutinyEmitter<RoomEvent> events;

    RoomLog(@Channel("room-events") MutinyEmitter<RoomEvent> events) {
        this.events = events;
    }

    /**
     * Blocks until the broker has durably accepted the event. When it cannot (the broker is
     * unreachable past the producer's delivery timeout), nothing was accepted, and the caller is
     * told to retry with a 503 problem rather than a generic failure.
     */
    public void append(RoomEvent event) {
        try {
            events.sendMessageAndAwait(Message.of(event).addMetadata(
                    OutgoingKafkaRecordMetadata.<String>builder().withKey(event.roomId().value()).build()));
        } catch (RuntimeException e) {
            LOG.warnf(e, "room event %s for %s was not accepted by the broker", event.getClass().getSimpleName(),
                    event.roomId());
            throw new ProblemException(Problem.of("room-log-unavailable", "Rooms cannot be changed right now",
                    Response.Status.SERVICE_UNAVAILABLE, "The room log is unreachable; nothing was changed. Retry shortly."));
        }
    }
}
