package dev.parley.events.room;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/** A host ({@code by}) ended the room for everyone: it admits nobody and cannot be changed. */
public record RoomEnded(RoomState room, Instant occurredAt, UserId by) implements RoomEvent {

    public static final String TYPE = "room.ended";

    public RoomEnded {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(by, "by");
    }
}
