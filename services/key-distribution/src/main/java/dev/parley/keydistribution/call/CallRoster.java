package dev.parley.keydistribution.call;

import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Who is in each call, as signaling reported it on {@link dev.parley.events.Topic#CALLS}: only
 * they may join the call's group or read its messages.
 *
 * <p>Redis key: {@code parley:kd:call:<roomId>}, a hash from participant id to user id, kept a
 * day after its last change.
 */
@ApplicationScoped
public class CallRoster {

    private static final String KEY = "parley:kd:call:";
    private static final Duration RETENTION = Duration.ofDays(1);

    private final RedisDataSource redis;
    private final HashCommands<String, String, String> hashes;

    CallRoster(RedisDataSource redis) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
    }

    void joined(RoomId room, ParticipantId participant, UserId user) {
        hashes.hset(KEY + room.value(), participant.value(), user.value());
        redis.key().pexpire(KEY + room.value(), RETENTION.toMillis());
    }

    void left(RoomId room, ParticipantId participant) {
        hashes.hdel(KEY + room.value(), participant.value());
    }

    void ended(RoomId room) {
        redis.key().del(KEY + room.value());
    }

    /** The user holding {@code participant} in {@code room}'s call, if it is in the call. */
    public Optional<UserId> holder(RoomId room, ParticipantId participant) {
        return Optional.ofNullable(hashes.hget(KEY + room.value(), participant.value())).map(UserId::new);
    }

    /** Whether {@code user} is in {@code room}'s call on any device. */
    public boolean includes(RoomId room, UserId user) {
        Map<String, String> participants = hashes.hgetall(KEY + room.value());
        return participants != null && participants.containsValue(user.value());
    }
}
