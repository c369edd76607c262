package dev.parley.events.room;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.time.Instant;

/**
 * Something that happened to a room, as recorded on {@link dev.parley.events.Topic#ROOMS}.
 *
 * <p>On the wire each event is a JSON object whose {@code type} field names the event, so a
 * consumer that meets a type it does not know yet can skip it (see {@link dev.parley.events.EventJson}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RoomCreated.class, name = RoomCreated.TYPE),
})
public sealed interface RoomEvent permits RoomCreated {

    /** The room the event belongs to; also the Kafka record key. */
    RoomId roomId();

    /** When the owning service accepted the change. */
    Instant occurredAt();
}
