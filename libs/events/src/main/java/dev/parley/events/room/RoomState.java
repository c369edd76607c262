package dev.parley.events.room;

import dev.parley.events.identity.UserId;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything known about a room at one moment.
 *
 * <p>Every {@link RoomEvent} carries the complete state after it, not a delta: the rooms topic is
 * compacted, so only a room's latest record is guaranteed to survive, and that record alone must
 * be enough to rebuild the room.
 *
 * @param hosts   Keycloak subjects of the room's hosts; the creator first
 * @param endedAt when a host ended the room for everyone, or {@code null} while it is open
 */
public record RoomState(RoomId id, RoomSettings settings, List<UserId> hosts, Instant createdAt, Instant endedAt) {

    public RoomState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(createdAt, "createdAt");
        hosts = List.copyOf(hosts);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a room has at least one host");
        }
    }

    /** A new room whose creator is its only host. */
    public static RoomState created(RoomId id, RoomSettings settings, UserId creator, Instant at) {
        return new RoomState(id, settings, List.of(creator), at, null);
    }

    public boolean isHost(UserId user) {
        return hosts.contains(user);
    }

    public boolean ended() {
        return endedAt != null;
    }

    public RoomState withSettings(RoomSettings changed) {
        return new RoomState(id, changed, hosts, createdAt, endedAt);
    }

    /** The state with {@code user} as one more host (unchanged if they already are one). */
    public RoomState withHost(UserId user) {
        if (isHost(user)) {
            return this;
        }
        List<UserId> more = new java.util.ArrayList<>(hosts);
        more.add(user);
        return new RoomState(id, settings, more, createdAt, endedAt);
    }

    public RoomState endedAt(Instant at) {
        return new RoomState(id, settings, hosts, createdAt, at);
    }
}
