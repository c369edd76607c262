package dev.parley.events.room;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import dev.parley.events.identity.UserId;

import java.time.Instant;

/**
 * Something that happened to a room, as recorded on {@link dev.parley.events.Topic#ROOMS}, with
 * the room's complete state after it (see {@link RoomState} for why).
 *
 * <p>On the wire each event is a JSON object whose {@code type} field names the event, so a
 * consumer that meets a type it does not know yet can skip it (see {@link dev.parley.events.EventJson}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = RoomCreated.class, name = RoomCreated.TYPE),
        @JsonSubTypes.Type(value = RoomSettingsChanged.class, name = RoomSettingsChanged.TYPE),
        @JsonSubTypes.Type(value = RoomEnded.class, name = RoomEnded.TYPE),
        @JsonSubTypes.Type(value = RoomHostAdded.class, name = RoomHostAdded.TYPE),
})
public sealed interface RoomEvent permits RoomCreated, RoomSettingsChanged, RoomEnded, RoomHostAdded {

    /** The room's state after the event. */
    RoomState room();

    /** When the owning service accepted the change. */
    Instant occurredAt();

    /** Who made the change. */
    UserId by();

    /** The room the event belongs to; also the Kafka record key. */
    default RoomId roomId() {
        return room().id();
    }
}
