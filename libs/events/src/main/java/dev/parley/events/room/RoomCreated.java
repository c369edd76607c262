package dev.parley.events.room;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in user created a room and became its first host.
 */
public record RoomCreated(RoomId roomId, Instant occurredAt, UserId host, RoomSettings settings)
        implements RoomEvent {

    public static final String TYPE = "room.created";

    public RoomCreated {
        Objects.requireNonNull(roomId, "roomId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(settings, "settings");
    }
}
