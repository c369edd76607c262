package dev.parley.presence.state;

import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.presence.UserPresence;
import dev.parley.events.room.RoomId;
import dev.parley.presence.device.DeviceId;
import dev.parley.presence.device.Status;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.set.SetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything presence knows, in Redis, shared by every presence replica.
 *
 * <ul>
 *   <li>{@code parley:presence:user:<userId>} — hash of the user's devices: a heartbeat device
 *       {@code <deviceId>} → {@code <status>|<expiresAtMillis>}; a call connection on signaling
 *       {@code conn:<connectionId>} → {@code online|<replica>}, present while that replica beats
 *       ({@code parley:replica:<replica>}, written by signaling)</li>
 *   <li>{@code parley:presence:calls:<userId>} — hash participant id → {@code <roomId>|<joinedAtMillis>}</li>
 *   <li>{@code parley:presence:room:<roomId>} — hash participant id → user id: who is in the call</li>
 *   <li>{@code parley:presence:state:<userId>} — hash {@code state}, {@code version}, {@code since}:
 *       the last published presence (kept a day once offline)</li>
 *   <li>{@code parley:presence:expiry} — sorted set of users by their next heartbeat expiry</li>
 *   <li>{@code parley:presence:replicas}, {@code parley:presence:replica-users:<replica>} — which
 *       users have connections on which signaling replica, to re-evaluate them when it dies</li>
 * </ul>
 *
 * <p>A user's presence is computed in one Lua script ({@link #evaluate}) from their devices and
 * calls, atomically with the comparison against the last published state, so replicas evaluating
 * the same user at once never publish a stale state under a newer version.
 */
@ApplicationScoped
public class PresenceStore {

    static final String USER = "parley:presence:user:";
    static final String CALLS = "parley:presence:calls:";
    static final String ROOM = "parley:presence:room:";
    static final String STATE = "parley:presence:state:";
    static final String EXPIRY = "parley:presence:expiry";
    static final String REPLICAS = "parley:presence:replicas";
    static final String REPLICA_USERS = "parley:presence:replica-users:";
    /**
     * How long the state of a user who went offline is kept: its version keeps growing across
     * short absences, and {@code since} tells when they were last seen.
     */
    private static final Duration OFFLINE_KEPT = Duration.ofDays(1);

    /**
     * KEYS: devices, calls, state, expiry. ARGV: now, user id, how long an offline state is kept,
     * then the {@link Change}'s writes ({@code hset key field value}, {@code hdel key field},
     * {@code sadd key member}), applied first. Returns {changed (0 or 1), state, version, since}.
     */
    private static final String EVALUATE = """
            local i = 4
            while ARGV[i] do
              local op = ARGV[i]
              if op == 'hset' then redis.call('HSET', ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]); i = i + 4
              elseif op == 'hdel' then redis.call('HDEL', ARGV[i + 1], ARGV[i + 2]); i = i + 3
              elseif op == 'sadd' then redis.call('SADD', ARGV[i + 1], ARGV[i + 2]); i = i + 3
              else return redis.error_reply('unknown write ' .. op) end
            end
            local now = tonumber(ARGV[1])
            local rank = {away = 1, online = 2, busy = 3}
            local best, bestRank, count, nextExpiry = 'offline', 0, 0, nil
            local gone = {}
            local devices = redis.call('HGETALL', KEYS[1])
            for i = 1, #devices, 2 do
              local id, value = devices[i], devices[i + 1]
              local status, rest = string.match(value, '^([^|]*)|(.*)$')
              local alive = false
              if status and string.sub(id, 1, 5) == 'conn:' then
                alive = redis.call('EXISTS', 'parley:replica:' .. rest) == 1
              elseif status then
                local expiresAt = tonumber(rest)
                alive = expiresAt ~= nil and expiresAt > now
                if alive and (nextExpiry == nil or expiresAt < nextExpiry) then nextExpiry = expiresAt end
              end
              if alive then
                count = count + 1
                local r = rank[status] or 0
                if r > bestRank then best, bestRank = status, r end
              else
                gone[#gone + 1] = id
              end
            end
            if #gone > 0 then redis.call('HDEL', KEYS[1], unpack(gone)) end
            if nextExpiry then redis.call('ZADD', KEYS[4], nextExpiry, ARGV[2]) else redis.call('ZREM', KEYS[4], ARGV[2]) end
            local room, latest = '', -1
            local calls = redis.call('HGETALL', KEYS[2])
            for i = 1, #calls, 2 do
              local r, at = string.match(calls[i + 1], '^([^|]*)|(.*)$')
              if r and tonumber(at) > latest then room, latest = r, tonumber(at) end
            end
            if latest >= 0 then best = 'in-call' end
            local state = best .. '|' .. room .. '|' .. count
            local previous = redis.call('HMGET', KEYS[3], 'state', 'version', 'since')
            if previous[1] == state or (not previous[1] and best == 'offline') then
              return {0, state, previous[2], previous[3]}
            end
            local version = math.max((tonumber(previous[2]) or 0) + 1, now)
            redis.call('HSET', KEYS[3], 'state', state, 'version', version, 'since', now)
            if best == 'offline' then
              redis.call('PEXPIRE', KEYS[3], ARGV[3])
            else
              redis.call('PERSIST', KEYS[3])
            end
            return {1, state, tostring(version), tostring(now)}""";

