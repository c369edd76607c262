package dev.parley.signaling.conference;

import dev.parley.events.room.RoomId;
import dev.parley.signaling.call.CallConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections on this replica that are in a room's call or lobby: the room stream follower
 * delivers each room's events to these only, so a replica does work for its own members alone.
 */
@ApplicationScoped
class LocalMembers {

    private final Map<RoomId, Set<CallConnection>> rooms = new ConcurrentHashMap<>();

    void add(RoomId room, CallConnection connection) {
        rooms.computeIfAbsent(room, ignored -> ConcurrentHashMap.newKeySet()).add(connection);
    }

    void remove(RoomId room, CallConnection connection) {
        rooms.computeIfPresent(room, (ignored, members) -> {
            members.remove(connection);
            return members.isEmpty() ? null : members;
        });
    }

    /** Every connection in a call or lobby on this replica. */
    List<CallConnection> all() {
        return rooms.values().stream().flatMap(Set::stream).toList();
    }

    /** The rooms this replica has someone in. */
    Set<RoomId> rooms() {
        return Set.copyOf(rooms.keySet());
    }

    Set<CallConnection> of(RoomId room) {
        return rooms.getOrDefault(room, Set.of());
    }
}
