package dev.parley.runtime.kafka;

import io.quarkus.redis.datasource.RedisDataSource;

import java.util.OptionalLong;

/**
 * Where a {@link TopicTail} has handled each partition up to, in a Redis hash (partition → next
 * offset to handle), kept beside the state the tail writes so that the two are lost together and
 * lost state is always replayed. Every replica may follow the same topic, so a slower one may
 * report an older position than a faster one did: the stored position only grows.
 */
public final class RedisPositions implements TopicTail.Positions {

    /** Sets hash field ARGV[1] of KEYS[1] to ARGV[2] unless it already holds a larger number. */
    private static final String RAISE_TO = """
            local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
            if current == nil or current < tonumber(ARGV[2]) then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            end
            return 0""";

    private final RedisDataSource redis;
    private final String key;

    public RedisPositions(RedisDataSource redis, String key) {
        this.redis = redis;
        this.key = key;
    }

    @Override
    public OptionalLong load(int partition) {
        Long next = redis.hash(Long.class).hget(key, Integer.toString(partition));
        return next == null ? OptionalLong.empty() : OptionalLong.of(next);
    }

    @Override
    public void save(int partition, long next) {
        redis.execute("EVAL", RAISE_TO, "1", key, Integer.toString(partition), Long.toString(next));
    }
}