    private final RedisDataSource redis;
    private final HashCommands<String, String, String> hashes;
    private final SetCommands<String, String> sets;
    private final SortedSetCommands<String, String> sorted;
    private final KeyCommands<String> keys;
    private final Clock clock = Clock.systemUTC();

    PresenceStore(RedisDataSource redis) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.sets = redis.set(String.class);
        this.sorted = redis.sortedSet(String.class);
        this.keys = redis.key();
    }

    /** A result of {@link #evaluate}: the user's presence, and whether it just changed. */
    public record Evaluation(UserPresence presence, boolean changed) {
    }

    /**
     * Writes that change what is known about one user, applied in the same script as the
     * evaluation that follows them: one round trip per change, and no evaluation in between can
     * see half of it.
     */
    public record Change(List<String> writes) {

        public static final Change NONE = new Change(List.of());

        public static Change heartbeat(UserId user, DeviceId device, Status status, long expiresAtMillis) {
            return new Change(List.of("hset", USER + user.value(), device.value(), status.wireName() + "|" + expiresAtMillis));
        }

        public static Change leave(UserId user, DeviceId device) {
            return new Change(List.of("hdel", USER + user.value(), device.value()));
        }

        public static Change connectionOpened(UserId user, String connectionId, String replica) {
            return new Change(List.of(
                    "hset", USER + user.value(), "conn:" + connectionId, "online|" + replica,
                    "sadd", REPLICA_USERS + replica, user.value(),
                    "sadd", REPLICAS, replica));
        }

        public static Change connectionClosed(UserId user, String connectionId) {
            return new Change(List.of("hdel", USER + user.value(), "conn:" + connectionId));
        }

        public static Change joinedCall(UserId user, RoomId room, ParticipantId participant, Instant joinedAt) {
            return new Change(List.of(
                    "hset", CALLS + user.value(), participant.value(), room.value() + "|" + joinedAt.toEpochMilli(),
                    "hset", ROOM + room.value(), participant.value(), user.value()));
        }

        public static Change leftCall(UserId user, RoomId room, ParticipantId participant) {
            return new Change(List.of(
                    "hdel", CALLS + user.value(), participant.value(),
                    "hdel", ROOM + room.value(), participant.value()));
        }
    }

    /** Ends a whole call: everyone in it leaves. Returns who was in it. */
    public List<UserId> callEnded(RoomId room) {
        Map<String, String> present = hashes.hgetall(ROOM + room.value());
        present.forEach((participant, user) -> hashes.hdel(CALLS + user, participant));
        keys.del(ROOM + room.value());
        return present.values().stream().distinct().map(UserId::new).toList();
    }

    /** Who is in the call of {@code room}: participant id → user id. */
    public Map<String, String> inRoom(RoomId room) {
        return hashes.hgetall(ROOM + room.value());
    }

    /** Applies {@code change}, then computes the user's presence; records it if it changed. */
    public Evaluation evaluate(UserId user, Change change) {
        List<String> arguments = new ArrayList<>(List.of("EVAL", EVALUATE, "4", USER + user.value(), CALLS + user.value(),
                STATE + user.value(), EXPIRY, Long.toString(clock.millis()), user.value(),
                Long.toString(OFFLINE_KEPT.toMillis())));
        arguments.addAll(change.writes());
        Response result = redis.execute(arguments.get(0), arguments.subList(1, arguments.size()).toArray(String[]::new));
        String[] state = result.get(1).toString().split("\\|", -1);
        long version = result.get(2) == null ? 0 : Long.parseLong(result.get(2).toString());
        Instant since = result.get(3) == null ? null : Instant.ofEpochMilli(Long.parseLong(result.get(3).toString()));
        UserPresence presence = new UserPresence(user, state[0], state[1].isEmpty() ? null : state[1],
                Integer.parseInt(state[2]), since, version);
        return new Evaluation(presence, result.get(0).toInteger() == 1);
    }

    /** Users whose next heartbeat expiry is at or before {@code nowMillis}. */
    public List<UserId> dueForExpiry(long nowMillis) {
        return sorted.zrangebyscore(EXPIRY, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) nowMillis))
                .stream().map(UserId::new).toList();
    }

    /** Signaling replicas that stopped beating, and the users whose connections they held. */
    public Optional<List<UserId>> takeUsersOfDeadReplica(String replica) {
        if (keys.exists("parley:replica:" + replica)) {
            return Optional.empty();
        }
        List<UserId> users = sets.smembers(REPLICA_USERS + replica).stream().map(UserId::new).toList();
        keys.del(REPLICA_USERS + replica);
        sets.srem(REPLICAS, replica);
        return Optional.of(users);
    }

    public List<String> replicasWithConnections() {
        return List.copyOf(sets.smembers(REPLICAS));
    }
}
