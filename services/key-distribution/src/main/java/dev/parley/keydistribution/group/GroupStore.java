package dev.parley.keydistribution.group;

import dev.parley.events.room.RoomId;
import dev.parley.keydistribution.Json;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The applied state of every call group, in Redis, so that whichever replica a member talks to
 * answers from the same state.
 *
 * <p>Keys: {@code parley:kd:group:<roomId>} is a hash of the {@link GroupState} ({@code state})
 * and the log offset of the last record applied to it ({@code offset});
 * {@code parley:kd:messages:<roomId>} lists the group's {@link GroupMessage}s in index order;
 * {@code parley:kd:verdict:<roomId>:<offset>} holds a record's {@link Verdict} for two minutes;
 * {@code parley:kd:log-positions} maps each partition of the log to the offset up to which it
 * has been applied. Group keys live a day after their last change, as long as the log keeps
 * records.
 *
 * <p>Every replica applies every record; {@link #save} is a compare-and-set on the offset, so
 * the first replica to apply a record wins and the others find it applied. Since the rules are
 * deterministic, it does not matter which one.
 */
@ApplicationScoped
public class GroupStore {

    static final Duration RETENTION = Duration.ofDays(1);
    private static final String GROUP = "parley:kd:group:";
    private static final String MESSAGES = "parley:kd:messages:";
    private static final String VERDICT = "parley:kd:verdict:";
    /** Where the replicas have applied each partition of the log up to ({@link dev.parley.runtime.kafka.RedisPositions}). */
    static final String POSITIONS = "parley:kd:log-positions";

    /**
     * KEYS: group, messages, verdict. ARGV: expected offset ('' for none), offset, state json ('' to keep),
     * verdict json, fresh (1 clears the messages), ttl ms, messages... Returns 1 if applied, 0 if the
     * stored offset was not the expected one.
     */
    private static final String SAVE = """
            local current = redis.call('HGET', KEYS[1], 'offset') or ''
            if current ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'offset', ARGV[2])
            if ARGV[3] ~= '' then redis.call('HSET', KEYS[1], 'state', ARGV[3]) end
            if ARGV[5] == '1' then redis.call('DEL', KEYS[2]) end
            for i = 7, #ARGV do redis.call('RPUSH', KEYS[2], ARGV[i]) end
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], ARGV[6]) end
            redis.call('SET', KEYS[3], ARGV[4], 'PX', 120000)
            return 1
            """;

    /** A group's state as applied up to {@code offset}; {@code state} is null if no group was ever opened. */
    public record Stored(long offset, GroupState state) {
    }

    private final RedisDataSource redis;

    GroupStore(RedisDataSource redis) {
        this.redis = redis;
    }

    public Optional<Stored> load(RoomId room) {
        Map<String, String> fields = redis.hash(String.class).hgetall(GROUP + room.value());
        if (fields == null || !fields.containsKey("offset")) {
            return Optional.empty();
        }
        String state = fields.get("state");
        return Optional.of(new Stored(Long.parseLong(fields.get("offset")), state == null ? null : Json.read(state, GroupState.class)));
    }

    public Optional<GroupState> state(RoomId room) {
        return load(room).map(Stored::state);
    }

    /** Stores {@code transition} as the result of the record at {@code offset}, unless another replica got there first. */
    public boolean save(RoomId room, Optional<Stored> expected, long offset, GroupMachine.Transition transition) {
        List<String> args = new ArrayList<>(List.of("EVAL", SAVE, "3", GROUP + room.value(), MESSAGES + room.value(),
                verdictKey(room, offset),
                expected.map(stored -> Long.toString(stored.offset())).orElse(""), Long.toString(offset),
                transition.state() == null ? "" : Json.write(transition.state()), Json.write(transition.verdict()),
                transition.fresh() ? "1" : "0", Long.toString(RETENTION.toMillis())));
        transition.messages().forEach(message -> args.add(Json.write(message)));
        Response saved = redis.execute(args.get(0), args.subList(1, args.size()).toArray(String[]::new));
        return saved.toLong() == 1;
    }

    /** The group's messages with an index above {@code after}, in order. */
    public List<GroupMessage> messages(RoomId room, long after) {
        return redis.list(String.class).lrange(MESSAGES + room.value(), after + 1, -1).stream()
                .map(json -> Json.read(json, GroupMessage.class)).toList();
    }

    public Optional<Verdict> verdict(RoomId room, long offset) {
        return Optional.ofNullable(redis.value(String.class).get(verdictKey(room, offset))).map(json -> Json.read(json, Verdict.class));
    }

    private static String verdictKey(RoomId room, long offset) {
        return VERDICT + room.value() + ":" + offset;
    }
}
