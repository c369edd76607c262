package dev.parley.signaling.invite;

import dev.parley.events.invite.InviteState;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Counts an invite's redemptions atomically across replicas, so two people redeeming the last use
 * at the same moment on different replicas cannot both succeed.
 *
 * <p>Redis key {@code parley:invite-uses:<code>}, expiring with the invite. When it is missing
 * (first redemption, or Redis lost it) it starts from the uses recorded on the invites topic.
 */
@ApplicationScoped
public class UseCounter {

    static final String KEY_PREFIX = "parley:invite-uses:";

    /** KEYS[1] counter; ARGV[1] recorded uses, ARGV[2] max uses, ARGV[3] ms to live. -1 when used up. */
    private static final String TAKE = """
            local used = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
            if used < tonumber(ARGV[1]) then used = tonumber(ARGV[1]) end
            if used >= tonumber(ARGV[2]) then return -1 end
            used = used + 1
            redis.call('SET', KEYS[1], used, 'PX', ARGV[3])
            return used""";

    private final RedisDataSource redis;
    private final ValueCommands<String, Long> counters;
    private final Clock clock = Clock.systemUTC();

    UseCounter(RedisDataSource redis) {
        this.redis = redis;
        this.counters = redis.value(Long.class);
    }

    /** Takes one use; returns the uses now counted, or empty when none is left. */
    public OptionalInt take(InviteState invite) {
        long ttl = Math.max(1, Duration.between(clock.instant(), invite.expiresAt()).toMillis());
        long used = redis.execute("EVAL", TAKE, "1", KEY_PREFIX + invite.code().value(),
                Integer.toString(invite.uses()), Integer.toString(invite.maxUses()), Long.toString(ttl)).toLong();
        return used < 0 ? OptionalInt.empty() : OptionalInt.of((int) used);
    }

    /** Gives back a use that could not be recorded. */
    public void giveBack(InviteState invite) {
        counters.decr(KEY_PREFIX + invite.code().value());
    }
}
