package dev.parley.mediarelay.placement;

import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The relays' registry in Redis, which signaling places rooms from: a hash
 * {@code parley:relay:<id>} per live relay, expiring unless refreshed, and the set
 * {@code parley:relays} of relay ids (a member whose hash expired is a relay that stopped
 * heartbeating).
 */
@Singleton
class RelayRegistry {

    static final String RELAYS = "parley:relays";

    /**
     * Replaces the hash, sets its expiry and lists the id in one script, so a reader never sees a
     * half-written hash or one left over from an earlier beat. KEYS: the hash, the set; ARGV: the
     * TTL in ms, the id, then field, value, ….
     */
    private static final String WRITE = """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[2])
            return 1
            """;

    private final RedisDataSource redis;

    RelayRegistry(RedisDataSource redis) {
        this.redis = redis;
    }

    static String key(RelayId id) {
        return "parley:relay:" + id.value();
    }

    /** Publishes the entry; it vanishes after {@code ttl} unless published again. */
    void publish(RelayEntry entry, Duration ttl) {
        List<String> arguments = new ArrayList<>(List.of(WRITE, "2", key(entry.id()), RELAYS,
                Long.toString(ttl.toMillis()), entry.id().value()));
        for (Map.Entry<String, String> field : entry.fields().entrySet()) {
            arguments.add(field.getKey());
            arguments.add(field.getValue());
        }
        redis.execute("EVAL", arguments.toArray(String[]::new));
    }

    /** Removes the relay at once: signaling stops placing rooms on it. */
    void withdraw(RelayId id) {
        redis.withTransaction(tx -> {
            tx.key(String.class).del(key(id));
            tx.set(String.class).srem(RELAYS, id.value());
        });
    }
}
