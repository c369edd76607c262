package dev.parley.events.room;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/** A signed-in user ({@code by}) created a room and became its first host. */
public record RoomCreated(RoomState room, Instant occurredAt, UserId by) implements RoomEvent {

    public static final String TYPE = "room.created";

    public RoomCreated {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(by, "by");
    }
}
