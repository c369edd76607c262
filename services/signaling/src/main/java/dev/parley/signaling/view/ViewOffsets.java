package dev.parley.signaling.view;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.hash.HashCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.OptionalLong;

/**
 * How far each Redis view has read its topic: Redis hash {@code parley:view-offsets:<topic>},
 * partition → last applied offset. Kept beside the views themselves, so the two are lost
 * together and a lost view is always replayed (see {@link TopicFollower}).
 */
@ApplicationScoped
public class ViewOffsets {

    static final String KEY_PREFIX = "parley:view-offsets:";

    /** Sets hash field ARGV[1] of KEYS[1] to ARGV[2] unless it already holds a larger number. */
    private static final String RAISE_TO = """
            local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]))
            if current == nil or current < tonumber(ARGV[2]) then
              redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            end
            return 0""";

    private final RedisDataSource redis;
    private final HashCommands<String, String, Long> offsets;

    ViewOffsets(RedisDataSource redis) {
        this.redis = redis;
        this.offsets = redis.hash(Long.class);
    }

    public OptionalLong applied(String topic, int partition) {
        Long offset = offsets.hget(KEY_PREFIX + topic, Integer.toString(partition));
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /**
     * Records that {@code offset} was applied. Every replica follows every partition, so a slower
     * replica may report an older offset than a faster one did: the stored offset only grows.
     */
    public void markApplied(String topic, int partition, long offset) {
        redis.execute("EVAL", RAISE_TO, "1", KEY_PREFIX + topic, Integer.toString(partition), Long.toString(offset));
    }
}
