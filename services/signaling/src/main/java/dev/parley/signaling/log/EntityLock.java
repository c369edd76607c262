package dev.parley.signaling.log;

import dev.parley.events.invite.InviteCode;
import dev.parley.events.room.RoomId;
import dev.parley.runtime.problem.Problem;
import dev.parley.runtime.problem.ProblemException;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
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

    private static final Logger LOG = Logger.getLogger(EntityLock.class);

    private final RedisDataSource redis;
    private final Map<String, ReentrantLock> locals = new ConcurrentHashMap<>();
    /** Entities this thread holds: a holder may call code that takes the same lock again. */
    private final ThreadLocal<Set<String>> held = ThreadLocal.withInitial(HashSet::new);

    EntityLock(RedisDataSource redis) {
        this.redis = redis;
    }

    /** The entity name of a room's lock: its settings, admissions and live call change under it. */
    public static String room(RoomId id) {
        return "room:" + id.value();
    }

    /** The entity name of an invite's lock: its uses and revocation change under it. */
    public static String invite(InviteCode code) {
        return "invite:" + code.value();
    }

    /** Runs {@code work} holding the lock of {@code entity}, e.g. {@code room:abcd-efgh-ijkl}. */
    public <T> T holding(String entity, Supplier<T> work) {
        String key = KEY_PREFIX + entity;
        if (held.get().contains(key)) {
            return work.get();
        }
        long deadline = System.nanoTime() + WAIT_AT_MOST.toNanos();
        // Waiters on this replica queue in order here, so only one of them at a time competes
        // for the Redis lock with the other replicas: no starvation, and less polling.
        ReentrantLock local = locals.computeIfAbsent(key, ignored -> new ReentrantLock(true));
        try {
            if (!local.tryLock(WAIT_AT_MOST.toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        try {
            String owner = UUID.randomUUID().toString();
            while (!acquire(key, owner)) {
                if (System.nanoTime() > deadline) {
                    throw busy();
                }
                pause();
            }
            held.get().add(key);
            try {
                return work.get();
            } finally {
                held.get().remove(key);
                release(key, owner);
            }
        } finally {
            local.unlock();
            if (!local.hasQueuedThreads()) {
                locals.remove(key, local);
            }
        }
    }

    /**
     * Gives the lock back. A failure here must not turn finished work into an error (the change
     * is already recorded); the lock then expires by itself.
     */
    private void release(String key, String owner) {
        try {
            redis.execute("EVAL", RELEASE, "1", key, owner);
        } catch (RuntimeException e) {
            LOG.warnf("could not release %s (%s); it expires within %s", key, e.toString(), HOLD_AT_MOST);
        }
    }

    private static ProblemException busy() {
        return new ProblemException(Problem.of("busy", "Too many simultaneous changes",
                Response.Status.SERVICE_UNAVAILABLE,
                "Too many changes to the same room or invite at once; retry in a moment.").withRetryAfter(1));
    }

    private boolean acquire(String key, String owner) {
        return redis.execute("SET", key, owner, "NX", "PX", Long.toString(HOLD_AT_MOST.toMillis())) != null;
    }

    private static void pause() {
        try {
            Thread.sleep(1 + ThreadLocalRandom.current().nextInt(4));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(Problem.of("busy", "Too many simultaneous changes",
                    Response.Status.SERVICE_UNAVAILABLE, "Interrupted while waiting; retry."));
        }
    }
}
