package dev.parley.signaling.log;

import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Serialises the changes of one entity (a room, an invite) across every replica.
 *
 * <p>Each record on a compacted topic carries the entity's whole state, computed from the state
 * its writer read. Two writers racing would both read the same state and the later append would
 * silently undo the earlier one: a settings change could reopen an ended room, a redemption
 * could undo a revocation or undercount uses. Holding this lock from reading the view to applying
 * the appended record makes every record of an entity build on the one before it, so the
 * compacted topic's last record is always the truth.
 *
 * <p>Redis key {@code parley:lock:<entity>}: {@code SET NX PX} with a random owner token,
 * released by compare-and-delete. The expiry frees the lock of a replica that died holding it.
 * The lock is reentrant within a thread, so a call-protocol action that holds a room's lock can
 * use the room service, which takes it too.
 */
@ApplicationScoped
public class EntityLock {

    static final String KEY_PREFIX = "parley:lock:";
    private static final Duration HOLD_AT_MOST = Duration.ofSeconds(15);
    private static final Duration WAIT_AT_MOST = Duration.ofSeconds(5);
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""";

    private final RedisDataSource redis;
    /** Entities this thread holds: a holder may call code that takes the same lock again. */
    private final ThreadLocal<Set<String>> held = ThreadLocal.withInitial(HashSet::new);

    EntityLock(RedisDataSource redis) {
        this.redis = redis;
    }

    /** Runs {@code work} holding the lock of {@code entity}, e.g. {@code room:abcd-efgh-ijkl}. */
    public <T> T holding(String entity, Supplier<T> work) {
        String key = KEY_PREFIX + entity;
        if (held.get().contains(key)) {
            return work.get();
        }
        String owner = UUID.randomUUID().toString();
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        while (!acquire(key, owner)) {
            if (System.nanoTime() > deadline) {
                throw new ProblemException(Problem.of("busy", "Too many simultaneous changes",
                        Response.Status.SERVICE_UNAVAILABLE,
                        "Too many changes to the same room or invite at once; retry in a moment.").withRetryAfter(1));
            }
            pause();
        }
        held.get().add(key);
        try {
            return work.get();
        } finally {
            held.get().remove(key);
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
            throw new ProblemException(Problem.of("busy", "Too many simultaneous changes",
                    Response.Status.SERVICE_UNAVAILABLE, "Interrupted while waiting; retry."));
        }
    }
}
