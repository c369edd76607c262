package dev.parley.signaling.invite;

import dev.parley.events.invite.InviteCode;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Serialises the redemptions of one invite across every replica.
 *
 * <p>Each redemption reads the invite's use count, appends the next count to the invites topic
 * and applies it to the view while holding the lock, so the topic's records for an invite carry
 * strictly increasing counts in log order. The compacted topic's last record is then always the
 * true count, and a view rebuilt from it can never admit more than {@code maxUses}.
 *
 * <p>Redis key {@code parley:invite-lock:<code>}: {@code SET NX PX} with a random owner token,
 * released by compare-and-delete. The expiry frees the lock of a replica that died holding it.
 */
@ApplicationScoped
public class InviteLock {

    static final String KEY_PREFIX = "parley:invite-lock:";
    private static final Duration HOLD_AT_MOST = Duration.ofSeconds(15);
    private static final Duration WAIT_AT_MOST = Duration.ofSeconds(5);
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    private final RedisDataSource redis;

    InviteLock(RedisDataSource redis) {
        this.redis = redis;
    }

    public <T> T holding(InviteCode code, Supplier<T> work) {
        String key = KEY_PREFIX + code.value();
        String owner = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        while (!acquire(key, owner)) {
            if (System.nanoTime() > deadline) {
                throw new ProblemException(Problem.of("invite-busy", "The invite is busy", Response.Status.SERVICE_UNAVAILABLE,
                        "Too many people are redeeming this invite at once; retry in a moment.").withRetryAfter(1));
            }
            pause();
        }
        try {
            return work.get();
        } finally {
            redis.execute("EVAL", RELEASE, "1", key, owner);
        }
    }

    private boolean acquire(String key, String owner) {
        return redis.execute("SET", key, owner, "NX", "PX", Long.toString(HOLD_AT_MOST.toMillis())) != null;
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(Problem.of("invite-busy", "The invite is busy",
                    Response.Status.SERVICE_UNAVAILABLE, "Interrupted while waiting; retry."));
        }
    }
}
