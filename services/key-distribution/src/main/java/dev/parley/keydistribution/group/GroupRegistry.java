package dev.parley.keydistribution.group;

import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.KeyDistributionConfig;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Which MLS group belongs to which room.
 *
 * <p>Redis key: {@code parley:kd:group:<roomId>} holds the {@link CallGroup} as JSON. Opening is
 * {@code SET NX}, so a redelivered room event, or two replicas handling the same event, can never
 * give one room two group ids.
 */
@ApplicationScoped
public class GroupRegistry {

    static final String KEY_PREFIX = "parley:kd:group:";

    private final ValueCommands<String, CallGroup> groups;
    private final int groupIdBytes;
    private final SecureRandom random = new SecureRandom();

    GroupRegistry(RedisDataSource redis, KeyDistributionConfig config) {
        this.groups = redis.value(CallGroup.class);
        this.groupIdBytes = config.groups().groupIdBytes();
    }

    /** Opens the room's group unless it is open already; returns the group that is open. */
    public CallGroup open(RoomId roomId, Instant at) {
        byte[] id = new byte[groupIdBytes];
        random.nextBytes(id);
        CallGroup candidate = new CallGroup(roomId, Base64.getUrlEncoder().withoutPadding().encodeToString(id), at);
        String key = KEY_PREFIX + roomId.value();
        if (groups.setGet(key, candidate, new SetArgs().nx()) == null) {
            return candidate;
        }
        return groups.get(key);
    }

    public Optional<CallGroup> find(RoomId roomId) {
        return Optional.ofNullable(groups.get(KEY_PREFIX + roomId.value()));
    }
}
