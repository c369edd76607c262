package dev.parley.events.room;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/** A host ({@code by}) made {@code host} a host of the room too. */
public record RoomHostAdded(RoomState room, UserId host, Instant occurredAt, UserId by) implements RoomEvent {

    public static final String TYPE = "room.host-added";

    public RoomHostAdded {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(by, "by");
    }
}
