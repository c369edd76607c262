package dev.parley.signaling.room;

import dev.parley.events.room.RoomId;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The fast, shared view of rooms that every signaling replica reads, kept in Redis.
 *
 * <p>Redis key: {@code parley:room:<roomId>} holds the room as JSON. The view can be rebuilt from
 * the rooms topic, which remains the system of record.
 */
@ApplicationScoped
public class RoomDirectory {

    static final String KEY_PREFIX = "parley:room:";

    private final ValueCommands<String, Room> rooms;

    RoomDirectory(RedisDataSource redis) {
        this.rooms = redis.value(Room.class);
    }

    public void put(Room room) {
        rooms.set(KEY_PREFIX + room.id().value(), room);
    }

    public Optional<Room> find(RoomId id) {
        return Optional.ofNullable(rooms.get(KEY_PREFIX + id.value()));
    }
}
