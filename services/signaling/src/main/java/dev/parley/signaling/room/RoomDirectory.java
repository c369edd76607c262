package dev.parley.signaling.room;

import dev.parley.events.room.RoomId;
import dev.parley.events.room.RoomState;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.transactions.OptimisticLockingTransactionResult;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The fast, shared view of rooms that every signaling replica reads, kept in Redis and rebuilt
 * from the rooms topic whenever it is lost.
 *
 * <p>Redis keys:
 * <ul>
 *   <li>{@code parley:room:<roomId>} — the room's latest {@link RoomState} with the log position
 *       it came from, as JSON;</li>
 *   <li>{@code parley:room-view:offsets} — hash from rooms-topic partition to the last offset the
 *       view has applied, so a restarted replica resumes there, and an emptied Redis makes it
 *       replay the topic from the start.</li>
 * </ul>
 * A state is written only if it comes from a later position than the stored one. The REST path
 * (right after the broker's acknowledgement) and the topic consumer may therefore apply the same
 * event in either order, any number of times, and the view still ends on the latest state.
 */
@ApplicationScoped
public class RoomDirectory {

    static final String KEY_PREFIX = "parley:room:";
    static final String OFFSETS_KEY = "parley:room-view:offsets";

    /** What the view stores per room. */
    public record StoredRoom(RoomState room, LogPosition position) {
    }

    private final RedisDataSource redis;
    private final ValueCommands<String, StoredRoom> rooms;
    private final HashCommands<String, String, Long> offsets;

    RoomDirectory(RedisDataSource redis) {
        this.redis = redis;
        this.rooms = redis.value(StoredRoom.class);
        this.offsets = redis.hash(Long.class);
    }

    /** Stores {@code room} unless the view already holds a state from a later position. */
    public void apply(RoomState room, LogPosition position) {
        String key = KEY_PREFIX + room.id().value();
        while (true) {
            OptimisticLockingTransactionResult<StoredRoom> result = redis.withTransaction(
                    ds -> ds.value(StoredRoom.class).get(key),
                    (stored, tx) -> {
                        if (stored == null || position.isAfter(stored.position())) {
                            tx.value(StoredRoom.class).set(key, new StoredRoom(room, position));
                        } else {
                            tx.discard();
                        }
                    },
                    key);
            // Discarded because the stored state is newer: done. Discarded because another writer
            // touched the key between WATCH and EXEC: try again against what it wrote.
            StoredRoom seen = result.getPreTransactionResult();
            if (!result.discarded() || !position.isAfter(seen == null ? null : seen.position())) {
                return;
            }
        }
    }

    public Optional<RoomState> find(RoomId id) {
        return Optional.ofNullable(rooms.get(KEY_PREFIX + id.value())).map(StoredRoom::room);
    }

    /** The last offset of {@code partition} the view has applied, if it has applied any. */
    public OptionalLong appliedOffset(int partition) {
        Long offset = offsets.hget(OFFSETS_KEY, Integer.toString(partition));
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    public void markApplied(int partition, long offset) {
        offsets.hset(OFFSETS_KEY, Integer.toString(partition), offset);
    }
}
