package dev.parley.signaling.room;

import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomCreated;
import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomSettings;

import java.time.Instant;
import java.util.List;

/**
 * A room as signaling serves it: the state folded from the room's events on the rooms topic.
 */
public record Room(RoomId id, RoomSettings settings, List<UserId> hosts, Instant createdAt) {

    static Room from(RoomCreated created) {
        return new Room(created.roomId(), created.settings(), List.of(created.host()), created.occurredAt());
    }
}
