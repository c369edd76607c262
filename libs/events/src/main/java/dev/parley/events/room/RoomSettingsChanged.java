package dev.parley.events.room;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.Objects;

/** A host ({@code by}) changed the room's settings. */
public record RoomSettingsChanged(RoomState room, Instant occurredAt, UserId by) implements RoomEvent {

    public static final String TYPE = "room.settings-changed";

    public RoomSettingsChanged {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(by, "by");
    }
}
