package dev.parley.signaling.invite;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.events.invite.InviteCode;
import dev.parley.events.invite.InviteState;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.kafka.LogPosition;
import dev.parley.signaling.view.VersionedStore;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.set.SetCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The shared view of invite links, rebuilt from the invites topic like the room view.
 *
 * <p>Redis keys: {@code parley:invite:<code>} holds the invite's latest state with its log
 * position; {@code parley:room-invites:<roomId>} is the set of the room's invite codes.
 */
@ApplicationScoped
public class InviteDirectory {

    static final String KEY_PREFIX = "parley:invite:";
    static final String ROOM_INDEX_PREFIX = "parley:room-invites:";

    private final VersionedStore<InviteState> invites;
    private final SetCommands<String, String> roomIndex;

    InviteDirectory(RedisDataSource redis, ObjectMapper json) {
        this.invites = new VersionedStore<>(redis, json, InviteState.class);
        this.roomIndex = redis.set(String.class);
    }

    public void apply(InviteState invite, LogPosition position) {
        invites.apply(KEY_PREFIX + invite.code().value(), invite, position);
        roomIndex.sadd(ROOM_INDEX_PREFIX + invite.roomId().value(), invite.code().value());
    }

    public Optional<InviteState> find(InviteCode code) {
        return invites.find(KEY_PREFIX + code.value());
    }

    /** The room's invites, newest first. */
    public List<InviteState> ofRoom(RoomId roomId) {
        List<String> keys = roomIndex.smembers(ROOM_INDEX_PREFIX + roomId.value()).stream()
                .map(code -> KEY_PREFIX + code)
                .toList();
        return invites.findAll(keys).stream()
                .sorted(Comparator.comparing(InviteState::createdAt).reversed())
                .toList();
    }
}
