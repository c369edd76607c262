package dev.parley.signaling.conference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.events.EventJson;
import dev.parley.events.call.ParticipantId;
import dev.parley.events.identity.UserId;
import dev.parley.events.room.RoomId;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import io.quarkus.redis.datasource.keys.KeyCommands;
import io.quarkus.redis.datasource.set.SetCommands;
import io.quarkus.redis.datasource.sortedset.SortedSetCommands;
import io.quarkus.redis.datasource.sortedset.ScoreRange;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Live call state in Redis, shared by every signaling replica. Written only under the room's
 * {@code EntityLock}, by whoever appends the matching event to the room stream.
 *
 * <ul>
 *   <li>{@code parley:call:<roomId>:roster} — hash: participant id → {@link LivePlace}</li>
 *   <li>{@code parley:call:<roomId>:lobby} — hash: user id → {@link LobbyEntry}</li>
 *   <li>{@code parley:replica-rooms:<replica>} — set of rooms with places on that replica, so a
 *       dead replica's participants can be found</li>
 *   <li>{@code parley:call-suspended} — sorted set of {@code <roomId> <participantId>} by the end of
 *       their grace period</li>
 * </ul>
 */
@ApplicationScoped
class LiveRoster {

    private static final String SUSPENDED = "parley:call-suspended";
    private static final String PUT = """
            redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            redis.call('SADD', KEYS[2], ARGV[3])
            if ARGV[5] == '0' then redis.call('ZREM', KEYS[3], ARGV[4])
            else redis.call('ZADD', KEYS[3], ARGV[5], ARGV[4]) end
            return 1""";

    private final RedisDataSource redis;

    private final HashCommands<String, String, String> hashes;
    private final SetCommands<String, String> sets;
    private final SortedSetCommands<String, String> suspended;
    private final KeyCommands<String> keys;
    private final ObjectMapper json = EventJson.mapper();

    LiveRoster(RedisDataSource redis) {
        this.redis = redis;
        this.hashes = redis.hash(String.class);
        this.sets = redis.set(String.class);
        this.suspended = redis.sortedSet(String.class);
        this.keys = redis.key();
    }

    List<LivePlace> places(RoomId room) {
        return hashes.hgetall(rosterKey(room)).values().stream()
                .map(value -> read(value, LivePlace.class))
                .sorted(Comparator.comparing((LivePlace place) -> place.participant().joinedAt())
                        .thenComparing(place -> place.participant().participantId().value()))
                .toList();
    }

    Optional<LivePlace> place(RoomId room, ParticipantId participant) {
        return Optional.ofNullable(hashes.hget(rosterKey(room), participant.value()))
                .map(value -> read(value, LivePlace.class));
    }

    /** Those of {@code participants} that have no place in the call. */
    List<ParticipantId> absent(RoomId room, List<ParticipantId> participants) {
        Map<String, String> found = hashes.hmget(rosterKey(room),
                participants.stream().map(ParticipantId::value).toArray(String[]::new));
        return participants.stream().filter(participant -> found.get(participant.value()) == null).toList();
    }

    /** Stores a place, its replica's index entry and its grace deadline in one round trip. */
    void put(RoomId room, LivePlace place) {
        ParticipantId participant = place.participant().participantId();
        redis.execute("EVAL", PUT, "3", rosterKey(room), replicaRoomsKey(place.replica()), SUSPENDED,
                participant.value(), write(place), room.value(), suspendedMember(room, participant),
                Long.toString(place.suspendedUntil()));
    }

    void remove(RoomId room, ParticipantId participant) {
        hashes.hdel(rosterKey(room), participant.value());
        suspended.zrem(SUSPENDED, suspendedMember(room, participant));
    }

    List<LobbyEntry> lobby(RoomId room) {
        return hashes.hgetall(lobbyKey(room)).values().stream()
                .map(value -> read(value, LobbyEntry.class))
                .sorted(Comparator.comparing(LobbyEntry::since))
                .toList();
    }

    Optional<LobbyEntry> waiting(RoomId room, UserId user) {
        return Optional.ofNullable(hashes.hget(lobbyKey(room), user.value())).map(value -> read(value, LobbyEntry.class));
    }

    void putLobby(RoomId room, LobbyEntry entry) {
        hashes.hset(lobbyKey(room), entry.userId().value(), write(entry));
        sets.sadd(replicaRoomsKey(entry.replica()), room.value());
    }

    void removeLobby(RoomId room, UserId user) {
        hashes.hdel(lobbyKey(room), user.value());
    }

    /** Forgets the whole call (it ended). */
    void clear(RoomId room) {
        places(room).forEach(place -> suspended.zrem(SUSPENDED, suspendedMember(room, place.participant().participantId())));
        keys.del(rosterKey(room), lobbyKey(room));
    }

    /** Rooms that had places or lobby entries on {@code replica}. */
    List<RoomId> roomsOn(String replica) {
        return sets.smembers(replicaRoomsKey(replica)).stream().map(RoomId::new).toList();
    }

    void forgetReplica(String replica) {
        keys.del(replicaRoomsKey(replica));
    }

    /** Places whose grace period ended by {@code nowMillis}, as (room, participant) pairs. */
    List<SuspendedPlace> expired(long nowMillis) {
        return suspended.zrangebyscore(SUSPENDED, new ScoreRange<>(Double.NEGATIVE_INFINITY, (double) nowMillis)).stream()
                .map(member -> member.split(" ", 2))
                .map(parts -> new SuspendedPlace(new RoomId(parts[0]), new ParticipantId(parts[1])))
                .toList();
    }

    record SuspendedPlace(RoomId room, ParticipantId participant) {
    }

    private static String rosterKey(RoomId room) {
        return "parley:call:" + room.value() + ":roster";
    }

    private static String lobbyKey(RoomId room) {
        return "parley:call:" + room.value() + ":lobby";
    }

    private static String replicaRoomsKey(String replica) {
        return "parley:replica-rooms:" + replica;
    }

    private static String suspendedMember(RoomId room, ParticipantId participant) {
        return room.value() + " " + participant.value();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T read(String value, Class<T> type) {
        try {
            return json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("unreadable live call state", e);
        }
    }
}
