package dev.parley.signaling.room;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomState;
import dev.parley.runtime.kafka.LogPosition;
import dev.parley.signaling.view.VersionedStore;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The fast, shared view of rooms that every signaling replica reads: Redis key
 * {@code parley:room:<roomId>}, rebuilt from the rooms topic whenever it is lost.
 */
@ApplicationScoped
public class RoomDirectory {

    static final String KEY_PREFIX = "parley:room:";

    private final VersionedStore<RoomState> rooms;

    RoomDirectory(RedisDataSource redis, ObjectMapper json) {
        this.rooms = new VersionedStore<>(redis, json, RoomState.class);
    }

    /** Stores {@code room} unless the view already holds a state from a later position. */
    public void apply(RoomState room, LogPosition position) {
        rooms.apply(KEY_PREFIX + room.id().value(), room, position);
    }

    public Optional<RoomState> find(RoomId id) {
        return rooms.find(KEY_PREFIX + id.value());
    }
}
